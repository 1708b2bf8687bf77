// The summary line of many receivers as a pure function: its shape holds while receivers come and go from
// retransmitting (a part appearing or vanishing moved the rest of the line, several times a second on a lab of
// 30), and the zeros go once every receiver has finished.
import { describe, expect, it } from 'vitest';
import type { ReceiverLive } from '../../src/shared/contract';
import type { ReceiverState } from '../../src/shared/events';
import { summaryLine, summaryParts } from '../../src/renderer/components/transfer/receiverView';

const receiver = (i: number, state: ReceiverState): ReceiverLive => ({
  receiver: { id: i, address: `127.0.0.${i + 2}`, port: 7735, label: `r${i}` },
  state,
  acks: 0,
  timeouts: 0,
  retransmissions: 0,
  lastRttMs: null,
  rtt: null,
  failure: state === 'failed' ? 'no ACK after 10 tries' : null,
  mode: null,
  lane: [],
});
const lab = (...states: ReceiverState[]): ReceiverLive[] => states.map((s, i) => receiver(i, s));
const shape = (receivers: ReceiverLive[]): string[] => summaryParts(receivers, true).map((p) => p.state);

describe('summary line', () => {
  it('keeps every part, zeros too, while any receiver is still going', () => {
    const moments = [
      lab('waiting', 'waiting', 'waiting'),
      lab('retransmitting', 'waiting', 'waiting'),
      lab('done', 'waiting', 'retransmitting'),
      lab('done', 'failed', 'waiting'),
      lab('done', 'done', 'retransmitting'),
    ];
    for (const receivers of moments)
      expect(shape(receivers)).toEqual(['done', 'retransmitting', 'failed', 'waiting']);
    expect(summaryParts(moments[1]!, true).map((p) => p.text)).toEqual([
      '0/3 done',
      '1 retransmitting',
      '0 failed',
      '2 waiting',
    ]);
  });

  it('drops the zeros once every receiver has finished, and in the line read out', () => {
    expect(summaryParts(lab('done', 'done', 'done'), true).map((p) => p.text)).toEqual(['3/3 done']);
    expect(summaryParts(lab('done', 'failed', 'done'), true).map((p) => p.text)).toEqual([
      '2/3 done',
      '1 failed',
    ]);
    expect(summaryLine(lab('retransmitting', 'waiting', 'waiting'))).toBe(
      '0/3 done, 1 retransmitting, 2 waiting',
    );
  });
});
