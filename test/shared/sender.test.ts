// The sender's rules: retransmit only to the silent, match ACKs by source, give up on dead receivers.
import { truncateSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TransferError } from '../../src/shared/errors.js';
import { failureOf } from '../../src/cli/cli.js';
import type { SendResult, SenderEvent } from '../../src/shared/events.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { send } from '../../src/shared/node/sender.js';
import { rawPeer, sha256, specsOf, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

it('retransmits only to the receiver that did not ACK, printing one timeout per miss', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 3000);
  // The default 0.1 s timeout on a virtual clock: exact counts, however loaded the machine is.
  const clock = virtualClock();
  const [good] = await startReceivers(1, dir.path, { timers: clock }, 2);
  // A hand-driven receiver that ignores the first copy of every segment and ACKs the second.
  const lossy = await rawPeer('127.0.0.3');
  const seen = new Set<number>();
  lossy.socket.on('message', (msg, from) => {
    const d = standard.decode(msg);
    if (!d.ok) return;
    if (seen.has(d.segment.seq))
      lossy.socket.send(standard.encodeAck(d.segment.seq), from.port, from.address);
    else seen.add(d.segment.seq);
  });
  const events: SenderEvent[] = [];
  try {
    let result: SendResult | undefined;
    void send({
      file: input,
      receivers: [...specsOf([good!]), { host: '127.0.0.3', port: lossy.port, label: 'lossy' }],
      mss: 1000,
      timers: clock,
      onEvent: (e) => events.push(e),
    }).then((r) => (result = r));
    expect(await clock.run(() => result !== undefined, 10_000)).toBe(true);
    result = result!;
    expect(result.ok).toBe(true);
    const timeouts = events.filter((e) => e.type === 'timeout');
    expect(timeouts.map((e) => [e.seq, e.receiver])).toEqual([1, 2, 3, 4].map((seq) => [seq, 1]));
    const resends = events.filter((e) => e.type === 'send' && e.retransmission);
    expect(resends.every((e) => e.type === 'send' && e.receiver === 1)).toBe(true);
    expect(result.receivers.map((r) => [r.timeouts, r.retransmissions, r.acks])).toEqual([
      [0, 0, 4],
      [4, 4, 4],
    ]);
    expect(result.timeoutRounds).toBe(4);
    expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
  } finally {
    lossy.close();
    await good!.stop();
  }
});

it('matches ACKs by source address and port, ignoring the middle field', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 10);
  const target = await rawPeer('127.0.0.4');
  const impostor = await rawPeer('127.0.0.4');
  target.socket.on('message', (msg, from) => {
    const d = standard.decode(msg);
    if (!d.ok) return;
    // The impostor answers first, from the right address but the wrong port: it must not count.
    impostor.socket.send(standard.encodeAck(d.segment.seq), from.port, from.address);
    const ack = standard.encodeAck(d.segment.seq);
    ack.writeUInt16BE(0xbeef, 4);
    setTimeout(() => target.socket.send(ack, from.port, from.address), 30);
  });
  try {
    const result = await send({
      file: input,
      receivers: [{ host: '127.0.0.4', port: target.port, label: 't' }],
      mss: 100,
      timeoutMs: 1000,
    });
    expect(result.ok).toBe(true);
    expect(result.receivers[0]!.rtt!.min).toBeGreaterThanOrEqual(25);
  } finally {
    target.close();
    impostor.close();
  }
});

it('marks a silent receiver failed and finishes the others, with a failing result', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 5000);
  const [good] = await startReceivers(1, dir.path, {}, 2);
  const dead = await rawPeer('127.0.0.5');
  try {
    const result = await send({
      file: input,
      receivers: [...specsOf([good!]), { host: '127.0.0.5', port: dead.port, label: 'dead' }],
      mss: 1000,
      timeoutMs: 20,
      receiverTimeoutMs: 200,
    });
    expect(result.ok).toBe(false);
    expect(result.receivers[0]!.state).toBe('done');
    expect(result.receivers[1]).toMatchObject({
      state: 'failed',
      failure: expect.stringMatching(/no ACK for sequence number 1 within 0.2 s of sending it/),
    });
    expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
  } finally {
    dead.close();
    await good!.stop();
  }
});

it('reports a receiver that restarted mid-transfer instead of leaving it a wrong file', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 500);
  const restarted = await rawPeer('127.0.0.6');
  // It ACKs chunk 1, then "restarts": it answers everything with ACK 0 as a fresh receiver would.
  restarted.socket.on('message', (msg, from) => {
    const d = standard.decode(msg);
    if (d.ok) restarted.socket.send(standard.encodeAck(d.segment.seq === 1 ? 1 : 0), from.port, from.address);
  });
  try {
    const result = await send({
      file: input,
      receivers: [{ host: '127.0.0.6', port: restarted.port, label: 'r' }],
      mss: 100,
      timeoutMs: 50,
    });
    expect(result.ok).toBe(false);
    expect(result.receivers[0]!.failure).toMatch(/restarted/);
  } finally {
    restarted.close();
  }
});

it('stops when cancelled and says the transfer was cancelled', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 100_000);
  const dead = await rawPeer('127.0.0.5');
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 100);
  try {
    const result = await send({
      file: input,
      receivers: [{ host: '127.0.0.5', port: dead.port, label: 'x' }],
      mss: 1000,
      signal: abort.signal,
    });
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(result.durationMs).toBeLessThan(1000);
  } finally {
    dead.close();
  }
});

it('refuses bad input before sending anything', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 10);
  const one = [{ host: '127.0.0.2', port: 7735, label: '127.0.0.2' }];
  await expect(send({ file: dir.file('missing'), receivers: one, mss: 10 })).rejects.toThrow(/no such file/);
  await expect(send({ file: dir.path, receivers: one, mss: 10 })).rejects.toThrow(/not a regular file/);
  await expect(send({ file: input, receivers: one, mss: 0 })).rejects.toThrow(/MSS must be/);
  await expect(send({ file: input, receivers: one, mss: 65500 })).rejects.toThrow(/1 to 65499/);
  await expect(send({ file: input, receivers: one, mss: 8181, profile: 'seed-text' })).rejects.toThrow(
    /1 to 8180/,
  );
  await expect(send({ file: input, receivers: [...one, ...one], mss: 10 })).rejects.toThrow(
    /duplicate server/,
  );
  await expect(
    send({ file: input, receivers: [{ host: 'no-such-host.invalid', port: 1, label: 'x' }], mss: 10 }),
  ).rejects.toThrow(/unknown host/);
});

it('a file that shrinks while it is sent: a clear TransferError (not bad input: data went out), nothing thrown from a socket handler', async () => {
  const input = dir.file('shrinking.bin');
  writeRandomFile(input, 3 << 20);
  const [good] = await startReceivers(1, dir.path, {}, 2);
  let truncated = false;
  try {
    const sending = send({
      file: input,
      receivers: specsOf([good!]),
      mss: 60_000,
      onEvent: (e) => {
        // The first block (about 1 MiB) is already read: the next one finds the file empty.
        if (e.type === 'progress' && !truncated) {
          truncated = true;
          truncateSync(input, 0);
        }
      },
    });
    await expect(sending).rejects.toThrow(
      /^cannot read file ".*shrinking\.bin" any more: it shrank while it was being sent \(it ends at byte \d+, not 3145728\)$/,
    );
    await expect(sending).rejects.toBeInstanceOf(TransferError);
    // p2mpclient prints it as one line, with the exit code of a failed transfer (it said "bad input", 2).
    expect(failureOf('p2mpclient', await sending.catch((e: unknown) => e))).toEqual({
      line: expect.stringMatching(/^p2mpclient: cannot read file ".*shrinking\.bin" any more: it shrank /),
      code: 1,
    });
  } finally {
    await good!.stop();
  }
});
