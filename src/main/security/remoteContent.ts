// No remote content: the session may load only the app's own files (or the dev server in development), and
// every permission request (camera, notifications, ...) is refused.
import type { Session } from 'electron';

export function isLocalUrl(url: string, devOrigin: string | null): boolean {
  if (url.startsWith('file:') || url.startsWith('devtools:') || url.startsWith('data:')) return true;
  if (devOrigin === null) return false;
  try {
    const target = new URL(url);
    // Vite's hot-reload websocket lives on the dev server's host too.
    if (target.protocol === 'ws:') return target.host === new URL(devOrigin).host;
    return target.origin === devOrigin;
  } catch {
    return false;
  }
}

export function blockRemoteContent(
  session: Pick<Session, 'webRequest' | 'setPermissionRequestHandler'>,
  devOrigin: string | null,
): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isLocalUrl(details.url, devOrigin) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}
