// Builds every main-process service and the coalescer that feeds the renderer. Used by the Electron entry
// and, with the same real engine, by the end-to-end tests (which stand in for the preload).
import { join } from 'node:path';
import { Coalescer } from '../../shared/live/coalescer.js';
import { slowClock } from '../../shared/engine/slowClock.js';
import { systemTimers, type Timers } from '../../shared/engine/timers.js';
import type { EventBatch, SenderSource } from '../../shared/contract.js';
import type { Recording } from '../../shared/live/recording.js';
import { CheckService } from './checkService.js';
import { CompareService } from './compareService.js';
import { DemoService, type StartRelayFn } from './demoService.js';
import type { DiscoveryOptions } from '../../shared/node/discovery.js';
import { DesktopService, type DesktopDeps } from './desktop.js';
import { DiscoveryService } from './discoveryService.js';
import { ReceivedHistory } from './receivedHistory.js';
import { GrantedFiles } from './grantedFiles.js';
import { LabService, type LabServiceDeps, type RunLabFn } from './labService.js';
import { WrittenFiles } from './receivedFiles.js';
import { ReceiverService, type StartReceiverFn } from './receiverService.js';
import { SenderService, type SendFn } from './senderService.js';
import { SettingsStore } from './settingsStore.js';

export interface ServiceDeps {
  /** Folder for settings.json (app.getPath('userData') in the app). */
  userData: string;
  send: SendFn;
  startReceiver: StartReceiverFn;
  /** The local demo's impairment relays; the real relay by default. */
  startRelay?: StartRelayFn;
  desktop: DesktopDeps;
  /** Delivers one batch to the renderer. */
  emit: (batch: EventBatch) => void;
  timers?: Timers;
  demoTempRoot?: string;
  /** The classroom lab's engine; the real one by default. */
  runLab?: RunLabFn;
  /** Discovery's interfaces and port: every interface in the app; loopback and a port of their own in tests. */
  discovery: DiscoveryOptions;
  /** Passed on to the lab (tests: fewer calibration transfers). */
  labOptions?: LabServiceDeps['labOptions'];
}

export interface AppServices {
  settings: SettingsStore;
  sender: SenderService;
  /** The local demo's own sender session. */
  demoSender: SenderService;
  receiver: ReceiverService;
  demo: DemoService;
  /** Compare: the same file and losses through every protocol side by side. */
  compare: CompareService;
  desktop: DesktopService;
  /** The classroom lab (Experiments). */
  lab: LabService;
  /** "Check an implementation": p2mpcheck in the app. */
  check: CheckService;
  written: WrittenFiles;
  /** Files received, kept across runs. */
  history: ReceivedHistory;
  /** The receivers announcing themselves on the local network. */
  discovery: DiscoveryService;
  /** Files the user picked or dropped in this run: the only ones main reads for the renderer. */
  granted: GrantedFiles;
  /** The full timeline of a sender session (current or last), for saving. */
  recording(source: SenderSource): Recording | null;
  /** Stops every session and the coalescer's timer. */
  dispose(): Promise<void>;
}

export function createServices(deps: ServiceDeps): AppServices {
  const coalescer = new Coalescer(deps.emit, deps.timers ?? systemTimers);
  // The local demo runs on a clock of its own, slowed at a teaching pace (see DemoService).
  const demoClock = slowClock(deps.timers ?? systemTimers);
  coalescer.clockOf('demo', () => demoClock.now());
  const settings = new SettingsStore(join(deps.userData, 'settings.json'));
  const written = new WrittenFiles();
  const sender = new SenderService({
    send: deps.send,
    onEvent: coalescer.sender('send'),
    onFailure: (message) => coalescer.senderFailed('send', message),
  });
  const demoSender = new SenderService({
    send: deps.send,
    offer: false,
    keepalives: false,
    timers: demoClock,
    onEvent: coalescer.sender('demo'),
    onFailure: (message) => coalescer.senderFailed('demo', message),
  });
  const history = new ReceivedHistory(join(deps.userData, 'received.json'));
  const receiver = new ReceiverService({
    history,
    startReceiver: deps.startReceiver,
    onEvent: coalescer.receiver('receive'),
    saveFolder: async () => (await settings.get()).saveFolder,
    written,
    discovery: deps.discovery,
  });
  const discovery = new DiscoveryService(deps.discovery, deps.timers ?? systemTimers);
  const demo = new DemoService({
    startReceiver: deps.startReceiver,
    sender: demoSender,
    receiverEvents: (source) => coalescer.receiver(source),
    ...(deps.startRelay ? { startRelay: deps.startRelay } : {}),
    relayEvents: (source, stats) => coalescer.relay(source, stats),
    clock: demoClock,
    written,
    ...(deps.demoTempRoot ? { tempRoot: deps.demoTempRoot } : {}),
  });
  let labChanged = (): void => undefined;
  const lab = new LabService({
    recordsDir: join(deps.userData, 'lab-records'),
    grid: async () => (await settings.get()).labGrid,
    onChange: () => labChanged(),
    ...(deps.runLab ? { runLab: deps.runLab } : {}),
    ...(deps.labOptions ? { labOptions: deps.labOptions } : {}),
  });
  labChanged = coalescer.lab(() => lab.take());
  let compareChanged = (): void => undefined;
  const compare = new CompareService({
    send: deps.send,
    startReceiver: deps.startReceiver,
    ...(deps.startRelay ? { startRelay: deps.startRelay } : {}),
    // A clock of its own, slowed at the comparison's teaching pace (the local demo may run beside it).
    clock: slowClock(deps.timers ?? systemTimers),
    onChange: () => compareChanged(),
    ...(deps.demoTempRoot ? { tempRoot: deps.demoTempRoot } : {}),
  });
  compareChanged = coalescer.compare(() => compare.take());
  const check = new CheckService();
  return {
    settings,
    sender,
    demoSender,
    receiver,
    demo,
    compare,
    desktop: new DesktopService(deps.desktop),
    lab,
    check,
    written,
    discovery,
    history,
    granted: new GrantedFiles(),
    recording: (source) => coalescer.recording(source),
    async dispose() {
      await Promise.allSettled([
        sender.cancel(),
        receiver.stop(),
        demo.stop(),
        compare.stop(),
        lab.dispose(),
        discovery.dispose(),
        check.cancel(),
      ]);
      // A file received last may still be going into the history: its write lands before we are gone.
      await history.settled();
      coalescer.dispose();
    },
  };
}
