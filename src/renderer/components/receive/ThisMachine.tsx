// Where senders reach this receiver: this machine's addresses with the port, large enough to read out to a class,
// each copyable, and the session code they must give when one is required. LAN addresses only, loopback only when there is nothing else; just the bind address when the
// receiver listens on one address.
import { useEffect, useState } from 'react';
import type { LocalAddress } from '../../../shared/contract';
import { call, messageOf } from '../../api';
import { useFadingNote } from '../common/useFadingNote';

function endpoint(a: LocalAddress, port: number): string {
  return a.family === 6 ? `[${a.address}]:${port}` : `${a.address}:${port}`;
}

const ANY = ['', '0.0.0.0', '::'];

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
  // Bound to 0.0.0.0 (the default), a receiver listens on IPv4 only (as it announces itself): an IPv6 address
  // shown there reaches nothing. Bound to ::, it takes both.
  const reachable = (addresses ?? []).filter((a) => bound === '::' || a.family === 4);
  const lan = reachable.filter((a) => !a.internal);
  // A bind address is shown only where it is one of this machine's (any 127.x is, on loopback): a typo must
  // never sit there large and copyable for a class to write down.
  const ours = /^127\./.test(bound) || bound === '::1' || (addresses ?? []).some((a) => a.address === bound);
  const shown: LocalAddress[] = !ANY.includes(bound)
    ? ours
      ? [{ address: bound, family: bound.includes(':') ? 6 : 4, interface: 'bind address', internal: false }]
      : []
    : lan.length > 0
      ? lan
      : reachable;
  if (shown.length === 0 && code === null && (ANY.includes(bound) || ours)) return null;
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
            const text = endpoint(a, port);
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
      {!ANY.includes(bound) && !ours && addresses !== null && (
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
