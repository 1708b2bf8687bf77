// Replay protection within a transfer, as IPsec and WireGuard do it: remember the highest counter taken and which
// of the WINDOW counters below it were taken. A counter seen before, or too old to tell, is a replay. Only ever
// fed counters of datagrams that authenticated, so a forger cannot move the window.

export const REPLAY_WINDOW = 2048;

export interface ReplayWindow {
  highest: number;
  seen: Uint8Array;
}

export const newReplayWindow = (): ReplayWindow => ({ highest: 0, seen: new Uint8Array(REPLAY_WINDOW) });

/** Whether `counter` may be taken (counters start at 1). */
export function isFresh(w: ReplayWindow, counter: number): boolean {
  if (counter < 1) return false;
  if (counter > w.highest) return true;
  if (w.highest - counter >= REPLAY_WINDOW) return false;
  return w.seen[counter % REPLAY_WINDOW] === 0;
}

/** Takes `counter` (call only after isFresh and after it authenticated). */
export function take(w: ReplayWindow, counter: number): void {
  if (counter > w.highest) {
    // Slots between the old highest and the new one now stand for counters never seen.
    const gap = Math.min(counter - w.highest, REPLAY_WINDOW);
    for (let c = counter - gap + 1; c < counter; c++) w.seen[c % REPLAY_WINDOW] = 0;
    w.highest = counter;
  }
  w.seen[counter % REPLAY_WINDOW] = 1;
}
