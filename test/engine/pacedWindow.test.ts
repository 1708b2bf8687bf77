// A windowed sender at a teaching pace: each turn the pacer gives (a slow-motion round, a click in step mode)
// sends every new segment the window has room for, so a class sees a window leave together. One segment per
// turn, with each ACK back before the next turn, looked exactly like stop-and-wait. Virtual time, the default
// timings (T = 0.1 s, W = 8); the pacer gives each turn a second after it is asked, as slow motion at 1 round/s.
import { describe, expect, it } from 'vitest';
import { goBackN } from '../../src/shared/engine/goBackN.js';
import type { SenderMachine } from '../../src/shared/engine/sending.js';
import { selectiveRepeat } from '../../src/shared/engine/selectiveRepeat.js';
import { driveSender, senderConfig, transmissions } from './drive.js';

const oneASecond = (askedAt: number): number => askedAt + 1000;
/** Fires timers (keepalives may come first) up to the pacer's next turn. */
function nextTurn(sender: ReturnType<typeof driveSender<unknown>>) {
  for (let k = 0; k < 100; k++) {
    const fired = sender.fire()!;
    if (fired.timer === 'turn') return fired;
  }
  throw new Error('no turn');
}

const segments = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each([
  ['Go-Back-N', goBackN as SenderMachine<unknown>],
  ['Selective Repeat', selectiveRepeat as SenderMachine<unknown>],
])('%s at a teaching pace', (_, machine) => {
  it('sends a whole window on one turn, and then what the ACKs made room for on the next', () => {
    const sender = driveSender(machine, senderConfig(2, 20_000, 1000), oneASecond);
    // Nothing before the pacer's first turn.
    expect(transmissions(sender.input({ type: 'start' }))).toEqual([]);
    const first = nextTurn(sender);
    expect([first.timer, first.at]).toEqual(['turn', 1000]);
    const sent = transmissions(first.actions).filter(([, , again]) => !again);
    expect(sent.filter(([, r]) => r === 0).map(([seq]) => seq)).toEqual(segments(1, 8));
    expect(sent.filter(([, r]) => r === 1).map(([seq]) => seq)).toEqual(segments(1, 8));
    // Both ACK 1..3 before the timer: room for three, which go together on the next turn, not one by one.
    expect(transmissions(sender.input({ type: 'ack', receiver: 0, acked: 3 }, 1050))).toEqual([]);
    expect(transmissions(sender.input({ type: 'ack', receiver: 1, acked: 3 }, 1051))).toEqual([]);
    const second = nextTurn(sender);
    expect([second.timer, second.at]).toEqual(['turn', 2051]);
    // Segments 4-8 timed out while the turn was held: resent on it, a round as stop-and-wait's resend is.
    const resent = transmissions(second.actions).filter(([, , again]) => again);
    for (const r of [0, 1])
      expect(resent.filter(([, to]) => to === r).map(([seq]) => seq)).toEqual(segments(4, 8));
    expect(
      transmissions(second.actions)
        .filter(([, , again]) => !again)
        .map(([seq, r]) => [seq, r]),
    ).toEqual(
      segments(9, 11).flatMap((k) => [
        [k, 0],
        [k, 1],
      ]),
    );
  });

  it("a timer's resend waits for the pacer's turn (a click in step mode): the timer does not run on meanwhile", () => {
    const sender = driveSender(machine, senderConfig(1, 20_000, 1000), oneASecond);
    sender.input({ type: 'start' });
    nextTurn(sender);
    // Nothing comes back. The timer expires once, 100 ms on, and resends nothing by itself.
    const expiry = sender.fire()!;
    expect(expiry.at).toBe(1100);
    expect(transmissions(expiry.actions)).toEqual([]);
    const timeouts = (actions: typeof expiry.actions) =>
      actions.filter((a) => a.type === 'event' && a.event.type === 'timeout').length;
    expect(timeouts(expiry.actions)).toBeGreaterThan(0);
    // The turn (a second after it was asked) resends; no other expiry came between.
    const turn = nextTurn(sender);
    expect(turn.at).toBe(2100);
    expect(
      transmissions(turn.actions)
        .filter(([, , again]) => again)
        .map(([seq]) => seq),
    ).toEqual(segments(1, 8));
    // And its timer runs again from the resend.
    expect(sender.nextTimerAt).toBe(2200);
  });

  it('at full speed sends the same segments, at once', () => {
    const sender = driveSender(machine, senderConfig(2, 20_000, 1000));
    const sent = transmissions(sender.input({ type: 'start' }));
    expect(sent.filter(([, r]) => r === 0).map(([seq]) => seq)).toEqual(segments(1, 8));
  });
});
