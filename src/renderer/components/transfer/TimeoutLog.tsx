// Every timeout of the session, newest first, searchable by sequence number or receiver name.
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { ReceiverLive, TimeoutEntry } from '../../../shared/contract';

/** Rows rendered at once; the search narrows the rest. */
const SHOWN = 200;

interface Props {
  log: TimeoutEntry[];
  dropped: number;
  receivers: ReceiverLive[];
}

export function TimeoutLog({ log, dropped, receivers }: Props) {
  const id = useId();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const matches = useMemo(() => {
    const label = (i: number): string => receivers[i]?.receiver.label ?? `#${i}`;
    const rows = log.map((e) => ({ ...e, label: label(e.receiver) }));
    const found =
      deferred === ''
        ? rows
        : rows.filter((e) => String(e.seq) === deferred || e.label.toLowerCase().includes(deferred));
    return found.slice(-SHOWN).reverse();
  }, [log, receivers, deferred]);
  return (
    <section className="timeout-log" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        Timeout log <span className="count">({(log.length + dropped).toLocaleString('en')})</span>
      </h3>
      <label htmlFor={id} className="visually-hidden">
        Search timeouts
      </label>
      <input
        id={id}
        type="search"
        placeholder="Search: sequence number or receiver"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {/* Focusable, so the keyboard scrolls it. */}
      <ol className="log-list" aria-live="off" tabIndex={0} aria-labelledby={`${id}-title`}>
        {/* Keyed by slot: a new timeout changes what each line says, it does not push every line down (with 30
            receivers timing out several times a second that would shift the page all the time). */}
        {matches.map((e, slot) => (
          <li key={slot}>
            <span className="log-time">{(e.t / 1000).toFixed(3)} s</span> Timeout, sequence number = {e.seq}{' '}
            <span className="log-receiver">→ {e.label}</span>
          </li>
        ))}
        {matches.length === 0 && (
          <li className="empty">{log.length === 0 ? 'No timeouts yet' : 'No match'}</li>
        )}
      </ol>
    </section>
  );
}
