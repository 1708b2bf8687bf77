// Where senders reach this receiver: this machine's addresses with the port (shared/reachableAt.ts chooses them),
// large enough to read out to a class, each copyable, and the session code they must give when one is required.
import { useEffect, useState } from 'react';
import type { LocalAddress } from '../../../shared/contract';
import { call, messageOf } from '../../api';
import { endpointText, reachableAt } from '../../../shared/reachableAt';
import { useFadingNote } from '../common/useFadingNote';

export function ThisMachine({
  port,
  bind,
  code,
  listening,
}: {
  port: number;
  bind: string;
  code: string | null;
  /** Not yet: the addresses are where senders will reach it, once it listens. */
  listening: boolean;
}) {
  const [addresses, setAddresses] = useState<LocalAddress[] | null>(null);
  const [note, setNote] = useFadingNote();
  useEffect(() => {
    call('net:addresses', null).then(
      (list) => setAddresses(list ?? []),
      (e: unknown) => setNote(messageOf(e)),
    );
  }, [setNote]);
  if (addresses === null && code === null) return note ? <p className="error-note">{note}</p> : null;
  const bound = bind.trim();
  const { shown, any, ours } = reachableAt(addresses ?? [], bound);
  if (shown.length === 0 && code === null && (any || ours)) return null;
  const copy = (text: string): void => {
    call('summary:copy', { text }).then(
      () => setNote(`Copied ${text}`, true),
      (e: unknown) => setNote(messageOf(e)),
    );
  };
  return (
    <section className="this-machine" aria-label="This machine">
      {shown.length > 0 && (
        <h3>
          {listening ? 'Senders reach this machine at' : 'Once listening, senders reach this machine at'}
        </h3>
      )}
      {shown.length > 0 && (
        <ul>
          {shown.map((a) => {
            const text = endpointText(a, port);
            return (
              <li key={`${a.interface} ${a.address}`}>
                <code className="this-machine-address">{text}</code>
                <span className="hint">{a.internal ? 'this machine only' : a.interface}</span>
                <button type="button" onClick={() => copy(text)} aria-label={`Copy ${text}`}>
                  Copy
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {!any && !ours && addresses !== null && (
        <p className="hint" data-testid="bind-not-here">
          {bound} is not an address of this machine: senders cannot reach it there.
        </p>
      )}
      {code !== null && (
        <div className="this-machine-code">
          <h3>Session code</h3>
          <p>
            <code className="this-machine-address" data-testid="session-code">
              {code}
            </code>
            {/* Read out character by character, as a person reads it to a class. */}
            <span className="visually-hidden">, spelled {[...code.replace(/-/g, '')].join(' ')}</span>
            <button type="button" onClick={() => copy(code)} aria-label="Copy the session code">
              Copy
            </button>
          </p>
          <p className="hint">
            Senders type it in their Session code field, or give it with p2mpclient --code.
          </p>
        </div>
      )}
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
    </section>
  );
}
