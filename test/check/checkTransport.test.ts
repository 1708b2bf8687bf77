// The check's sockets when the machine holds the checker still: what arrived meanwhile is read before any
// silence is judged (Node runs due timers before it reads sockets).
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { probeTransport, receiversTransport } from '../../src/shared/node/checkTransport.js';

it('reads a datagram that arrived while the checker was held still, instead of calling it silence', async () => {
  const port = 17_990;
  const transport = await receiversTransport(1, port);
  try {
    const waiting = transport.next(20);
    // Held still for longer than the wait: another process sends meanwhile (execFileSync blocks this one).
    execFileSync(process.execPath, [
      '-e',
      `const s = require('node:dgram').createSocket('udp4');
       s.send(Buffer.from('late'), ${port}, '${transport.names[0]}', () => s.close());`,
    ]);
    const arrival = await waiting;
    expect(arrival?.datagram.toString()).toBe('late');
    // And silence is still silence.
    expect(await transport.next(20)).toBeNull();
  } finally {
    transport.close();
  }
});

it('takes a reply that came while p2mpcheck server was held still, instead of calling it no answer', async () => {
  const port = 17_991;
  const replied = join(mkdtempSync(join(tmpdir(), 'p2mp-check-')), 'replied');
  // A receiver in another process that answers every datagram, and says so in a file.
  const receiver = spawn(process.execPath, [
    '-e',
    `const s = require('node:dgram').createSocket('udp4');
     s.on('message', (m, from) => s.send(Buffer.from('ack'), from.port, from.address, () =>
       require('node:fs').writeFileSync(${JSON.stringify(replied)}, 'sent')));
     s.bind(${port}, '127.0.0.5', () => console.log('ready'));`,
  ]);
  try {
    await new Promise((resolve) => receiver.stdout.once('data', resolve));
    const transport = await probeTransport('127.0.0.5', port);
    try {
      const reply = transport.exchange(Buffer.from('probe'), 20);
      await new Promise((resolve) => process.nextTick(resolve)); // the probe leaves (dgram sends on a tick)
      // Held still for longer than the wait, until the answer is back (however long a busy machine takes).
      const still = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; !existsSync(replied) && waited < 10_000; waited += 5) Atomics.wait(still, 0, 0, 5);
      Atomics.wait(still, 0, 0, 30);
      expect((await reply)?.toString()).toBe('ack');
    } finally {
      transport.close();
    }
  } finally {
    receiver.kill();
    rmSync(dirname(replied), { recursive: true, force: true });
  }
});

it("hears a new port's late answer while it is open, and records each datagram once", async () => {
  // A receiver answering 200 ms after each datagram, to where it came from.
  const receiver = createSocket('udp4');
  receiver.on('message', (_datagram, from) =>
    setTimeout(() => receiver.send(Buffer.from('ack'), from.port, from.address), 200),
  );
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const seen: string[] = [];
  const transport = await probeTransport('127.0.0.1', receiver.address().port, (dir, bytes) =>
    seen.push(`${dir} ${Buffer.from(bytes).toString()}`),
  );
  try {
    const port = await transport.newPort();
    // Late for the exchange's wait (unless this process was held still past it), heard by listening on.
    const reply = (await port.exchange(Buffer.from('probe'), 1)) ?? (await port.listen(10_000));
    port.close();
    expect(reply && { reply: Buffer.from(reply.reply).toString(), to: reply.to }).toEqual({
      reply: 'ack',
      to: 'new port',
    });
    expect(seen).toEqual(['to-receiver probe', 'to-sender ack']);
  } finally {
    transport.close();
    receiver.close();
  }
});

it('stops at once when the check is stopped mid-wait, on the usual port and on a new one', async () => {
  // A receiver that never answers: every wait would run its whole time.
  const receiver = createSocket('udp4');
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  try {
    for (const onNewPort of [false, true]) {
      const transport = await probeTransport('127.0.0.1', receiver.address().port);
      const port = onNewPort ? await transport.newPort() : null;
      const waiting = port ? port.listen(60_000) : transport.listen(60_000);
      transport.close();
      // Rejected now, not after a minute (the test's own timeout would end it first); the next call too.
      await expect(waiting).rejects.toThrow('the check was stopped');
      await expect(
        port ? port.exchange(Buffer.from('x'), 10) : transport.exchange(Buffer.from('x'), 10),
      ).rejects.toThrow('the check was stopped');
    }
  } finally {
    receiver.close();
  }
});
