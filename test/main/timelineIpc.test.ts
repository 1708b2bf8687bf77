// The timeline's main-side glue: pace channels reach the session's pacer, and recordings are saved and opened
// through (fake) native dialogs, with every payload validated.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../src/main/ipc.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import type { SenderEvent } from '../../src/shared/events.js';
import type { SendOptions } from '../../src/shared/node/sender.js';
import type { Pacer } from '../../src/shared/engine/pacer.js';
import { decodeRecording, encodeRecording } from '../../src/shared/live/recording.js';
import { TimelineKind } from '../../src/shared/live/timeline.js';
import { desktopAnswers, fakeDesktop } from './fakeDesktop.js';
import { loopbackDiscovery } from '../helpers/loopback.js';

vi.mock('electron');

let dir: string;
let services: AppServices;
let handlers: Handlers;
let sends: SendOptions[];
const dialogs = desktopAnswers();

const start: SenderEvent = {
  type: 'start',
  t: 0,
  fileSize: 1000,
  mss: 500,
  chunks: 2,
  timeoutMs: 100,
  profile: 'standard',
  receivers: [{ id: 0, label: '127.0.0.2', address: '127.0.0.2', port: 7735 }],
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-timeline-ipc-'));
  sends = [];
  services = createServices({
    discovery: loopbackDiscovery,
    userData: dir,
    // A fake engine: starts, sends chunk 1, then waits for cancel.
    send: async (options) => {
      sends.push(options);
      options.onEvent?.(start);
      options.onEvent?.({ type: 'send', t: 1, seq: 1, receiver: 0, retransmission: false });
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()));
      throw new Error('cancelled');
    },
    startReceiver: () => Promise.reject(new Error('not in this test')),
    desktop: fakeDesktop(dialogs),
    emit: () => undefined,
  });
  handlers = createHandlers(services);
  services.granted.grant(sendRequest.file); // as if picked in the dialog
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload);
const sendRequest = { file: '/f', receivers: ['127.0.0.2'], mss: 500, timeoutMs: 100, profile: 'standard' };

describe('pace channels', () => {
  it.each([
    [
      { source: 'nope', pace: { mode: { kind: 'full' }, paused: false } },
      'request.source: expected one of send, demo',
    ],
    [
      { source: 'send', pace: { mode: { kind: 'warp' }, paused: false } },
      'request.pace.mode.kind: expected full, slow or step',
    ],
    [
      { source: 'send', pace: { mode: { kind: 'slow', roundsPerSecond: 0 }, paused: false } },
      'request.pace.mode.roundsPerSecond: rounds per second must be 0.1-20',
    ],
    [
      { source: 'send', pace: { mode: { kind: 'step', extra: 1 }, paused: false } },
      'request.pace.mode: unexpected field "extra"',
    ],
    [{ source: 'send', pace: { mode: { kind: 'full' } } }, 'request.pace.paused: expected true/false'],
  ])('rejects %j', async (payload, error) => {
    expect(await call('pace:set', payload)).toEqual({ ok: false, error });
  });

  it('gives each session a pacer with the chosen pace, switchable during the transfer', async () => {
    const step = { mode: { kind: 'step' }, paused: false };
    expect(await call('pace:set', { source: 'send', pace: step })).toEqual({ ok: true, value: null });
    expect(await call('send:start', sendRequest)).toEqual({ ok: true, value: null });
    const pacer = sends[0]!.pacer as Pacer;
    expect(pacer.mode).toEqual({ kind: 'step' });
    let rounds = 0;
    pacer.waitTurn(() => rounds++);
    expect(rounds).toBe(0);
    expect(await call('pace:step', { source: 'send' })).toEqual({ ok: true, value: null });
    expect(rounds).toBe(1);
    const slow = { mode: { kind: 'slow', roundsPerSecond: 2 }, paused: true };
    expect(await call('pace:set', { source: 'send', pace: slow })).toMatchObject({ ok: true });
    expect([pacer.mode, pacer.paused]).toEqual([{ kind: 'slow', roundsPerSecond: 2 }, true]);
    // The demo's sender has its own pace.
    expect(await call('pace:set', { source: 'demo', pace: step })).toMatchObject({ ok: true });
    expect(pacer.mode.kind).toBe('slow');
    await call('send:cancel', null);
  });
});

describe('recording channels', () => {
  it('refuses to save before any transfer, then saves the session through the save dialog', async () => {
    expect(await call('recording:save', { source: 'send' })).toEqual({
      ok: false,
      error: 'nothing recorded yet: run a transfer first',
    });
    await call('send:start', sendRequest);
    dialogs.save = join(dir, 'run.p2mptl');
    expect(await call('recording:save', { source: 'send' })).toEqual({ ok: true, value: dialogs.save });
    const saved = decodeRecording(await readFile(dialogs.save, 'utf8'));
    expect(saved.session.source).toBe('send');
    expect(saved.events).toEqual([1, TimelineKind.send, 1, 0]);
    dialogs.save = null;
    expect(await call('recording:save', { source: 'send' })).toEqual({ ok: true, value: null });
    expect(await call('recording:save', { source: 'other' })).toMatchObject({ ok: false });
    await call('send:cancel', null);
  });

  it('opens a recording through the open dialog and names what is wrong with a bad one', async () => {
    dialogs.open = null;
    expect(await call('recording:open', null)).toEqual({ ok: true, value: null });
    const good = join(dir, 'good.p2mptl');
    const recording = {
      session: {
        source: 'demo' as const,
        fileSize: 1,
        mss: 1,
        chunks: 1,
        timeoutMs: 100,
        profile: 'standard',
        receivers: start.type === 'start' ? start.receivers : [],
      },
      outcome: null,
      truncated: false,
      events: [0.5, TimelineKind.send, 1, 0],
    };
    await writeFile(good, encodeRecording(recording));
    dialogs.open = good;
    expect(await call('recording:open', null)).toEqual({ ok: true, value: recording });
    const bad = join(dir, 'bad.p2mptl');
    await writeFile(bad, 'hello\n');
    dialogs.open = bad;
    expect(await call('recording:open', null)).toEqual({
      ok: false,
      error: `cannot open ${bad}: not a P2MP-FTP timeline recording (line 1 is not a JSON header)`,
    });
    expect(await call('recording:open', { path: '/etc/passwd' })).toEqual({
      ok: false,
      error: 'request: expected no payload',
    });
  });
});
