// Strict Content-Security-Policy: only the app's own scripts and styles, no remote anything. Dev adds what
// Vite's hot reload needs (its inline preamble and websocket); builds never get those.
import type { Session } from 'electron';

/** `meta`: the variant for a <meta> tag, which cannot carry frame-ancestors (browsers ignore it there). */
export function contentSecurityPolicy(dev: boolean, meta = false): string {
  return [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(meta ? [] : ["frame-ancestors 'none'"]),
    "object-src 'none'",
  ].join('; ');
}

/** Sets the CSP header on every response the session loads. */
export function applyCsp(session: Pick<Session, 'webRequest'>, dev: boolean): void {
  const policy = contentSecurityPolicy(dev);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}
