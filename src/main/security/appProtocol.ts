// The page is served from app://p2mp/, a privileged scheme of our own, not from file://: every file: URL would
// count as local, and a file path (with `[`, `]`, spaces, non-ASCII) makes a poor identity for the IPC check.
// Only files inside the built renderer folder are served, each with the strict CSP as a header too.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { contentSecurityPolicy } from './csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'p2mp';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Registered before `ready`: standard (relative URLs, an origin) and secure (like https). No CORS bypass. */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The file an app:// URL names inside `root`, or null for another host, a traversal or a malformed URL. */
export function appFilePath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  // A backslash is a separator on Windows: refused everywhere, so no platform reads outside the folder.
  if (path.includes('\0') || path.includes('\\')) return null;
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  return file.startsWith(normalize(root) + sep) ? file : null;
}

/** The protocol.handle handler: the file's bytes with its type and the CSP, or 404. */
export function serveApp(root: string): (request: { url: string }) => Promise<Response> {
  const csp = contentSecurityPolicy(false);
  return async ({ url }) => {
    const file = appFilePath(root, url);
    const body = file === null ? null : await readFile(file).catch(() => null);
    if (file === null || body === null) return new Response('not found', { status: 404 });
    return new Response(body, {
      headers: {
        'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}
