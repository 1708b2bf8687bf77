// No remote content: the session may load only the app's own page (app://p2mp/, or the dev server in
// development), and every permission but our own page's full screen is refused, both when a page asks and when
// Chromium merely checks.
import type { Session } from 'electron';
import { APP_HOST, APP_SCHEME } from './appProtocol.js';

export function isLocalUrl(url: string, devOrigin: string | null): boolean {
  if (url.startsWith('devtools:') || url.startsWith('data:')) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol === `${APP_SCHEME}:`) return target.host === APP_HOST;
  if (devOrigin === null) return false;
  // Vite's hot-reload websocket lives on the dev server's host too.
  if (target.protocol === 'ws:') return target.host === new URL(devOrigin).host;
  return target.origin === devOrigin;
}

export function blockRemoteContent(
  session: Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'on'>,
  devOrigin: string | null,
): void {
  // The app downloads nothing (its files are saved through main's own dialogs): a download a page starts (a data:
  // link from a compromised page) is cancelled before any dialog shows.
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isLocalUrl(details.url, devOrigin) });
  });
  // Full screen (presenter mode's F key) for our own page; every other permission, and any other page: no.
  session.setPermissionRequestHandler((contents, permission, callback) =>
    callback(permission === 'fullscreen' && isLocalUrl(contents.getURL(), devOrigin)),
  );
  session.setPermissionCheckHandler((_contents, permission, origin) =>
    permission === 'fullscreen' ? isLocalUrl(origin, devOrigin) : false,
  );
}
