// Runs the BUILT main bundle (out/main/index.js) in this plain Node process with the fake `electron`, acts as the
// app and a hostile frame would, quits, and prints one JSON report. It never calls process.exit: the test reads
// "the process ended by itself" as "quitting left no socket, timer or child behind".
import { readFile, stat } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type {
  DemoStarted,
  EventBatch,
  ReceiverSnapshot,
  SenderSnapshot,
} from '../../../src/shared/contract.js';
import { createFakeElectron } from './fakeElectron.js';

const { bundle, userData, lock, port } = JSON.parse(process.argv[2]!) as {
  bundle: string;
  userData: string;
  lock: boolean;
  port: number;
};
const fake = createFakeElectron({ userData, lock, isPackaged: true });

// `require('electron')` inside the bundle gets the fake; everything else loads as usual.
type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;
loader._load = function (request, parent, isMain) {
  return request === 'electron' ? fake.module : load.call(this, request, parent, isMain);
};

const until = async (done: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
};
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

async function main(): Promise<Record<string, unknown>> {
  createRequire(bundle)(bundle);
  fake.becomeReady();
  await until(() => fake.windows.length > 0 || fake.state.quit, 5_000);
  const base = {
    sandboxed: fake.state.sandboxed,
    privilegedSchemes: fake.state.privilegedSchemes,
    quitEvents: fake.state.quitEvents,
    windows: fake.windows.length,
    channels: [...fake.state.ipcHandlers.keys()].sort(),
  };
  if (!lock) return base;

  const win = fake.windows[0]!;
  const pageUrl = win.loaded[0]!;
  const serve = fake.state.protocolHandlers.get('app')!;
  const index = await serve({ url: pageUrl });
  const statusOf = async (url: string): Promise<number> => (await serve({ url })).status;
  const verdict = (url: string): boolean | null => {
    let cancel: boolean | null = null;
    fake.state.beforeRequest!({ url }, (r) => (cancel = r.cancel));
    return cancel;
  };

  const invoke = (channel: string, frame: string, payload: unknown) =>
    fake.invoke(channel, frame, payload) as Promise<{ ok: boolean; value?: unknown; error?: string }>;
  const batches = (): EventBatch[] =>
    win.webContents.sent.filter((m) => m.channel === 'events:batch').map((m) => m.args[0] as EventBatch);
  const latest = () => {
    let sender: SenderSnapshot | undefined;
    const receivers: (ReceiverSnapshot | undefined)[] = [];
    for (const batch of batches()) {
      sender = batch.senders.demo?.snapshot ?? sender;
      for (let i = 0; i < 3; i++) receivers[i] = batch.receivers[`demo-${i}`]?.snapshot ?? receivers[i];
    }
    return { sender, receivers };
  };

  const started = await invoke('demo:start', pageUrl, {
    file: null,
    loss: [0.1, 0.1, 0.1],
    mss: 500,
    timeoutMs: 100,
    profile: 'standard',
    port,
  });
  const demo = started.value as DemoStarted | undefined;
  const finished = await until(() => {
    const { sender, receivers } = latest();
    return sender?.result != null && receivers.every((r) => r?.completed.length === 1);
  }, 60_000);
  const { sender, receivers } = latest();
  const original = demo ? await readFile(demo.file.path) : null;
  const received = await Promise.all(
    receivers.map(async (r) =>
      r?.completed[0] ? (await readFile(r.completed[0].path)).equals(original!) : false,
    ),
  );
  const demoFolder = demo ? dirname(demo.file.path) : '';
  const folderBeforeQuit = await exists(demoFolder);

  fake.module.app.quit();
  const quit = await until(() => fake.state.quit, 10_000);
  return {
    ...base,
    quitEvents: fake.state.quitEvents,
    webPreferences: win.options['webPreferences'],
    pageUrl,
    index: {
      status: index.status,
      type: index.headers.get('content-type'),
      csp: index.headers.get('content-security-policy'),
      body: await index.text(),
    },
    refusedPaths: {
      traversal: await statusOf('app://p2mp/../../package.json'),
      encodedTraversal: await statusOf('app://p2mp/%2e%2e/%2e%2e/package.json'),
      otherHost: await statusOf('app://evil/index.html'),
      missing: await statusOf('app://p2mp/nope.js'),
    },
    requests: {
      page: verdict(pageUrl),
      file: verdict('file:///etc/passwd'),
      remote: verdict('https://example.com/x.js'),
      otherAppHost: verdict('app://evil/x.js'),
    },
    permissionCheck: fake.state.permissionCheck?.({}, 'media', 'app://p2mp', {}) ?? null,
    // A download a page starts (a data: link): cancelled by the session, before any dialog.
    downloadCancelled: (() => {
      let cancelled = false;
      fake.state.willDownload?.({ preventDefault: () => (cancelled = true) });
      return cancelled;
    })(),
    untrusted: {
      fileFrame: await invoke('settings:get', 'file:///tmp/evil.html', null),
      remoteFrame: await invoke('settings:get', 'https://evil.example/', null),
      otherAppHost: await invoke('settings:get', 'app://evil/index.html', null),
    },
    trusted: await invoke('settings:get', pageUrl, null),
    demo: {
      started: started.ok,
      error: started.error ?? null,
      finished,
      ok: sender?.result?.ok ?? null,
      identical: received,
      folderBeforeQuit,
      folderAfterQuit: await exists(demoFolder),
    },
    quit,
  };
}

main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`driver failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  },
);
