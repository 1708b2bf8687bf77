// One local-demo receiver: its address, its own p (movable live), its counters and recent packets, and with the
// demo network on, what the relay in front of it did.
import { useState } from 'react';
import type { ReceiverSnapshot } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { LossSlider } from '../common/LossSlider';
import { PacketStrip } from '../common/PacketStrip';
import { RelayCounters } from './RelayCounters';

interface Props {
  index: number;
  p: number;
  snapshot: ReceiverSnapshot | undefined;
  onP: (p: number) => void;
  /** The relay in front of this receiver, when the demo network is on. */
  via?: { address: string; port: number } | undefined;
}

export function DemoReceiverCard({ index, p, snapshot, onP, via }: Props) {
  const retransmissions = useAppStore((s) => s.senders.demo?.snapshot.receivers[index]?.retransmissions ?? 0);
  // Known once it listens: 127.0.0.(index+2) on most systems, 127.0.0.1 with a port of its own on macOS. Kept
  // once it stops (the receivers stop one by one after a transfer: cards swapping their addresses for "stopped"
  // a card at a time read as disagreeing); its state line says it stopped.
  const listening = snapshot?.listening ? `${snapshot.listening.address}:${snapshot.listening.port}` : null;
  const [last, setLast] = useState<string | null>(null);
  if (listening !== null && listening !== last) setLast(listening);
  const address = listening ?? last ?? (snapshot ? 'stopped' : 'not started');
  const c = snapshot?.counters;
  const done = (snapshot?.completed.length ?? 0) > 0;
  return (
    <li className="demo-card" data-testid={`demo-receiver-${index}`}>
      <h4>
        Receiver {index + 1} <span className="address">{address}</span>
      </h4>
      {/* Always one line, so the card keeps its height as the transfer goes on. */}
      <p className="card-state">
        {done ? (
          <span className="badge state-done">✓ file complete</span>
        ) : listening ? (
          'receiving'
        ) : snapshot ? (
          'stopped'
        ) : (
          'idle'
        )}
      </p>
      {via && (
        <p className="via">
          via relay {via.address}:{via.port}
        </p>
      )}
      <LossSlider label={`p for receiver ${index + 1}`} value={p} onChange={onP} />
      <p className="mini-counters">
        received {c?.received ?? 0} · <strong className="dropped">dropped {c?.dropped ?? 0}</strong> ·
        duplicates {c?.duplicates ?? 0}
      </p>
      {snapshot?.relay && (
        <RelayCounters
          index={index}
          relay={snapshot.relay}
          counters={c}
          retransmissions={retransmissions}
          p={p}
        />
      )}
      <PacketStrip packets={snapshot?.recent ?? []} label={`Recent packets at receiver ${index + 1}`} />
    </li>
  );
}
