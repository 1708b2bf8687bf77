// A receiver's live counters: packets received, dropped by p, checksum failures, duplicates, bytes, the last
// transfer's rate (a transfer on shows its own, with the file: IncomingFile), and with a session code what it
// rejected.
import type { ReceiverSnapshot } from '../../../shared/contract';
import { formatBytes, formatRate } from '../../format';

export function ReceiverCountersView({ snapshot }: { snapshot: ReceiverSnapshot }) {
  const c = snapshot.counters;
  const packets: Counter[] = [
    ['received', 'Packets received', c.received.toLocaleString('en')],
    ['dropped', 'Dropped by p', c.dropped.toLocaleString('en')],
    ['corrupt', 'Checksum failures', c.corrupt.toLocaleString('en')],
    ['duplicates', 'Duplicates', c.duplicates.toLocaleString('en')],
    ['out-of-order', 'Out of order', c.outOfOrder.toLocaleString('en')],
    ['bytes', 'Bytes written', formatBytes(c.bytesWritten)],
    // Between transfers the rate is the last one's: said so, or it reads as traffic going on now (one on shows
    // its own, beside its file).
    ...(snapshot.transfer
      ? []
      : [['rate', 'Rate of the last transfer', formatRate(snapshot.rate, 1000)] satisfies Counter]),
  ];
  // With a session code: what never reached the protocol, on a line of its own.
  const session: Counter[] | null =
    c.forged === undefined
      ? null
      : [
          [
            'forged',
            'Rejected: forged',
            c.forged.toLocaleString('en'),
            'Datagrams that do not open with the code, in a transfer whose others do (altered or forged), or too few to tell.',
          ],
          [
            'wrong-code',
            'Rejected: another code',
            (c.wrongCode ?? 0).toLocaleString('en'),
            'Datagrams of a transfer none of whose datagrams open with the code: most likely a sender given another code (or forged).',
          ],
          [
            'unsealed',
            'Rejected: no code',
            (c.unsealed ?? 0).toLocaleString('en'),
            'Datagrams of a sender that was not given the session code.',
          ],
          ['replayed', 'Rejected: replayed', (c.replayed ?? 0).toLocaleString('en')],
          // The first of every transfer, before its sender answers this receiver's challenge (the answer brings it
          // again: nothing is lost, so not "dropped", which read as a fault after a clean transfer); a replay, all.
          [
            'unproven',
            "Held for the sender's proof",
            (c.unproven ?? 0).toLocaleString('en'),
            "A transfer's first datagram waits until its sender answers this receiver's challenge, and comes " +
              'again with the answer; every datagram of a recording replayed here is held for good.',
          ],
        ];
  return (
    <>
      <Counters items={packets} />
      {session && <Counters items={session} />}
    </>
  );
}

type Counter = [key: string, label: string, value: string, title?: string];

function Counters({ items }: { items: Counter[] }) {
  return (
    <dl className="stats counters">
      {items.map(([key, name, value, title]) => (
        <div key={key} className={`counter-${key}`} title={title}>
          <dt>{name}</dt>
          <dd data-testid={`counter-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
