// Electron entry: wires the services, the IPC layer and the security rules to the one window.
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, session, shell } from 'electron';
import { BATCH_CHANNEL } from '../shared/contract.js';
import { startReceiver } from '../shared/node/receiver.js';
import { send } from '../shared/node/sender.js';
import { createHandlers, registerIpc } from './ipc.js';
import { APP_INDEX_URL, APP_SCHEME, appScheme, serveApp } from './security/appProtocol.js';
import { applySecurity } from './security/index.js';
import { trustedUrlCheck } from './security/trustedFrame.js';
import { createServices } from './services/index.js';
import { createMainWindow, mainWindowOptions } from './window.js';

// electron-vite sets this in development only; packaged builds load the bundled page.
const devUrl = !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null;
const appUrl = devUrl ?? APP_INDEX_URL;

app.enableSandbox();
protocol.registerSchemesAsPrivileged([appScheme]);

// One instance: a second one (a second demo on the same ports would fail) hands over to the first and quits.
if (!app.requestSingleInstanceLock()) app.quit();
else start();

function start(): void {
  let win: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  void app.whenReady().then(() => {
    session.defaultSession.protocol.handle(APP_SCHEME, serveApp(join(__dirname, '../renderer')));
    applySecurity(app, session.defaultSession, devUrl ? new URL(devUrl).origin : null);
    const services = createServices({
      userData: app.getPath('userData'),
      send,
      startReceiver,
      desktop: { dialog, shell, clipboard },
      emit: (batch) => win?.webContents.send(BATCH_CHANNEL, batch),
      discovery: {},
    });
    registerIpc(ipcMain, createHandlers(services), trustedUrlCheck(appUrl), services.granted);
    const open = (): void => {
      const options = mainWindowOptions(
        join(__dirname, '../preload/index.js'),
        join(__dirname, '../../resources/icon.png'),
        !app.isPackaged,
      );
      win = createMainWindow(BrowserWindow, options, appUrl);
      win.on('closed', () => (win = null));
    };
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
    app.on('window-all-closed', () => app.quit());
    // Every way out (last window, Cmd+Q, app.quit(), Ctrl-C on `npm start`) stops the sessions first, so no
    // socket or demo temp folder outlives the app.
    let disposed = false;
    app.on('before-quit', (event) => {
      if (disposed) return;
      event.preventDefault();
      void services.dispose().finally(() => {
        disposed = true;
        app.quit();
      });
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
  });
}
