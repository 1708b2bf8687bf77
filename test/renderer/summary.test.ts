// The summary a user copies or saves: its first line says how the transfer ended, for everyone.
import { describe, expect, it } from 'vitest';
import type { ReceiverSummary, SendResult } from '../../src/shared/events';
import { formatSummary } from '../../src/renderer/summary';

const receiver = (id: number, state: 'done' | 'failed', failure?: string): ReceiverSummary => ({
  receiver: { id, label: `127.0.0.${id + 2}`, address: `127.0.0.${id + 2}`, port: 7735 },
  state,
  ...(failure ? { failure } : {}),
  acks: 3,
  timeouts: 0,
  retransmissions: 0,
  keepalives: 0,
  rtt: null,
  bytes: 1000,
  timeMs: 500,
});

const result = (receivers: ReceiverSummary[], ok: boolean): SendResult => ({
  ok,
  cancelled: false,
  fileSize: 1000,
  mss: 500,
  chunks: 2,
  timeoutRounds: 0,
  timeoutMs: 100,
  durationMs: 500,
  receivers,
});

const firstLine = (r: SendResult): string => formatSummary(r, 'notes.pdf').split('\n')[0]!;

describe('the summary of a send', () => {
  it('says how many receivers got the file when some did not, and "failed" only when none did', () => {
    const declined = 'declined: the file is larger than this receiver accepts';
    expect(firstLine(result([receiver(0, 'done'), receiver(1, 'done')], true))).toBe(
      'P2MP-FTP transfer complete',
    );
    expect(
      firstLine(
        result(
          [receiver(0, 'done'), receiver(1, 'failed', declined), receiver(2, 'failed', declined)],
          false,
        ),
      ),
    ).toBe('P2MP-FTP transfer incomplete: 1 of 3 receivers got the file');
    expect(firstLine(result([receiver(0, 'failed', declined)], false))).toBe(
      'P2MP-FTP transfer failed: no receiver got the file',
    );
  });
});
