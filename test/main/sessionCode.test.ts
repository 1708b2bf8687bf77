// Receive mode with "Let in only a sender with a session code": main makes a new code each time it listens and
// returns it; Send mode's code goes through IPC to the engine. Real services, IPC dispatch and engine on loopback.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/ipc.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import type { EventBatch, Listening } from '../../src/shared/contract.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { loopbackDiscovery } from '../helpers/loopback.js';
import { fakeDesktop } from './fakeDesktop.js';
import { randomPort } from '../helpers/ports.js';

vi.mock('electron');

let dir: string;
let receiving: AppServices;
let sending: AppServices;
let batches: EventBatch[];

const make = (userData: string, emit: (b: EventBatch) => void = () => undefined): AppServices =>
  createServices({
    discovery: loopbackDiscovery,
    userData,
    send,
    startReceiver,
    desktop: fakeDesktop(),
    emit,
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-code-'));
  batches = [];
  receiving = make(join(dir, 'r'));
  sending = make(join(dir, 's'), (batch) => batches.push(JSON.parse(JSON.stringify(batch)) as EventBatch));
});

afterEach(async () => {
  await Promise.all([receiving.dispose(), sending.dispose()]);
  await rm(dir, { recursive: true, force: true });
});

const call = (services: AppServices, channel: string, payload: unknown) =>
  dispatch(createHandlers(services), channel, payload);

async function listen(
  port: number,
  {
    services = receiving,
    host = '127.0.0.43',
    code,
  }: { services?: AppServices; host?: string; code?: string } = {},
): Promise<{ folder: string; listening: Listening }> {
  const folder = join(dir, `inbox-${host}`);
  await mkdir(folder, { recursive: true });
  await services.settings.update({ saveFolder: folder });
  const started = await call(services, 'receive:start', {
    port,
    bind: host,
    p: 0.1,
    seed: 3,
    profile: 'standard',
    announce: false,
    name: null,
    autoAccept: true,
    requireCode: true,
    ...(code !== undefined ? { code } : {}),
  });
  if (!started.ok) throw new Error(started.error);
  return { folder, listening: started.value as Listening };
}

async function sendWith(port: number, code: string, hosts = ['127.0.0.43']) {
  const input = join(dir, 'notes.txt');
  const data = randomBytes(6_000);
  await writeFile(input, data);
  sending.granted.grant(input);
  const started = await call(sending, 'send:start', {
    file: input,
    receivers: hosts.map((host) => `${host}:${port}`),
    mss: 500,
    timeoutMs: 100,
    profile: 'standard',
    code,
  });
  expect(started).toEqual({ ok: true, value: null });
  await vi.waitFor(() => expect(batches.at(-1)?.senders['send']?.snapshot.result).toBeTruthy(), {
    timeout: 20_000,
    interval: 50,
  });
  return { data, snapshot: batches.at(-1)!.senders['send']!.snapshot };
}

describe('Receive mode with a session code', () => {
  it('shows a new code each time it listens; the sender that types it gets the file in, verified', async () => {
    const port = randomPort();
    const { folder, listening } = await listen(port);
    expect(listening.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const { data, snapshot } = await sendWith(port, listening.code!.toLowerCase());
    expect(snapshot.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
    expect(await readFile(join(folder, 'notes.txt'))).toEqual(data);
    // Listening again: another code.
    await call(receiving, 'receive:stop', null);
    const again = await listen(port);
    expect(again.listening.code).not.toBe(listening.code);
  });

  it('a room: receivers given the code the sender made all get the file from one transfer', async () => {
    const port = randomPort();
    const other = make(join(dir, 'r2'));
    try {
      const room = '9T4K-2M7Q-XH3B';
      const first = await listen(port, { code: room.toLowerCase().replace(/-/g, ' ') });
      const second = await listen(port, { services: other, host: '127.0.0.44', code: room });
      expect([first.listening.code, second.listening.code]).toEqual([room, room]);
      const { data, snapshot } = await sendWith(port, room, ['127.0.0.43', '127.0.0.44']);
      expect(snapshot.receivers.map((r) => [r.state, r.mode])).toEqual([
        ['done', 'verified'],
        ['done', 'verified'],
      ]);
      for (const { folder } of [first, second])
        expect(await readFile(join(folder, 'notes.txt'))).toEqual(data);
    } finally {
      await other.dispose();
    }
  });

  it('a wrong code: the sender shows "wrong code" and nothing is kept', async () => {
    const port = randomPort();
    const { folder } = await listen(port);
    const { snapshot } = await sendWith(port, '7K3M-Q9XD-2HFA');
    expect(snapshot.receivers[0]).toMatchObject({
      state: 'failed',
      failure: 'wrong code: it cannot open our datagrams (it was given another session code)',
    });
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a malformed code at the IPC boundary, before anything is sent', async () => {
    const result = await call(sending, 'send:start', {
      file: join(dir, 'x'),
      receivers: ['127.0.0.43:7000'],
      mss: 500,
      timeoutMs: 100,
      profile: 'standard',
      code: '1234',
    });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toMatch(/a session code is 12 letters and digits/);
  });
});
