// Electron entry: wires the services, the IPC layer and the security rules to the one window.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, session, shell } from 'electron';
import { BATCH_CHANNEL } from '../shared/contract.js';
import { startReceiver } from '../shared/node/receiver.js';
import { send } from '../shared/node/sender.js';
import { createHandlers, registerIpc } from './ipc.js';
import { applySecurity } from './security/index.js';
import { trustedUrlCheck } from './security/trustedFrame.js';
import { createServices } from './services/index.js';
import { createMainWindow, mainWindowOptions } from './window.js';

// electron-vite sets this in development only; packaged builds load the bundled page.
const devUrl = !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null;
const indexHtml = join(__dirname, '../renderer/index.html');
const appUrl = devUrl ?? pathToFileURL(indexHtml).href;

app.enableSandbox();

void app.whenReady().then(() => {
  applySecurity(app, session.defaultSession, devUrl ? new URL(devUrl).origin : null);
  let win: BrowserWindow | null = null;
  const services = createServices({
    userData: app.getPath('userData'),
    send,
    startReceiver,
    desktop: { dialog, shell, clipboard },
    emit: (batch) => win?.webContents.send(BATCH_CHANNEL, batch),
  });
  registerIpc(ipcMain, createHandlers(services), trustedUrlCheck(appUrl));
  const open = (): void => {
    win = createMainWindow(
      BrowserWindow,
      mainWindowOptions(join(__dirname, '../preload/index.js'), join(__dirname, '../../resources/icon.png')),
      devUrl ? { url: devUrl } : { file: indexHtml },
    );
    win.on('closed', () => (win = null));
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    void services.dispose().finally(() => app.quit());
  });
});
