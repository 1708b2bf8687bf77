import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { applyCsp, contentSecurityPolicy } from '../../src/main/security/csp.js';
import { applySecurity } from '../../src/main/security/index.js';
import { denyNavigation } from '../../src/main/security/navigation.js';
import { blockRemoteContent, isLocalUrl } from '../../src/main/security/remoteContent.js';
import { trustedUrlCheck } from '../../src/main/security/trustedFrame.js';
import { denyWindowOpen } from '../../src/main/security/windowOpen.js';
import { mainWindowOptions } from '../../src/main/window.js';

vi.mock('electron');

type Listener = (details: unknown, callback: (response: unknown) => void) => void;

function fakeSession() {
  const listeners: { headers?: Listener; request?: Listener; permission?: (...a: unknown[]) => void } = {};
  return {
    listeners,
    webRequest: {
      onHeadersReceived: (l: Listener) => (listeners.headers = l),
      onBeforeRequest: (l: Listener) => (listeners.request = l),
    },
    setPermissionRequestHandler: (h: (...a: unknown[]) => void) => (listeners.permission = h),
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
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
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
    expect(isLocalUrl('file:///app/out/renderer/index.html', null)).toBe(true);
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
    session.listeners.request!({ url: 'file:///app/index.html' }, callback);
    expect(callback).toHaveBeenLastCalledWith({ cancel: false });
    const permission = vi.fn();
    session.listeners.permission!({}, 'media', permission);
    expect(permission).toHaveBeenCalledWith(false);
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
    const fileCheck = trustedUrlCheck('file:///opt/app/out/renderer/index.html');
    expect(fileCheck('file:///opt/app/out/renderer/index.html#x')).toBe(true);
    expect(fileCheck('file:///tmp/evil.html')).toBe(false);
    expect(fileCheck('https://example.com/')).toBe(false);
    expect(fileCheck(undefined)).toBe(false);
    const devCheck = trustedUrlCheck('http://localhost:5173/');
    expect(devCheck('http://localhost:5173/index.html')).toBe(true);
    expect(devCheck('http://localhost:5174/')).toBe(false);
    expect(devCheck('not a url')).toBe(false);
  });
});
