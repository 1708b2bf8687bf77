// The IPC layer with real services (settings in a temp dir) and fake engine/desktop: payload validation with
// clear messages, the sender-frame check, and each channel reaching its service.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch, registerIpc, type Handlers } from '../../src/main/ipc.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import { sanitizeSettings } from '../../src/main/validate.js';
import { CHANNELS, DEFAULT_SETTINGS } from '../../src/shared/contract.js';
import type { SendOptions } from '../../src/shared/node/sender.js';
import { desktopAnswers, fakeDesktop } from './fakeDesktop.js';
import { heldSend } from './fakeSend.js';
import { loopbackDiscovery } from '../helpers/loopback.js';

vi.mock('electron');

let dir: string;
let services: AppServices;
let handlers: Handlers;
let sendCalls: SendOptions[];
let desktop = desktopAnswers();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-ipc-'));
  sendCalls = [];
  desktop = { ...desktopAnswers(), save: join(dir, 'summary.txt') };
  services = createServices({
    discovery: loopbackDiscovery,
    userData: dir,
    send: heldSend(sendCalls),
    startReceiver: () => Promise.reject(new Error('not in this test')),
    desktop: fakeDesktop(desktop),
    emit: () => undefined,
  });
  handlers = createHandlers(services);
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: unknown, payload: unknown) => dispatch(handlers, channel, payload);

describe('payload validation', () => {
  it.each([
    ['nope:nope', null, 'unknown request "nope:nope"'],
    ['settings:get', { sneaky: 1 }, 'request: expected no payload'],
    [
      'settings:update',
      { mss: 0 },
      'request.mss: MSS must be a whole number from 1 to 65499 (standard profile), got 0',
    ],
    ['settings:update', { saveFolder: '/etc' }, 'request: unexpected field "saveFolder"'],
    ['settings:update', { theme: 'neon' }, 'request.theme: expected one of system, light, dark'],
    ['settings:update', [], 'request: expected an object'],
    ['file:inspect', { path: 'relative/file' }, 'request.path: expected an absolute path'],
    [
      'send:start',
      { file: '/x', receivers: [], mss: 500, timeoutMs: 100, profile: 'standard' },
      'request.receivers: expected 1 to 64 receivers',
    ],
    [
      'send:start',
      { file: '/x', receivers: ['bad host!'], mss: 500, timeoutMs: 100, profile: 'standard' },
      'request.receivers[0]: "bad host!" is not host or host:port',
    ],
    [
      'send:start',
      { file: '/x', receivers: ['a'], mss: 9000, timeoutMs: 100, profile: 'seed-text' },
      'request: MSS must be a whole number from 1 to 8180 (seed-text profile), got 9000',
    ],
    [
      'send:start',
      { file: '/x', receivers: ['a'], mss: 2041, timeoutMs: 100, profile: 'seed-text' },
      'request: MSS 2041 is too large for a reference seed-text receiver (its 16,384-byte buffer takes MSS up to ' +
        '2040; a larger chunk silently loses its last byte): use MSS <= 2040',
    ],
    [
      'send:start',
      { file: '/x', receivers: ['a'], mss: 500, timeoutMs: 0, profile: 'standard' },
      'request.timeoutMs: timeout must be at least 10 ms when the app sends to other machines, got 0 ms',
    ],
    [
      'send:start',
      {
        file: '/x',
        receivers: Array.from({ length: 65 }, (_, i) => `10.0.0.${i + 1}`),
        mss: 500,
        timeoutMs: 100,
        profile: 'standard',
      },
      'request.receivers: expected 1 to 64 receivers',
    ],
    [
      'send:start',
      { file: '/x', receivers: ['a'], mss: 500, timeoutMs: 9.5, profile: 'standard' },
      'request.timeoutMs: timeout must be at least 10 ms when the app sends to other machines, got 9.5 ms',
    ],
    [
      'receive:start',
      {
        port: 70000,
        bind: '0.0.0.0',
        p: 0,
        seed: null,
        profile: 'standard',
        announce: false,
        name: null,
        autoAccept: true,
      },
      'request.port: port must be a whole number from 1 to 65535, got 70000',
    ],
    [
      'receive:start',
      {
        port: 7735,
        bind: '0.0.0.0',
        p: 0,
        seed: null,
        profile: 'standard',
        announce: true,
        name: '\u0007\u202e',
        autoAccept: false,
      },
      'request.name: the name needs a printable character',
    ],
    ['receive:set-loss', { p: 1.5 }, 'request.p: loss probability p must be between 0 and 1, got 1.5'],
    [
      'demo:start',
      { file: null, loss: [], mss: 500, timeoutMs: 100, profile: 'standard', port: 7735 },
      'request.loss: expected a list of 1-8 items',
    ],
    ['demo:set-loss', { index: 9, p: 0.1 }, 'request.index: no such receiver'],
  ])('%s %j -> %s', async (channel, payload, error) => {
    expect(await call(channel, payload)).toEqual({ ok: false, error });
  });
});

describe('channels reach their services', () => {
  it('persists settings updates', async () => {
    expect(await call('settings:update', { mode: 'send', receivers: ['lab-pc-3'] })).toMatchObject({
      ok: true,
    });
    const stored = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(stored).toMatchObject({ mode: 'send', receivers: ['lab-pc-3'], port: 7735 });
  });

  it('sets the save folder only from the native dialog', async () => {
    desktop.open = join(dir, 'inbox');
    expect(await call('folder:choose', null)).toEqual({ ok: true, value: desktop.open });
    expect((await services.settings.get()).saveFolder).toBe(desktop.open);
  });

  it('inspects a chosen file: size and SHA-256', async () => {
    desktop.open = join(dir, 'hello.txt');
    await writeFile(desktop.open, 'hello');
    expect(await call('file:choose', null)).toEqual({
      ok: true,
      value: {
        path: desktop.open,
        name: 'hello.txt',
        size: 5,
        sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      },
    });
    await rm(desktop.open);
    expect(await call('file:inspect', { path: desktop.open })).toEqual({
      ok: false,
      error: `cannot read ${desktop.open}`,
    });
  });

  it('starts a send with parsed receivers, refuses a second, and cancels', async () => {
    services.granted.grant('/x');
    const request = {
      file: '/x',
      receivers: ['127.0.0.2', '127.0.0.3:9000'],
      mss: 500,
      timeoutMs: 100,
      profile: 'standard',
    };
    expect(await call('send:start', request)).toEqual({ ok: true, value: null });
    expect(sendCalls[0]!.receivers).toEqual([
      { host: '127.0.0.2', port: 7735, label: '127.0.0.2' },
      { host: '127.0.0.3', port: 9000, label: '127.0.0.3:9000' },
    ]);
    expect(await call('send:start', request)).toEqual({
      ok: false,
      error: 'a transfer is already running: cancel it first',
    });
    expect(await call('send:cancel', null)).toEqual({ ok: true, value: null });
    expect(services.sender.running).toBe(false);
  });

  it('labels a receiver added from the network with the name it announced, beside its address', async () => {
    services.granted.grant('/x');
    const request = {
      file: '/x',
      receivers: ['127.0.1.9', '127.0.1.10:7736', '127.0.1.11'],
      // Names come from the network: invisible characters (a bidi override) are dropped, whatever they say.
      names: ['Lab PC 9', 'Lab\u202e PC 10', null],
      mss: 500,
      timeoutMs: 100,
      profile: 'standard',
    };
    expect(await call('send:start', request)).toEqual({ ok: true, value: null });
    expect(sendCalls[0]!.receivers.map((r) => r.label)).toEqual([
      'Lab PC 9 (127.0.1.9)',
      'Lab PC 10 (127.0.1.10:7736)',
      '127.0.1.11',
    ]);
    expect(await call('send:cancel', null)).toEqual({ ok: true, value: null });
    const long = await call('send:start', { ...request, names: ['x'.repeat(1000), null, null] });
    expect(long).toMatchObject({ ok: false });
  });

  it("passes Selective Repeat's multicast switch to the engine, and leaves the engine's default when absent", async () => {
    services.granted.grant('/x');
    const request = { file: '/x', receivers: ['127.0.0.2'], mss: 500, timeoutMs: 100, profile: 'standard' };
    for (const multicast of [false, true, undefined]) {
      const payload = { ...request, protocol: 'sr', ...(multicast === undefined ? {} : { multicast }) };
      expect(await call('send:start', payload)).toEqual({ ok: true, value: null });
      expect(await call('send:cancel', null)).toEqual({ ok: true, value: null });
    }
    expect(sendCalls.map((c) => [c.protocol, c.multicast])).toEqual([
      ['sr', false],
      ['sr', true],
      ['sr', undefined],
    ]);
  });

  it('sends to at most 64 receivers, each once, with a timeout of 10 ms or more (no flood tool)', async () => {
    services.granted.grant('/x');
    const request = { file: '/x', mss: 500, timeoutMs: 10, profile: 'standard' };
    expect(
      await call('send:start', { ...request, receivers: ['10.0.0.1', 'lab-pc-3', '10.0.0.1:7735'] }),
    ).toEqual({
      ok: false,
      error: '10.0.0.1:7735 is listed twice: it would get every packet twice',
    });
    const receivers = Array.from({ length: 64 }, (_, i) => `10.0.0.${i + 1}`);
    expect(await call('send:start', { ...request, receivers })).toEqual({ ok: true, value: null });
    expect(sendCalls.map((c) => [c.receivers.length, c.timeoutMs])).toEqual([[64, 10]]);
  });

  it('refuses to show a file the app did not receive', async () => {
    expect(await call('file:show', { path: '/etc/passwd' })).toEqual({
      ok: false,
      error: 'only files this app received can be shown',
    });
    services.written.add('/tmp/received-1.bin');
    expect(await call('file:show', { path: '/tmp/received-1.bin' })).toMatchObject({ ok: true });
    expect(desktop.shown).toEqual(['/tmp/received-1.bin']);
  });

  it('copies and saves the summary', async () => {
    await call('summary:copy', { text: 'sum' });
    expect(desktop.copied).toEqual(['sum']);
    expect(await call('summary:save', { text: 'saved' })).toEqual({
      ok: true,
      value: join(dir, 'summary.txt'),
    });
    expect(await readFile(join(dir, 'summary.txt'), 'utf8')).toBe('saved');
    // One native dialog at a time: a page asking for many at once gets the others refused, in words.
    const [first, second] = await Promise.all([
      call('summary:save', { text: 'one' }),
      call('folder:choose', null),
    ]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toEqual({ ok: false, error: 'a file dialog is already open' });
  });

  it('needs a save folder before listening', async () => {
    const request = {
      port: 7735,
      bind: '127.0.0.2',
      p: 0.1,
      seed: null,
      profile: 'standard',
      announce: true,
      name: null,
      autoAccept: false,
    };
    expect(await call('receive:start', request)).toEqual({ ok: false, error: 'choose a save folder first' });
    await services.settings.update({ saveFolder: join(dir, 'gone') });
    expect(await call('receive:start', request)).toEqual({
      ok: false,
      error: `save folder ${join(dir, 'gone')} does not exist`,
    });
  });
});

describe('registerIpc', () => {
  it('registers every channel and answers only our page', async () => {
    const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
    const ipcMain = {
      handle: (channel: string, h: (event: unknown, payload: unknown) => Promise<unknown>) =>
        registered.set(channel, h),
      removeHandler: (channel: string) => registered.delete(channel),
    };
    const unregister = registerIpc(
      ipcMain as never,
      handlers,
      (url) => url === 'file:///app/index.html',
      services.granted,
    );
    expect(registered.size).toBe(CHANNELS.length);
    const get = registered.get('settings:get')!;
    expect(await get({ senderFrame: { url: 'file:///app/index.html' } }, null)).toMatchObject({ ok: true });
    expect(await get({ senderFrame: { url: 'file:///tmp/other.html' } }, null)).toMatchObject({ ok: false });
    expect(await get({ senderFrame: null }, null)).toMatchObject({ ok: false });
    unregister();
    expect(registered.size).toBe(0);
  });
});

describe('settings file', () => {
  it('keeps valid fields of a hand-edited file and defaults the rest', async () => {
    expect(
      sanitizeSettings(
        { port: 9000, mss: -1, theme: 'dark', saveFolder: 'relative', junk: 1 },
        DEFAULT_SETTINGS,
      ),
    ).toEqual({
      ...DEFAULT_SETTINGS,
      port: 9000,
      theme: 'dark',
    });
    await mkdir(join(dir, 'u'));
    await writeFile(join(dir, 'u', 'settings.json'), '{ not json');
    const { SettingsStore } = await import('../../src/main/services/settingsStore.js');
    const store = new SettingsStore(join(dir, 'u', 'settings.json'));
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    await store.update({ p: 0.3 });
    expect(await new SettingsStore(join(dir, 'u', 'settings.json')).get()).toMatchObject({ p: 0.3 });
  });

  it('keeps every patch when the page reads the settings while they are being changed', async () => {
    const { SettingsStore } = await import('../../src/main/services/settingsStore.js');
    const file = join(dir, 'race', 'settings.json');
    const store = new SettingsStore(file);
    // The page's first read, two patches and another read, all in flight at once (as on a page load).
    const [, , , read] = await Promise.all([
      store.get(),
      store.update({ mode: 'experiments' }),
      store.update({ p: 0.2 }),
      store.get(),
    ]);
    expect(read).toMatchObject({ mode: 'experiments', p: 0.2 });
    expect(await store.get()).toMatchObject({ mode: 'experiments', p: 0.2 });
    expect(await new SettingsStore(file).get()).toMatchObject({ mode: 'experiments', p: 0.2 });
  });
});
