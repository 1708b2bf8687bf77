// The one application window. Its webPreferences are the renderer's security boundary: isolated, sandboxed,
// no Node. Loading and showing are here; what the page may do is in security/.
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
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
    },
  };
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the window and loads the app: the dev server URL when given, else the built index.html. */
export function createMainWindow(
  Ctor: WindowCtor,
  options: BrowserWindowConstructorOptions,
  page: { url: string } | { file: string },
): BrowserWindow {
  const win = new Ctor(options);
  win.once('ready-to-show', () => win.show());
  if ('url' in page) void win.loadURL(page.url);
  else void win.loadFile(page.file);
  return win;
}
