// A step waits for the diagram. Without the demo's network, the engine has a round's ACKs microseconds after it
// sent the round, while the diagram draws the packets flying out and the ACKs flying back for a step's flight
// each: a "Next round" pressed meanwhile drew round k+1 leaving the sender before ACK k had landed, which is not
// stop-and-wait. So each live diagram says while it draws packets in the air, and a step asked meanwhile goes
// once they have all landed (a second press before then asks for no more: the next round comes as soon as it can).
// A round asked for is not drawn at once either (its events come with a batch): until a diagram draws packets in
// the air, or for ASKED_MS at most (no diagram draws it: reduced motion, the transfer's end), a press waits too.
import type { PaceKey } from '../store/appStore';

/** How long a step asked for holds the next before any diagram has drawn it, ms (a batch comes within 200). */
export const ASKED_MS = 500;

/** The diagrams of each pace (Compare's lanes share one) that draw packets in the air now. */
const airborne = new Map<PaceKey, Set<symbol>>();
const waiting = new Map<PaceKey, () => void>();
/** Paces whose last step is asked for and not drawn yet: the deadline's timer. */
const asked = new Map<PaceKey, ReturnType<typeof setTimeout>>();

/** Who hears a step start or stop waiting: the pace controls say a press was taken (it may wait a second). */
const listeners = new Set<() => void>();
const told = (): void => listeners.forEach((listener) => listener());

/** Whether a step of `pace` was asked for and waits for packets drawn in the air to land. */
export const isQueued = (pace: PaceKey): boolean => waiting.has(pace);

/** Calls `listener` whenever a step starts or stops waiting; returns the call that stops it. */
export function onQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

const held = (pace: PaceKey): boolean => (airborne.get(pace)?.size ?? 0) > 0 || asked.has(pace);

function go(pace: PaceKey, step: () => void): void {
  clearTimeout(asked.get(pace));
  asked.set(
    pace,
    setTimeout(() => {
      asked.delete(pace);
      land(pace);
    }, ASKED_MS),
  );
  step();
}

/** Nothing of `pace` in the air any more: the step waiting goes. */
function land(pace: PaceKey): void {
  if (held(pace)) return;
  const step = waiting.get(pace);
  if (step === undefined) return;
  waiting.delete(pace);
  told();
  go(pace, step);
}

/** Diagram `diagram` of `pace` draws packets in the air, or no longer does (then a step waiting for it goes). */
export function drawnInAir(pace: PaceKey, diagram: symbol, inAir: boolean): void {
  const diagrams = airborne.get(pace) ?? new Set<symbol>();
  airborne.set(pace, diagrams);
  if (inAir) {
    diagrams.add(diagram);
    // The round asked for is drawn (or the diagram still draws the one before): its landing is what to wait for.
    clearTimeout(asked.get(pace));
    asked.delete(pace);
    return;
  }
  diagrams.delete(diagram);
  land(pace);
}

/** Forgets a step of `pace` still waiting (the pace changed: a press made for step mode is not a later one's). */
export function dropStep(pace: PaceKey): void {
  if (waiting.delete(pace)) told();
}

/** Runs `step` now, or once no diagram of `pace` draws packets in the air (in place of one already waiting). */
export function afterLanding(pace: PaceKey, step: () => void): void {
  if (!held(pace)) return go(pace, step);
  const before = waiting.has(pace);
  waiting.set(pace, step);
  if (!before) told();
}
