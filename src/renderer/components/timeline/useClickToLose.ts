// Click to lose: in the local demo through the simulated network, at a teaching pace (slow motion, step, or
// paused), the diagram shows the next round's packets before they leave; a click on one (or Enter) asks main to
// have that receiver's relay drop it ("drop the next datagram with seq s, data to / ACK from receiver r").
// Stop-and-wait only: its next round is known from the diagram (nextRound in layout.ts).
import type { SenderSource } from '../../../shared/contract';
import type { Direction } from '../../../shared/impairments';
import { call } from '../../api';
import { useAppStore } from '../../store/appStore';

export type LoseFn = (direction: Direction, receiver: number, seq: number) => Promise<void>;

const lose: LoseFn = (direction, index, seq) =>
  call('demo:lose', { index, direction, seq }).then(() => undefined);

/** The lose request while click to lose applies to this session's diagram, else null. */
export function useClickToLose(source: SenderSource): LoseFn | null {
  const relays = useAppStore((s) => s.demo?.relays !== undefined);
  const stopAndWait = useAppStore((s) => (s.settings?.protocol ?? 'saw') === 'saw');
  const pace = useAppStore((s) => s.pace[source]);
  const teaching = pace.paused || pace.mode.kind !== 'full';
  return source === 'demo' && relays && stopAndWait && teaching ? lose : null;
}
