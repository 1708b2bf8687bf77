// The Electron entry with `electron` mocked: it must sandbox the app, secure every webContents, register
// every IPC channel behind the sender-frame check, and open one window with the secure webPreferences.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src/shared/contract.js';

const electron = vi.hoisted(() => {
  const windows: {
    options: Record<string, unknown>;
    loaded: string[];
    webContents: { send: (...a: unknown[]) => void };
  }[] = [];
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const appEvents: Record<string, (...args: unknown[]) => void> = {};
  const session = {
    headers: null as null | ((d: unknown, cb: (r: unknown) => void) => void),
    webRequest: {
      onHeadersReceived(l: (d: unknown, cb: (r: unknown) => void) => void) {
        session.headers = l;
      },
      onBeforeRequest() {},
    },
    setPermissionRequestHandler() {},
  };
  class BrowserWindow {
    static getAllWindows = () => windows;
    loaded: string[] = [];
    webContents = { send: () => undefined };
    constructor(public options: Record<string, unknown>) {
      windows.push(this);
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.loaded.push(file);
      return Promise.resolve();
    }
  }
  return {
    windows,
    handlers,
    appEvents,
    session,
    module: {
      app: {
        isPackaged: true,
        enableSandbox: vi.fn(),
        whenReady: () => Promise.resolve(),
        on: (event: string, listener: (...args: unknown[]) => void) => (appEvents[event] = listener),
        getPath: (): string => '',
        quit: vi.fn(),
      },
      BrowserWindow,
      ipcMain: {
        handle: (channel: string, handler: (...args: unknown[]) => unknown) => handlers.set(channel, handler),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      session: { defaultSession: session },
      dialog: {},
      shell: {},
      clipboard: {},
    },
  };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

let userData = '';
afterAll(async () => {
  await rm(userData, { recursive: true, force: true });
});

describe('Electron entry (electron mocked)', () => {
  it('wires security, IPC and one sandboxed window', async () => {
    userData = await mkdtemp(join(tmpdir(), 'p2mp-entry-'));
    electron.module.app.getPath = () => userData;
    await import('../../src/main/index.js');
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));

    expect(electron.module.app.enableSandbox).toHaveBeenCalled();
    const win = electron.windows[0]!;
    expect(win.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String((win.options['webPreferences'] as { preload: string }).preload)).toMatch(
      /preload[\\/]index\.js$/,
    );
    expect(win.loaded[0]).toMatch(/renderer[\\/]index\.html$/);

    expect(typeof electron.appEvents['web-contents-created']).toBe('function');
    const callback = vi.fn();
    electron.session.headers!({ responseHeaders: {} }, callback);
    expect(callback.mock.calls[0]![0].responseHeaders['Content-Security-Policy'][0]).toContain(
      "default-src 'none'",
    );

    expect([...electron.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    const settingsGet = electron.handlers.get('settings:get')!;
    const fromApp = { senderFrame: { url: pathToFileURL(win.loaded[0]!).href } };
    expect(await settingsGet(fromApp, null)).toMatchObject({ ok: true, value: { mode: 'demo' } });
    expect(await settingsGet({ senderFrame: { url: 'https://evil.example/' } }, null)).toEqual({
      ok: false,
      error: 'request refused: it did not come from the app page',
    });
  });
});
