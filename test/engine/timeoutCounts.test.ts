// Every timer expiry of a receiver is counted once and said once, whether the segment is resent or the receiver
// given up on: its Timeouts, its "Timeout," lines and the total's timeout rounds agree (a student counts them).
// The pure machines in virtual time with the default timings (T = 0.1 s, 30 s receiver timeout).
import { describe, expect, it } from 'vitest';
import { goBackN } from '../../src/shared/engine/goBackN.js';
import type { SenderMachine } from '../../src/shared/engine/sending.js';
import { stopAndWait } from '../../src/shared/engine/stopAndWait.js';
import { driveSender, eventsOf, senderConfig, transmissions } from './drive.js';

describe.each([
  ['stop-and-wait', stopAndWait as SenderMachine<unknown>],
  ['Go-Back-N', goBackN as SenderMachine<unknown>],
])('%s, one receiver dead from the start beside one that ACKs everything', (_, machine) => {
  it('counts the expiry that gives the dead one up as the timeout it is', () => {
    const sender = driveSender(machine, senderConfig(2, 5_000, 1000));
    const timeouts: number[] = [];
    const failed: number[] = [];
    const answer = (actions: ReturnType<typeof sender.input>): void => {
      for (const e of eventsOf(actions, 'timeout')) timeouts.push(e.receiver);
      for (const e of eventsOf(actions, 'receiver-failed')) failed.push(e.receiver);
      for (const [seq, receiver] of transmissions(actions))
        if (receiver === 1) answer(sender.input({ type: 'ack', receiver: 1, acked: seq }, sender.now + 1));
    };
    answer(sender.input({ type: 'start' }));
    for (let k = 0; k < 10_000 && sender.result === undefined; k++) {
      const fired = sender.fire();
      if (fired === null) break;
      answer(fired.actions);
    }
    const result = sender.result!;
    expect(failed).toEqual([0]);
    expect(result.receivers[0]!.state).toBe('failed');
    // 30 s at T = 0.1 s: 300 expiries, the last one giving up.
    expect(timeouts.filter((r) => r === 0)).toHaveLength(300);
    expect(result.receivers[0]!.timeouts).toBe(300);
    expect(result.receivers[1]!.timeouts).toBe(0);
    expect(result.timeoutRounds).toBe(300);
  });
});
