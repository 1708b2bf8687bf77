// The app's one zustand store: settings (persisted through main), the live sessions fed by event batches,
// and the files chosen in each mode. Components select primitives or stable slices from it.
import { create } from 'zustand';
import {
  FULL_PACE,
  type CheckOutcome,
  type CheckRequest,
  type CheckStarted,
  type CompareStarted,
  type DemoStarted,
  type FileInfo,
  type LabRecordInfo,
  type Listening,
  type PaceState,
  type SenderSource,
  type Settings,
} from '../../shared/contract';
import type { LabRecord } from '../../shared/lab/results';
import type { Recording } from '../../shared/live/recording';
import { call, messageOf } from '../api';
import { CLEAN_NETWORK, type NetworkState } from '../components/demo/networkPresets';
import { DEFAULT_RECEIVER_VIEW, type ReceiverViewOptions } from '../components/transfer/receiverView';
import { replayOf, type ReplayState } from '../timeline/replay';
import { applyBatch, type LiveState } from './applyBatch';
import { DEFAULT_COMPARE_FORM, type CompareForm } from './compare';
import { DEFAULT_LAB_FORM, type LabForm } from './lab';

/** Settings changes are saved after this quiet period, so dragging a slider writes once. */
const PERSIST_DELAY_MS = 300;
/** Live counters, tables and cards re-render at most this often: with 8 receivers a render of them costs a
 *  good part of a 20 Hz batch interval on a slow machine, and the diagram must not wait behind them. */
export const PUBLISH_MS = 200;
/** On a busy machine they re-render less often still: at most a quarter of the time goes to them (a publish's
 *  cost is measured from the store update to the end of the frame that shows it), but at least once a second. */
const PUBLISH_SHARE = 4;
const PUBLISH_MAX_MS = 1000;

export interface AppState extends LiveState {
  settings: Settings | null;
  settingsError: string | null;
  sendFile: FileInfo | null;
  /** The session codes typed in Send and Receive mode (kept while the app runs, never saved: they are keys). */
  sendCode: string;
  receiveCode: string;
  /** Names of receivers added from the network ("Lab PC 9"), by their entry in the list (kept while the app runs). */
  receiverNames: Record<string, string>;
  /** Receive mode's notes below this number were cleared by the user (kept while the app runs, across modes). */
  notesCleared: number;
  demoFile: FileInfo | null;
  /** The receive-mode session main runs, kept here so it survives switching modes. */
  listening: Listening | null;
  demo: DemoStarted | null;
  /** The local demo's simulated network as set in its panel (used at the next start, and live when it runs). */
  demoNetwork: NetworkState;
  /** Teaching pace per sender session (and of the comparison's lanes), as last sent to main. */
  pace: Record<PaceKey, PaceState>;
  /** The slow-motion rate last chosen per session (kept while another pace is on). */
  slowRate: Record<PaceKey, number>;
  /** The Compare form, and the comparison main started last. */
  compareForm: CompareForm;
  compareStarted: CompareStarted | null;
  /** Presenter mode: only the diagram and a few big counters, for a projector. */
  presenter: boolean;
  /** How each session's receiver table is filtered and sorted (kept while the user looks at other modes). */
  receiverView: Record<SenderSource, ReceiverViewOptions>;
  /** The recording open in replay mode, and the replay cursor (ms). */
  replay: ReplayState | null;
  replayCursor: number;
  /** Whether the replay plays (its cursor moving in real time times replaySpeed), in its tab or presenter mode. */
  replayPlaying: boolean;
  replaySpeed: number;
  /** The Experiments form. */
  labForm: LabForm;
  /** Saved lab runs, newest first. */
  labRecords: LabRecordInfo[];
  /** The saved run whose results are shown, or null for this session's run. */
  labShown: { id: string; record: LabRecord } | null;
  /** The saved run drawn over the charts for comparison, or null. */
  labCompare: { id: string; record: LabRecord } | null;
  labError: string | null;
  /** "Check an implementation": the check under way or the last one, kept while other modes are shown. */
  check: CheckState;
  /** Starts a check and waits for its report; a failure to start or a cancel ends in `check.error`. */
  runCheck(request: CheckRequest): Promise<void>;
  cancelCheck(): Promise<void>;
  applyBatch(batch: Parameters<typeof applyBatch>[1]): void;
  /** Publishes the batches applied since the last publish now (tests: a pushed batch shows at once). */
  flushBatches(): void;
  loadSettings(): Promise<void>;
  updateSettings(patch: Partial<Settings>): void;
  /** Main stored a folder the user picked in the native dialog; mirror it without saving again. */
  noteSaveFolder(folder: string): void;
  setSendFile(file: FileInfo | null): void;
  setSendCode(code: string): void;
  setReceiveCode(code: string): void;
  nameReceivers(names: Record<string, string>): void;
  clearNotes(upTo: number): void;
  setDemoFile(file: FileInfo | null): void;
  setListening(listening: Listening | null): void;
  setDemo(demo: DemoStarted | null): void;
  setDemoNetwork(network: NetworkState): void;
  setPace(source: PaceKey, pace: PaceState): void;
  setSlowRate(source: PaceKey, rate: number): void;
  setCompareForm(patch: Partial<CompareForm>): void;
  setCompareStarted(started: CompareStarted | null): void;
  setPresenter(on: boolean): void;
  setReceiverView(source: SenderSource, patch: Partial<ReceiverViewOptions>): void;
  /** Opens a recording for replay, its cursor at the end. */
  openReplay(recording: Recording): void;
  setReplayCursor(t: number): void;
  setReplayPlaying(playing: boolean): void;
  setReplaySpeed(speed: number): void;
  /** Forgets the live local-demo receivers (a new demo may have fewer). */
  clearDemo(): void;
  setLabForm(patch: Partial<LabForm>): void;
  setLabError(error: string | null): void;
  refreshLabRecords(): Promise<void>;
  /** Shows a saved run (loaded from main), or with null this session's run. */
  showLabRecord(id: string | null): Promise<void>;
  compareLabRecord(id: string | null): Promise<void>;
}

/** Whose teaching pace: a sender session's, or every lane of the comparison at once. */
export type PaceKey = SenderSource | 'compare';

export interface CheckState {
  running: boolean;
  started: CheckStarted | null;
  outcome: CheckOutcome | null;
  error: string | null;
}

const NO_CHECK: CheckState = { running: false, started: null, outcome: null, error: null };

export const createAppStore = () => {
  let pending: Partial<Settings> = {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The live state as of the newest batch, not yet published. The diagram does not wait for publishing: a
   *  sender's timeline ring is shared by reference and appended to at once, and the canvas reads it each frame. */
  let live: LiveState | null = null;
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let published = -Infinity;
  /** The wait between publishes: PUBLISH_MS, longer while publishing costs more (see PUBLISH_SHARE). */
  let publishGap = PUBLISH_MS;
  return create<AppState>()((set, get) => {
    const publish = (): void => {
      if (publishTimer !== null) clearTimeout(publishTimer);
      publishTimer = null;
      const start = performance.now();
      published = start;
      if (live) set(live);
      live = null;
      // The render just done, then the frame's style, layout and paint of what it changed: the task after the
      // next animation frame starts once that frame is drawn.
      if (typeof requestAnimationFrame === 'function')
        requestAnimationFrame(() =>
          setTimeout(() => {
            const cost = performance.now() - start;
            publishGap = Math.min(PUBLISH_MAX_MS, Math.max(PUBLISH_MS, PUBLISH_SHARE * cost));
          }),
        );
    };
    const persist = async (): Promise<void> => {
      timer = null;
      const patch = pending;
      pending = {};
      try {
        await call('settings:update', patch);
      } catch (error) {
        set({ settingsError: messageOf(error) });
      }
    };
    return {
      settings: null,
      settingsError: null,
      senders: {},
      receivers: {},
      sendFile: null,
      sendCode: '',
      receiveCode: '',
      receiverNames: {},
      notesCleared: 0,
      demoFile: null,
      listening: null,
      demo: null,
      demoNetwork: CLEAN_NETWORK,
      pace: { send: FULL_PACE, demo: FULL_PACE, compare: FULL_PACE },
      slowRate: { send: 1, demo: 1, compare: 1 },
      compareForm: DEFAULT_COMPARE_FORM,
      compareStarted: null,
      presenter: false,
      receiverView: { send: DEFAULT_RECEIVER_VIEW, demo: DEFAULT_RECEIVER_VIEW },
      replay: null,
      replayCursor: 0,
      replayPlaying: false,
      replaySpeed: 0.25,
      labForm: DEFAULT_LAB_FORM,
      labRecords: [],
      labShown: null,
      labCompare: null,
      labError: null,
      check: NO_CHECK,
      runCheck: async (request) => {
        set({ check: { ...NO_CHECK, running: true } });
        try {
          const started = await call('check:start', request);
          set({ check: { ...get().check, started } });
          const outcome = await call('check:result', null);
          set({ check: { ...get().check, running: false, outcome } });
        } catch (error) {
          set({ check: { ...get().check, running: false, error: messageOf(error) } });
        }
      },
      cancelCheck: async () => {
        try {
          await call('check:cancel', null);
        } catch (error) {
          set({ check: { ...get().check, error: messageOf(error) } });
        }
      },
      applyBatch: (batch) => {
        live = applyBatch(live ?? get(), batch);
        if (publishTimer !== null) return;
        const wait = published + publishGap - performance.now();
        if (wait <= 0) publish();
        else publishTimer = setTimeout(publish, wait);
      },
      flushBatches: publish,
      loadSettings: async () => {
        try {
          set({ settings: await call('settings:get', null) });
        } catch (error) {
          set({ settingsError: messageOf(error) });
        }
      },
      updateSettings: (patch) => {
        const current = get().settings;
        if (!current) return;
        set({ settings: { ...current, ...patch }, settingsError: null });
        pending = { ...pending, ...patch };
        if (timer === null) timer = setTimeout(() => void persist(), PERSIST_DELAY_MS);
      },
      noteSaveFolder: (saveFolder) =>
        set((s) => (s.settings ? { settings: { ...s.settings, saveFolder } } : {})),
      setSendFile: (sendFile) => set({ sendFile }),
      setSendCode: (sendCode) => set({ sendCode }),
      setReceiveCode: (receiveCode) => set({ receiveCode }),
      nameReceivers: (names) => set((s) => ({ receiverNames: { ...s.receiverNames, ...names } })),
      clearNotes: (upTo) => set({ notesCleared: upTo }),
      setDemoFile: (demoFile) => set({ demoFile }),
      setListening: (listening) => set({ listening }),
      setDemo: (demo) => set({ demo }),
      setDemoNetwork: (demoNetwork) => set({ demoNetwork }),
      setPace: (source, pace) => set((s) => ({ pace: { ...s.pace, [source]: pace } })),
      setSlowRate: (source, rate) => set((s) => ({ slowRate: { ...s.slowRate, [source]: rate } })),
      setCompareForm: (patch) => set((s) => ({ compareForm: { ...s.compareForm, ...patch } })),
      setCompareStarted: (compareStarted) => set({ compareStarted }),
      setPresenter: (presenter) => set({ presenter }),
      setReceiverView: (source, patch) =>
        set((s) => ({
          receiverView: { ...s.receiverView, [source]: { ...s.receiverView[source], ...patch } },
        })),
      openReplay: (recording) => {
        const replay = replayOf(recording);
        set({ replay, replayCursor: replay.duration, replayPlaying: false });
      },
      setReplayPlaying: (replayPlaying) => set({ replayPlaying }),
      setReplaySpeed: (replaySpeed) => set({ replaySpeed }),
      setReplayCursor: (t) =>
        set((s) => ({ replayCursor: Math.min(Math.max(0, t), s.replay?.duration ?? 0) })),
      clearDemo: () => {
        publish();
        set((s) => ({
          receivers: Object.fromEntries(
            Object.entries(s.receivers).filter(([key]) => !key.startsWith('demo-')),
          ),
          senders: { ...s.senders, demo: undefined },
        }));
      },
      setLabForm: (patch) => set((s) => ({ labForm: { ...s.labForm, ...patch } })),
      setLabError: (labError) => set({ labError }),
      refreshLabRecords: async () => {
        try {
          set({ labRecords: await call('lab:records', null) });
        } catch (error) {
          set({ labError: messageOf(error) });
        }
      },
      showLabRecord: async (id) => {
        if (id === null) return set({ labShown: null });
        try {
          set({ labShown: { id, record: await call('lab:record', { id }) }, labError: null });
        } catch (error) {
          set({ labError: messageOf(error) });
        }
      },
      compareLabRecord: async (id) => {
        if (id === null) return set({ labCompare: null });
        try {
          set({ labCompare: { id, record: await call('lab:record', { id }) }, labError: null });
        } catch (error) {
          set({ labError: messageOf(error) });
        }
      },
    };
  });
};

export const useAppStore = createAppStore();
