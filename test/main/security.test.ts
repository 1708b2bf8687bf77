import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyCsp, contentSecurityPolicy } from '../../src/main/security/csp.js';
import { applySecurity } from '../../src/main/security/index.js';
import { denyNavigation } from '../../src/main/security/navigation.js';
import { APP_INDEX_URL, appFilePath, serveApp } from '../../src/main/security/appProtocol.js';
import { blockRemoteContent, isLocalUrl } from '../../src/main/security/remoteContent.js';
import { trustedUrlCheck } from '../../src/main/security/trustedFrame.js';
import { denyWindowOpen } from '../../src/main/security/windowOpen.js';
import { mainWindowOptions } from '../../src/main/window.js';

vi.mock('electron');

type Listener = (details: unknown, callback: (response: unknown) => void) => void;

function fakeSession() {
  const listeners: {
    headers?: Listener;
    request?: Listener;
    permission?: (...a: unknown[]) => void;
    check?: (...a: unknown[]) => boolean;
    download?: (event: unknown) => void;
  } = {};
  return {
    listeners,
    webRequest: {
      onHeadersReceived: (l: Listener) => (listeners.headers = l),
      onBeforeRequest: (l: Listener) => (listeners.request = l),
    },
    setPermissionRequestHandler: (h: (...a: unknown[]) => void) => (listeners.permission = h),
    setPermissionCheckHandler: (h: (...a: unknown[]) => boolean) => (listeners.check = h),
    on: (event: string, l: (event: unknown) => void) => {
      if (event === 'will-download') listeners.download = l;
    },
  };
}

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: (() => unknown) | null = null;
  return {
    on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
    emit: (event: string, ...args: unknown[]) => emitter.emit(event, ...args),
    setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
    open: () => openHandler?.(),
  };
}

function preventable() {
  return { preventDefault: vi.fn() };
}

describe('window', () => {
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    const { webPreferences } = mainWindowOptions('/app/out/preload/index.js');
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('Content-Security-Policy', () => {
  it('allows only the app itself in builds', () => {
    const policy = contentSecurityPolicy(false);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(contentSecurityPolicy(false, true)).not.toContain('frame-ancestors');
  });

  it('is set as a header on every response', () => {
    const session = fakeSession();
    applyCsp(session as never, false);
    const callback = vi.fn();
    session.listeners.headers!({ responseHeaders: { 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy(false)] },
    });
  });
});

describe('navigation, new windows and remote content', () => {
  it('denies every navigation, redirect and webview', () => {
    const contents = fakeContents();
    denyNavigation(contents as never);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = preventable();
      contents.emit(event, e, 'https://example.com/');
      expect(e.preventDefault).toHaveBeenCalled();
    }
  });

  it('denies window.open', () => {
    const contents = fakeContents();
    denyWindowOpen(contents as never);
    expect(contents.open()).toEqual({ action: 'deny' });
  });

  it('cancels remote requests and refuses permissions', () => {
    expect(isLocalUrl('app://p2mp/assets/index.js', null)).toBe(true);
    expect(isLocalUrl('app://other/index.js', null)).toBe(false);
    // Serving from app:// means no file: URL is ever the app's own.
    expect(isLocalUrl('file:///app/out/renderer/index.html', null)).toBe(false);
    expect(isLocalUrl('https://example.com/x.js', null)).toBe(false);
    expect(isLocalUrl('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true);
    expect(isLocalUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isLocalUrl('ws://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isLocalUrl('ws://example.com/', 'http://localhost:5173')).toBe(false);
    const session = fakeSession();
    blockRemoteContent(session as never, null);
    const callback = vi.fn();
    session.listeners.request!({ url: 'https://cdn.example.com/lib.js' }, callback);
    expect(callback).toHaveBeenLastCalledWith({ cancel: true });
    session.listeners.request!({ url: 'file:///etc/passwd' }, callback);
    expect(callback).toHaveBeenLastCalledWith({ cancel: true });
    session.listeners.request!({ url: 'app://p2mp/index.html' }, callback);
    expect(callback).toHaveBeenLastCalledWith({ cancel: false });
    // The app downloads nothing: a download a page starts is cancelled.
    const download = preventable();
    session.listeners.download!(download);
    expect(download.preventDefault).toHaveBeenCalled();
    const permission = vi.fn();
    const ours = { getURL: () => 'app://p2mp/index.html' };
    const theirs = { getURL: () => 'https://evil.example/' };
    session.listeners.permission!(ours, 'media', permission);
    expect(permission).toHaveBeenLastCalledWith(false);
    // Presenter mode's full screen, for our own page only.
    session.listeners.permission!(ours, 'fullscreen', permission);
    expect(permission).toHaveBeenLastCalledWith(true);
    session.listeners.permission!(theirs, 'fullscreen', permission);
    expect(permission).toHaveBeenLastCalledWith(false);
    expect(session.listeners.check!({}, 'fullscreen', 'app://p2mp', {})).toBe(true);
    expect(session.listeners.check!({}, 'fullscreen', 'https://evil.example', {})).toBe(false);
    expect(session.listeners.check!({}, 'clipboard-read', 'app://p2mp', {})).toBe(false);
  });

  it('applies the per-contents rules to every webContents ever created', () => {
    const app = new EventEmitter();
    applySecurity(app as never, fakeSession() as never, null);
    const contents = fakeContents();
    app.emit('web-contents-created', {}, contents);
    const e = preventable();
    contents.emit('will-navigate', e, 'https://evil.example/');
    expect(e.preventDefault).toHaveBeenCalled();
    expect(contents.open()).toEqual({ action: 'deny' });
  });
});

describe('trusted sender frame', () => {
  it('accepts only our own page', () => {
    const appCheck = trustedUrlCheck(APP_INDEX_URL);
    expect(appCheck('app://p2mp/index.html#x')).toBe(true);
    expect(appCheck('app://p2mp/')).toBe(true);
    expect(appCheck('app://evil/index.html')).toBe(false);
    expect(appCheck('file:///tmp/evil.html')).toBe(false);
    expect(appCheck('https://example.com/')).toBe(false);
    expect(appCheck(undefined)).toBe(false);
    const devCheck = trustedUrlCheck('http://localhost:5173/');
    expect(devCheck('http://localhost:5173/index.html')).toBe(true);
    expect(devCheck('http://localhost:5174/')).toBe(false);
    expect(devCheck('not a url')).toBe(false);
  });
});

describe('app:// serves the built page and nothing else', () => {
  // Where the app is installed must not matter: brackets, spaces and non-ASCII in the install path.
  let dir = '';
  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'p2mp [app] é ')), 'renderer');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(dir, 'assets', 'a b.js'), 'export {};');
  });
  afterAll(() => rm(dirname(dir), { recursive: true, force: true }));

  it('maps URLs inside the renderer folder only', () => {
    expect(appFilePath(dir, 'app://p2mp/')).toBe(join(dir, 'index.html'));
    expect(appFilePath(dir, 'app://p2mp/assets/a%20b.js')).toBe(join(dir, 'assets', 'a b.js'));
    // The URL parser already folds dot segments back inside: they cannot climb out.
    expect(appFilePath(dir, 'app://p2mp/../../secret')).toBe(join(dir, 'secret'));
    expect(appFilePath(dir, 'app://p2mp/%2e%2e/secret')).toBe(join(dir, 'secret'));
    for (const url of [
      'app://p2mp/..%2fsecret',
      'app://p2mp/..%5c..%5csecret',
      'app://p2mp/%00',
      'app://p2mp/%E0%A4%A',
      'app://evil/index.html',
      'file:///etc/passwd',
      'not a url',
    ])
      expect(appFilePath(dir, url), url).toBeNull();
  });

  it('answers with the type and the CSP, or 404', async () => {
    const serve = serveApp(dir);
    const page = await serve({ url: 'app://p2mp/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy(false));
    expect(await page.text()).toBe('<!doctype html><title>x</title>');
    expect((await serve({ url: 'app://p2mp/assets/a%20b.js' })).headers.get('content-type')).toMatch(
      /javascript/,
    );
    expect((await serve({ url: 'app://p2mp/missing.js' })).status).toBe(404);
    expect((await serve({ url: 'app://p2mp/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404);
  });
});
