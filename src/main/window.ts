// The one application window. Its webPreferences are the renderer's security boundary: isolated, sandboxed,
// no Node. Loading and showing are here; what the page may do is in security/.
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

/** `devTools`: only in development; a packaged build has none to open. */
export function mainWindowOptions(
  preloadPath: string,
  iconPath?: string,
  devTools = false,
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'P2MP-FTP Desktop',
    backgroundColor: '#1b1d23',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools,
    },
  };
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the window and loads the app: the dev server in development, else app://p2mp/index.html. */
export function createMainWindow(
  Ctor: WindowCtor,
  options: BrowserWindowConstructorOptions,
  url: string,
): BrowserWindow {
  const win = new Ctor(options);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}
