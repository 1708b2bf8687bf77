// A step waits for the diagram. Without the demo's network, the engine has a round's ACKs microseconds after it
// sent the round, while the diagram draws the packets flying out and the ACKs flying back for a step's flight
// each: a "Next round" pressed meanwhile drew round k+1 leaving the sender before ACK k had landed, which is not
// stop-and-wait. So each live diagram says while it draws packets in the air, and a step asked meanwhile goes
// once they have all landed (a second press before then asks for no more: the next round comes as soon as it can).
import type { PaceKey } from '../store/appStore';

/** The diagrams of each pace (Compare's lanes share one) that draw packets in the air now. */
const airborne = new Map<PaceKey, Set<symbol>>();
const waiting = new Map<PaceKey, () => void>();

/** Diagram `diagram` of `pace` draws packets in the air, or no longer does (then a step waiting for it goes). */
export function drawnInAir(pace: PaceKey, diagram: symbol, inAir: boolean): void {
  const diagrams = airborne.get(pace) ?? new Set<symbol>();
  airborne.set(pace, diagrams);
  if (inAir) {
    diagrams.add(diagram);
    return;
  }
  diagrams.delete(diagram);
  if (diagrams.size > 0) return;
  const step = waiting.get(pace);
  waiting.delete(pace);
  step?.();
}

/** Runs `step` now, or once no diagram of `pace` draws packets in the air (in place of one already waiting). */
export function afterLanding(pace: PaceKey, step: () => void): void {
  if ((airborne.get(pace)?.size ?? 0) > 0) waiting.set(pace, step);
  else step();
}
