// A compromised renderer against the main process: it may ask for any path, but main reads (inspects, sends)
// only files the user picked in the dialog or dropped on the window in this run.
// Requests go through registerIpc as Electron would deliver them, and, for drops, through the real preload API.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, registerIpc } from '../../src/main/ipc.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import { createApi } from '../../src/preload/api.js';
import type { Channel, Result } from '../../src/shared/contract.js';
import type { SendOptions } from '../../src/shared/node/sender.js';
import { desktopAnswers, fakeDesktop } from './fakeDesktop.js';
import { heldSend } from './fakeSend.js';
import { loopbackDiscovery } from '../helpers/loopback.js';

vi.mock('electron');

const PAGE = 'app://p2mp/index.html';
const REFUSED = {
  ok: false,
  error: 'choose the file again: the app only reads files you picked or dropped',
};

let dir: string;
let secret: string;
let services: AppServices;
let sends: SendOptions[];
let desktop = desktopAnswers();
let handlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-granted-'));
  secret = join(dir, 'id_ed25519');
  await writeFile(secret, 'private key');
  sends = [];
  desktop = desktopAnswers();
  services = createServices({
    discovery: loopbackDiscovery,
    userData: dir,
    send: heldSend(sends),
    startReceiver: () => Promise.reject(new Error('no receivers in this test')),
    desktop: fakeDesktop(desktop),
    emit: () => undefined,
    demoTempRoot: dir,
  });
  handlers = new Map();
  const ipcMain = {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  registerIpc(ipcMain as never, createHandlers(services), (url) => url === PAGE, services.granted);
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** What Electron hands the handler for ipcRenderer.invoke(channel, ...args) from a frame at `url`. */
const fromFrame = (url: string, channel: string, ...args: unknown[]) =>
  handlers.get(channel)!({ senderFrame: { url } }, ...args) as Promise<Result<unknown>>;
const call = (channel: Channel, payload: unknown, ...extra: unknown[]) =>
  fromFrame(PAGE, channel, payload, ...extra);

const sendRequest = (file: string) => ({
  file,
  receivers: ['127.0.0.2'],
  mss: 500,
  timeoutMs: 100,
  profile: 'standard',
});
const demoRequest = (file: string) => ({
  file,
  loss: [0],
  mss: 500,
  timeoutMs: 100,
  profile: 'standard',
  port: 7735,
});
const labRequest = (file: string) => ({
  studies: [1],
  repeat: 1,
  file,
  fileSize: 1000,
  timeoutMs: 100,
  seed: 1,
});

describe('main reads only files the user granted', () => {
  it.each(['/etc/passwd', '/etc/shadow', 'a temp file'])(
    'refuses %s on every channel that reads',
    async (name) => {
      const path = name === 'a temp file' ? secret : name;
      expect(await call('file:inspect', { path })).toEqual(REFUSED);
      expect(await call('send:start', sendRequest(path))).toEqual(REFUSED);
      expect(await call('demo:start', demoRequest(path))).toEqual(REFUSED);
      expect(await call('lab:start', labRequest(path))).toEqual(REFUSED);
      expect(sends).toEqual([]);
      expect(services.lab.running).toBe(false);
    },
  );

  it('reads a file picked in the open dialog: inspect and send', async () => {
    desktop.open = secret;
    expect(await call('file:choose', null)).toMatchObject({ ok: true, value: { path: secret, size: 11 } });
    expect(await call('file:inspect', { path: secret })).toMatchObject({ ok: true, value: { size: 11 } });
    expect(await call('send:start', sendRequest(secret))).toEqual({ ok: true, value: null });
    expect(sends.map((s) => s.file)).toEqual([secret]);
    // The grant is for that exact path, not for its folder or a path that leads to it.
    const other = join(dir, 'other.txt');
    await writeFile(other, 'x');
    expect(await call('file:inspect', { path: other })).toEqual(REFUSED);
    expect(await call('file:inspect', { path: `${dir}/./id_ed25519` })).toEqual(REFUSED);
  });

  it('a cancelled dialog grants nothing', async () => {
    desktop.open = null;
    expect(await call('file:choose', null)).toEqual({ ok: true, value: null });
    expect(await call('file:inspect', { path: secret })).toEqual(REFUSED);
  });

  it('the demo still sends its bundled sample (file null) without any grant', async () => {
    const started = await call('demo:start', { ...demoRequest(''), file: null, port: 1 });
    // It gets past the grant check to the receivers (which this test does not have).
    expect(started).toEqual({ ok: false, error: 'no receivers in this test' });
  });
});

describe('drops: the preload vouches for a path webUtils gave for a File', () => {
  /** The real preload API, its ipcRenderer wired to main's handlers as the app page's frame. */
  const preload = (paths: Map<object, string>) =>
    createApi(
      {
        invoke: (channel: string, ...args: unknown[]) => fromFrame(PAGE, channel, ...args),
        on: vi.fn(),
        removeListener: vi.fn(),
      } as never,
      { getPathForFile: (file: object) => paths.get(file) ?? '' } as never,
    );

  it('a dropped file can be inspected and sent; nothing else can', async () => {
    const file = new Blob(['dropped']);
    const api = preload(new Map([[file, secret]]));
    expect(await api.invoke('file:inspect', { path: '/etc/passwd' })).toEqual(REFUSED);
    expect(await api.invoke('file:inspect', { path: secret })).toEqual(REFUSED); // before the drop
    const path = api.pathForFile(file);
    expect(path).toBe(secret);
    expect(await api.invoke('file:inspect', { path })).toMatchObject({ ok: true, value: { size: 11 } });
    expect(await api.invoke('send:start', sendRequest(path) as never)).toEqual({ ok: true, value: null });
    expect(await api.invoke('file:inspect', { path: '/etc/passwd' })).toEqual(REFUSED);
  });

  it('the page cannot add a note of its own, nor vouch with a File that has no path', async () => {
    const api = preload(new Map());
    expect(api.pathForFile(new Blob(['built by the page']))).toBe('');
    const invoke = api.invoke as (...args: unknown[]) => Promise<unknown>;
    expect(await invoke('file:inspect', { path: secret }, { dropped: secret })).toEqual(REFUSED);
  });

  it('main grants a note only with file:inspect of that very path, from the app page', async () => {
    const note = { dropped: secret };
    expect(await call('file:inspect', { path: '/etc/passwd' }, note)).toEqual(REFUSED);
    expect(await call('send:start', sendRequest(secret), note)).toEqual(REFUSED);
    expect(await call('file:inspect', { path: secret }, { dropped: secret, extra: 1 })).toEqual(REFUSED);
    expect(await fromFrame('https://evil.example/', 'file:inspect', { path: secret }, note)).toMatchObject({
      ok: false,
    });
    expect(await call('send:start', sendRequest(secret))).toEqual(REFUSED);
    expect(await call('file:inspect', { path: secret }, note)).toMatchObject({ ok: true });
    expect(await call('send:start', sendRequest(secret))).toEqual({ ok: true, value: null });
  });
});
