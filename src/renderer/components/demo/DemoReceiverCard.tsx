// One local-demo receiver: its address, its own p (movable live), its counters and recent packets.
import type { ReceiverSnapshot } from '../../../shared/contract';
import { LossSlider } from '../common/LossSlider';
import { PacketStrip } from '../common/PacketStrip';

interface Props {
  index: number;
  p: number;
  snapshot: ReceiverSnapshot | undefined;
  onP: (p: number) => void;
}

export function DemoReceiverCard({ index, p, snapshot, onP }: Props) {
  const address = snapshot?.listening
    ? `${snapshot.listening.address}:${snapshot.listening.port}`
    : `127.0.0.${index + 2}`;
  const c = snapshot?.counters;
  const done = (snapshot?.completed.length ?? 0) > 0;
  return (
    <li className="demo-card" data-testid={`demo-receiver-${index}`}>
      <h4>
        Receiver {index + 1} <span className="address">{address}</span>
        {done && <span className="badge state-done">✓ file complete</span>}
      </h4>
      <LossSlider label={`p for receiver ${index + 1}`} value={p} onChange={onP} />
      {c && (
        <p className="mini-counters">
          received {c.received} · <strong className="dropped">dropped {c.dropped}</strong> · duplicates{' '}
          {c.duplicates}
        </p>
      )}
      {snapshot && (
        <PacketStrip packets={snapshot.recent} label={`Recent packets at receiver ${index + 1}`} />
      )}
    </li>
  );
}
