// End-to-end harness: the built renderer served over http on 127.0.0.1, driven in Debian's Chromium, with the
// preload stood in by a binding to the REAL main-side services (engine, coalescer, IPC validation) running in
// this test process. Only the native dialogs, clipboard and shell are fakes. See toolchain-facts.md.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { EventBatch } from '../../src/shared/contract.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { dispatch, createHandlers } from '../../src/main/ipc.js';
import { contentSecurityPolicy } from '../../src/main/security/csp.js';
import { trustedUrlCheck } from '../../src/main/security/trustedFrame.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import { loopbackDiscovery } from '../helpers/loopback.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found (apt-get install -y chromium)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Builds the renderer with the app's own electron-vite renderer config, into a temp folder. */
export async function buildRenderer(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const { default: config } = await import('../../electron.vite.config.js');
  const renderer = (
    config as unknown as { renderer: Record<string, unknown> & { build: Record<string, unknown> } }
  ).renderer;
  const root = resolve('src/renderer');
  // A production build, as the app ships: under vitest NODE_ENV is 'test', which would make Vite bundle React's
  // development build (several times slower per render, so timings measured here would not be the app's).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  await build({
    ...renderer,
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ...renderer.build,
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: join(root, 'index.html') },
    },
  }).finally(() => {
    process.env['NODE_ENV'] = nodeEnv;
  });
}

/** Serves `dir` on 127.0.0.1 with the same CSP header the Electron session sets. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': contentSecurityPolicy(false),
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export interface FakeDesktop {
  /** What the next "open" dialog returns (file or folder). */
  nextOpen: string | null;
  saveTo: string | null;
  copied: string[];
  shown: string[];
}

export interface AppHarness {
  page: Page;
  services: AppServices;
  /** The newest sender event: its engine time (ms since its session started) and when it happened (epoch ms,
   *  from the high-resolution clock, which the page's performance.timeOrigin + now() is comparable to). */
  engine: { t: number; at: number };
  desktop: FakeDesktop;
  /** The app's settings folder, which also holds the local demo's temporary folder (and its received files). */
  userData: string;
  /** Console errors, uncaught exceptions and CSP violations seen in the page; any of them fails the test. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Opens the app page in a fresh Chromium profile, with fresh settings, backed by real services. */
export async function openApp(appUrl: string): Promise<AppHarness> {
  const userData = await mkdtemp(join(tmpdir(), 'p2mp-e2e-user-'));
  const profile = await mkdtemp(join(tmpdir(), 'p2mp-e2e-chromium-'));
  const desktop: FakeDesktop = { nextOpen: null, saveTo: null, copied: [], shown: [] };
  const engine = { t: 0, at: 0 };
  let page: Page | null = null;
  // Batches are sent as webContents.send sends them: at once, without waiting for the page to take the one
  // before (a busy page would otherwise hold back every later batch here). They still arrive in order: one
  // CDP session, whose evaluations the page runs in the order they were sent.
  let delivery = Promise.resolve();
  const services = createServices({
    discovery: loopbackDiscovery,
    userData,
    demoTempRoot: userData,
    send: (options) =>
      send({
        ...options,
        onEvent: (event) => {
          engine.t = event.t;
          engine.at = performance.timeOrigin + performance.now();
          options.onEvent?.(event);
        },
      }),
    startReceiver,
    desktop: {
      dialog: {
        showOpenDialog: async () => ({
          canceled: desktop.nextOpen === null,
          filePaths: desktop.nextOpen ? [desktop.nextOpen] : [],
        }),
        showSaveDialog: async () => ({ canceled: desktop.saveTo === null, filePath: desktop.saveTo ?? '' }),
      },
      shell: { showItemInFolder: (path: string) => void desktop.shown.push(path) },
      clipboard: { writeText: async (text: string) => void desktop.copied.push(text) },
    },
    emit: (batch: EventBatch) => {
      const target = page;
      if (!target) return;
      // As one JSON string: Electron clones a batch natively, while Playwright would serialize an argument value
      // by value (every number of a timeline of thousands), costing this process and the page far more.
      const delivered = target
        .evaluate(
          (json) => (globalThis as unknown as { __p2mpPush(b: unknown): void }).__p2mpPush(JSON.parse(json)),
          JSON.stringify(batch),
        )
        .catch(() => undefined);
      delivery = delivery.then(() => delivered);
    },
  });
  const handlers = createHandlers(services);
  const trusted = trustedUrlCheck(appUrl);
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1400, height: 980 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Chromium also logs most violations to the console, but the event names every one, with where it happened.
  await page.exposeFunction('__p2mpCspViolation', (report: string) => void pageErrors.push(report));
  await page.addInitScript(() => {
    interface Violation {
      violatedDirective: string;
      blockedURI: string;
      sourceFile: string;
      lineNumber: number;
      sample: string;
    }
    const w = globalThis as unknown as EventTarget & { __p2mpCspViolation(report: string): void };
    w.addEventListener('securitypolicyviolation', (event) => {
      const v = event as unknown as Violation;
      w.__p2mpCspViolation(
        `CSP violation: ${v.violatedDirective} blocked ${v.blockedURI || '(inline)'} at ${v.sourceFile}:${v.lineNumber} ${v.sample}`,
      );
    });
  });
  // The preload's stand-in: same API shape, same sender-frame check, same dispatch as src/main/ipc.ts.
  await page.exposeBinding('__p2mpInvoke', (source, channel: unknown, payload: unknown) =>
    trusted(source.frame.url())
      ? dispatch(handlers, channel, payload)
      : { ok: false, error: 'request refused: it did not come from the app page' },
  );
  await page.addInitScript(() => {
    type Listener = (batch: unknown) => void;
    const listeners = new Set<Listener>();
    const w = globalThis as unknown as Record<string, unknown>;
    w['__p2mpPush'] = (batch: unknown) => listeners.forEach((l) => l(batch));
    w['p2mp'] = {
      invoke: (channel: string, payload: unknown) =>
        (w['__p2mpInvoke'] as (c: string, p: unknown) => Promise<unknown>)(channel, payload),
      onBatch: (listener: Listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      pathForFile: () => '',
    };
  });
  await page.goto(appUrl);
  return {
    page,
    services,
    engine,
    desktop,
    userData,
    pageErrors,
    async close() {
      await services.dispose();
      await delivery;
      await context.close();
      await rm(userData, { recursive: true, force: true });
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export { randomPort } from '../helpers/ports.js';

export const SHOTS = join(process.cwd(), 'test-results');

/**
 * The life cycle every browser test file shares; call it inside the describe block. The renderer is built and
 * served once per file, `open()` gives each test a fresh app (closed after the test, which then fails if the page
 * logged an error or broke its CSP), and the work folder goes at the end.
 */
export function useBrowserApp(name: string): { work: () => string; open: () => Promise<AppHarness> } {
  let work = '';
  let site: { url: string; close: () => Promise<void> } | undefined;
  let app: AppHarness | null = null;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `p2mp-e2e-${name}-`));
    await mkdir(SHOTS, { recursive: true });
    await buildRenderer(join(work, 'renderer'));
    site = await serve(join(work, 'renderer'));
  }, 60_000);
  afterEach(async () => {
    const done = app;
    app = null;
    await done?.close();
    expect(done?.pageErrors ?? []).toEqual([]);
  });
  afterAll(async () => {
    await site?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return { work: () => work, open: async () => (app = await openApp(site!.url)) };
}
