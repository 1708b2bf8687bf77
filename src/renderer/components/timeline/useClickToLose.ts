// Click to lose: in the local demo through the simulated network, at a teaching pace (slow motion, step, or
// paused), the diagram shows the next round's packets before they leave and the packets really in flight (the
// relays hold each datagram for its drawn flight); a click on one (or Enter) asks main to have that receiver's
// relay drop it: the next datagram with that seq, or the one with that seq flying now.
// Stop-and-wait only: its next round is known from the diagram (nextRound in layout.ts).
import type { SenderSource } from '../../../shared/contract';
import type { Direction } from '../../../shared/network/impairments';
import { call } from '../../api';
import { useAppStore } from '../../store/appStore';

export interface LosePick {
  direction: Direction;
  receiver: number;
  seq: number;
  /** In flight now (else: of the next round). */
  flying: boolean;
}

/** Resolves with whether the packet will be (or was) lost: false when a packet in flight had already landed. */
export type LoseFn = (pick: LosePick) => Promise<boolean>;

const lose: LoseFn = async ({ direction, receiver: index, seq, flying }) => {
  if (flying) return (await call('demo:lose-in-flight', { index, direction, seq })).lost;
  await call('demo:lose', { index, direction, seq });
  return true;
};

/** The lose request while click to lose applies to this session's diagram, else null. */
export function useClickToLose(source: SenderSource): LoseFn | null {
  const relays = useAppStore((s) => s.demo?.relays !== undefined);
  const stopAndWait = useAppStore((s) => (s.settings?.protocol ?? 'saw') === 'saw');
  const pace = useAppStore((s) => s.pace[source]);
  const teaching = pace.paused || pace.mode.kind !== 'full';
  return source === 'demo' && relays && stopAndWait && teaching ? lose : null;
}
