// A cancel ends the receivers still in the transfer, not those that already have the whole file: each protocol on
// its pure machine, in virtual time with the default timings (T = 0.1 s, W = 8). A Send cancelled while an absent
// host held it read "0/2 receivers got the whole file" beside one that had it, verified and kept.
import { describe, expect, it } from 'vitest';
import { goBackN } from '../../src/shared/engine/goBackN.js';
import { selectiveRepeat } from '../../src/shared/engine/selectiveRepeat.js';
import { stopAndWait } from '../../src/shared/engine/stopAndWait.js';
import type { SenderMachine } from '../../src/shared/engine/sending.js';
import { driveSender, senderConfig } from './drive.js';

// 4 chunks and the end marker (5): receiver 0 ACKs them all, receiver 1 nothing; then the user cancels.
const windowed: [string, SenderMachine<unknown>, 'gbn' | 'sr'][] = [
  ['Go-Back-N', goBackN as SenderMachine<unknown>, 'gbn'],
  ['Selective Repeat', selectiveRepeat as SenderMachine<unknown>, 'sr'],
];

describe('a cancel', () => {
  it.each(windowed)('%s: leaves a receiver that has the whole file done', (_, machine, protocol) => {
    const sender = driveSender(machine, senderConfig(2, 4_000, 1_000, { protocol, window: 8 }));
    sender.input({ type: 'start' });
    for (let seq = 1; seq <= 5; seq++) sender.input({ type: 'ack', receiver: 0, acked: seq }, seq);
    sender.input({ type: 'cancel' }, 50);
    expect(sender.result!.receivers.map((r) => [r.state, r.failure])).toEqual([
      ['done', undefined],
      ['failed', 'cancelled'],
    ]);
    expect(sender.result!.ok).toBe(false);
  });

  it('stop-and-wait: leaves a receiver that ACKed the end marker done, in its last round', () => {
    const sender = driveSender(stopAndWait, senderConfig(2, 1_000, 1_000));
    sender.input({ type: 'start' });
    sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1);
    sender.input({ type: 'ack', receiver: 1, acked: 1 }, 2);
    // The end marker (2): receiver 0 ACKs it, receiver 1 does not.
    sender.input({ type: 'ack', receiver: 0, acked: 2 }, 3);
    sender.input({ type: 'cancel' }, 50);
    expect(sender.result!.receivers.map((r) => [r.state, r.failure])).toEqual([
      ['done', undefined],
      ['failed', 'cancelled'],
    ]);
  });
});
