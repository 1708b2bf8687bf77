// A faithful stand-in for the parts of the `electron` module our main process uses, for running the BUILT main
// bundle under plain Node (no Electron binary can be had here). It keeps Electron's documented rules that a
// mistake would break: privileged schemes only before `ready`, `whenReady` after the module ran, `quit()` emits
// `before-quit` then `will-quit` (each preventable) then `quit`, `web-contents-created` for every window,
// `window-all-closed` when the last one closes, and at most one holder of the single-instance lock.
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface FakeOptions {
  userData: string;
  /** What requestSingleInstanceLock() answers (false: another instance already runs). */
  lock: boolean;
  isPackaged: boolean;
}

class Preventable {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export function createFakeElectron(options: FakeOptions) {
  const app = new EventEmitter();
  let ready = false;
  let quitting = false;
  const state = {
    privilegedSchemes: [] as string[],
    protocolHandlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
    ipcHandlers: new Map<string, Handler>(),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    willDownload: null as null | ((event: { preventDefault(): void }) => void),
    permissionRequest: null as null | ((...args: unknown[]) => void),
    beforeRequest: null as null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    quitEvents: [] as string[],
    quit: false,
    sandboxed: false,
  };

  const windows: FakeWindow[] = [];
  class FakeWebContents extends EventEmitter {
    sent: { channel: string; args: unknown[] }[] = [];
    openHandler: (() => unknown) | null = null;
    send(channel: string, ...args: unknown[]): void {
      this.sent.push({ channel, args });
    }
    setWindowOpenHandler(handler: () => unknown): void {
      this.openHandler = handler;
    }
  }
  class FakeWindow extends EventEmitter {
    static getAllWindows = (): FakeWindow[] => [...windows];
    webContents = new FakeWebContents();
    loaded: string[] = [];
    focused = 0;
    constructor(public options: Record<string, unknown>) {
      super();
      if (!ready) throw new Error('Cannot create BrowserWindow before app is ready');
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(): Promise<void> {
      return Promise.reject(new Error('the app must load app://, not a file'));
    }
    show(): void {}
    focus(): void {
      this.focused += 1;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    close(): void {
      windows.splice(windows.indexOf(this), 1);
      this.emit('closed');
      // Not while quitting: Electron closes the windows itself then, without this event.
      if (windows.length === 0 && !quitting) app.emit('window-all-closed');
    }
  }

  const session = {
    webRequest: {
      onBeforeRequest: (listener: typeof state.beforeRequest) => (state.beforeRequest = listener),
      onHeadersReceived: () => undefined,
    },
    setPermissionRequestHandler: (handler: typeof state.permissionRequest) =>
      (state.permissionRequest = handler),
    setPermissionCheckHandler: (handler: typeof state.permissionCheck) => (state.permissionCheck = handler),
    on: (event: string, listener: NonNullable<typeof state.willDownload>) => {
      if (event === 'will-download') state.willDownload = listener;
    },
    protocol: {
      handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) => {
        if (!state.privilegedSchemes.includes(scheme) && !['http', 'https', 'file'].includes(scheme))
          throw new Error(`scheme ${scheme} was not registered as privileged`);
        state.protocolHandlers.set(scheme, handler);
      },
    },
  };

  const appApi = Object.assign(app, {
    isPackaged: options.isPackaged,
    enableSandbox: () => void (state.sandboxed = true),
    requestSingleInstanceLock: () => options.lock,
    whenReady: () => new Promise<void>((resolve) => (ready ? resolve() : app.once('ready', () => resolve()))),
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected app.getPath(${name})`);
      return options.userData;
    },
    quit: () => {
      const before = new Preventable();
      state.quitEvents.push('before-quit');
      app.emit('before-quit', before);
      if (before.defaultPrevented) return;
      quitting = true;
      for (const win of [...windows]) win.close();
      const will = new Preventable();
      state.quitEvents.push('will-quit');
      app.emit('will-quit', will);
      quitting = false;
      if (will.defaultPrevented) return;
      state.quitEvents.push('quit');
      state.quit = true;
      app.emit('quit');
    },
  });

  const module = {
    app: appApi,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => {
        if (ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before app is ready');
        state.privilegedSchemes.push(...schemes.map((s) => s.scheme));
      },
    },
    session: { defaultSession: session },
    ipcMain: {
      handle: (channel: string, handler: Handler) => {
        if (state.ipcHandlers.has(channel))
          throw new Error(`Attempted to register a second handler for '${channel}'`);
        state.ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
    },
    dialog: {},
    shell: {},
    clipboard: {},
  };

  return {
    module,
    state,
    windows,
    /** Electron emits `ready` once the entry script has run. */
    becomeReady: () => {
      ready = true;
      app.emit('ready');
    },
    /** Calls a channel as the preload would, from a frame showing `frameUrl`. */
    invoke: (channel: string, frameUrl: string, payload: unknown) =>
      state.ipcHandlers.get(channel)!({ senderFrame: { url: frameUrl } }, payload),
  };
}
