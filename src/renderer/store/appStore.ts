// The app's one zustand store: settings (persisted through main), the live sessions fed by event batches,
// and the files chosen in each mode. Components select primitives or stable slices from it.
import { create } from 'zustand';
import type { DemoStarted, FileInfo, Listening, Settings } from '../../shared/contract';
import { call, messageOf } from '../api';
import { applyBatch, type LiveState } from './applyBatch';

/** Settings changes are saved after this quiet period, so dragging a slider writes once. */
const PERSIST_DELAY_MS = 300;

export interface AppState extends LiveState {
  settings: Settings | null;
  settingsError: string | null;
  sendFile: FileInfo | null;
  demoFile: FileInfo | null;
  /** The receive-mode session main runs, kept here so it survives switching modes. */
  listening: Listening | null;
  demo: DemoStarted | null;
  applyBatch(batch: Parameters<typeof applyBatch>[1]): void;
  loadSettings(): Promise<void>;
  updateSettings(patch: Partial<Settings>): void;
  /** Main stored a folder the user picked in the native dialog; mirror it without saving again. */
  noteSaveFolder(folder: string): void;
  setSendFile(file: FileInfo | null): void;
  setDemoFile(file: FileInfo | null): void;
  setListening(listening: Listening | null): void;
  setDemo(demo: DemoStarted | null): void;
  /** Forgets the live local-demo receivers (a new demo may have fewer). */
  clearDemo(): void;
}

export const createAppStore = () => {
  let pending: Partial<Settings> = {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  return create<AppState>()((set, get) => {
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
      demoFile: null,
      listening: null,
      demo: null,
      applyBatch: (batch) => set((s) => applyBatch(s, batch)),
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
      setDemoFile: (demoFile) => set({ demoFile }),
      setListening: (listening) => set({ listening }),
      setDemo: (demo) => set({ demo }),
      clearDemo: () =>
        set((s) => ({
          receivers: Object.fromEntries(
            Object.entries(s.receivers).filter(([key]) => !key.startsWith('demo-')),
          ),
          senders: { ...s.senders, demo: undefined },
        })),
    };
  });
};

export const useAppStore = createAppStore();
