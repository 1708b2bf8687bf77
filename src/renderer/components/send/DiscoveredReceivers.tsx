// The receivers announcing themselves on the local network (discovery), asked for every 2 s while the Send view
// is open: tick them (or "select all") and add them to the receivers in one go.
import { useEffect, useId, useRef, useState } from 'react';
import type { DiscoveredReceiver } from '../../../shared/discovery/roster';
import { call, messageOf } from '../../api';

const POLL_MS = 2000;

/** How the receiver list writes a discovered receiver: the bare address on the default port, else host:port. */
export function entryFor(r: DiscoveredReceiver, defaultPort: number): string {
  const host = r.address.includes(':') ? `[${r.address}]` : r.address;
  return r.port === defaultPort && !r.address.includes(':') ? host : `${host}:${r.port}`;
}

const stateOf = (r: DiscoveredReceiver): string => (r.busy ? 'busy' : r.code ? 'code needed' : 'free');

export function DiscoveredReceivers(props: {
  receivers: string[];
  defaultPort: number;
  /** The entries to list, and each one's name as it announced itself. */
  onAdd: (entries: string[], names: Record<string, string>) => void;
  disabled: boolean;
}) {
  const allId = useId();
  const [found, setFound] = useState<DiscoveredReceiver[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const list = useRef<HTMLUListElement>(null);
  const { disabled } = props;
  useEffect(() => {
    if (disabled) return;
    let alive = true;
    const poll = (): void =>
      void call('net:discover', null).then(
        (list) => {
          if (!alive) return;
          setFound(list);
          setError(null);
        },
        (e: unknown) => alive && setError(messageOf(e)),
      );
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [disabled]);

  const listed = new Set(props.receivers);
  const addable = found.filter((r) => !listed.has(entryFor(r, props.defaultPort)));
  const chosen = addable.filter((r) => picked.has(r.id));
  // Ticked too once every one is added (greyed out, as each added row's box is): never empty beside "All 30 added".
  const allPicked = addable.length === 0 || chosen.length === addable.length;
  const toggle = (id: string, on: boolean): void =>
    setPicked((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <fieldset className="discovered" disabled={disabled}>
      <legend>On this network</legend>
      {error && <p className="problem">{error}</p>}
      {found.length === 0 ? (
        <p className="hint">
          No receivers announcing themselves yet: Receive mode (with &ldquo;Announce&rdquo; on) or{' '}
          <code>p2mpserver --announce</code> on the other machines.
        </p>
      ) : (
        <>
          <label className="check" htmlFor={allId}>
            <input
              id={allId}
              type="checkbox"
              checked={allPicked}
              disabled={addable.length === 0}
              onChange={(e) => setPicked(new Set(e.target.checked ? addable.map((r) => r.id) : []))}
            />{' '}
            {addable.length === found.length
              ? `Select all ${found.length}`
              : addable.length === 0
                ? `All ${found.length} added`
                : `Select the ${addable.length} not added yet (of ${found.length})`}
          </label>
          {/* Focusable from script only: where the keyboard goes once the Add button greys out. */}
          <ul className="discovered-list" aria-label="Receivers on this network" ref={list} tabIndex={-1}>
            {found.map((r) => {
              const entry = entryFor(r, props.defaultPort);
              const added = listed.has(entry);
              return (
                <li key={r.id}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={added || picked.has(r.id)}
                      disabled={added}
                      onChange={(e) => toggle(r.id, e.target.checked)}
                    />{' '}
                    <span className="name">{r.name}</span> <span className="where">{entry}</span>{' '}
                    <span className={`state ${r.busy ? 'busy' : 'free'}`}>
                      {added ? 'added' : stateOf(r)}
                      {r.profile !== 'standard' && `, ${r.profile}`}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            disabled={chosen.length === 0}
            onClick={() => {
              const entries = chosen.map((r) => entryFor(r, props.defaultPort));
              props.onAdd(entries, Object.fromEntries(chosen.map((r, i) => [entries[i], r.name])));
              setPicked(new Set());
              list.current?.focus();
            }}
          >
            {chosen.length === 0
              ? 'Add selected'
              : `Add ${chosen.length === 1 ? '1 receiver' : `${chosen.length} receivers`}`}
          </button>
        </>
      )}
    </fieldset>
  );
}
