// The app shell: loads settings, subscribes to event batches, applies display options, shows the chosen mode.
import { lazy, Suspense, useEffect } from 'react';
import { api } from './api';
import { Announcer } from './components/Announcer';
import { CheckMode } from './components/check/CheckMode';
import { CompareMode } from './components/compare/CompareMode';
import { DemoMode } from './components/demo/DemoMode';
import { DisplayOptions } from './components/DisplayOptions';
import { ModeTabs } from './components/ModeTabs';
import { ReceiveMode } from './components/receive/ReceiveMode';
import { ReplayMode } from './components/replay/ReplayMode';
import { SendMode } from './components/send/SendMode';
import { ErrorNote } from './components/common/ErrorNote';
import { plainKey } from './components/presenter/keys';
import { PresenterMode } from './components/presenter/PresenterMode';
import { ReplayPresenter } from './components/presenter/ReplayPresenter';
import { useAppStore } from './store/appStore';

// Loaded when first opened: it brings ECharts, which the other modes do not need.
const ExperimentsMode = lazy(() =>
  import('./components/experiments/ExperimentsMode').then((m) => ({ default: m.ExperimentsMode })),
);

export function App() {
  const mode = useAppStore((s) => s.settings?.mode ?? null);
  const largeType = useAppStore((s) => s.settings?.largeType ?? false);
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  const settingsError = useAppStore((s) => s.settingsError);
  const update = useAppStore((s) => s.updateSettings);
  const presenterOn = useAppStore((s) => s.presenter);
  const setPresenter = useAppStore((s) => s.setPresenter);
  const replayOpen = useAppStore((s) => s.replay !== null);
  // What presenter mode would show: a sender's transfer, or the recording open in Replay.
  const source = mode === 'demo' || mode === 'send' ? mode : mode === 'replay' && replayOpen ? mode : null;
  const presenter = presenterOn && source !== null;

  useEffect(() => {
    const { loadSettings, applyBatch } = useAppStore.getState();
    void loadSettings();
    return api().onBatch(applyBatch);
  }, []);

  useEffect(() => {
    document.documentElement.classList.toggle('large-type', largeType);
  }, [largeType]);

  // P opens presenter mode from the sender's screens (its own keys, including P to leave, live there).
  useEffect(() => {
    document.documentElement.classList.toggle('presenter', presenter);
    if (presenter || source === null) return;
    const onKey = (e: KeyboardEvent): void => {
      if ((e.key !== 'p' && e.key !== 'P') || !plainKey(e)) return;
      e.preventDefault();
      setPresenter(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [presenter, source, setPresenter]);

  // The page only knows light and dark: 'system' is resolved here (and follows the OS while it changes), so the
  // stylesheet and the canvas, which reads its colours from it, have one dark palette.
  useEffect(() => {
    const root = document.documentElement;
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      root.dataset['theme'] = theme === 'system' ? (dark.matches ? 'dark' : 'light') : theme;
    };
    apply();
    if (theme !== 'system') return;
    dark.addEventListener('change', apply);
    return () => dark.removeEventListener('change', apply);
  }, [theme]);

  if (presenter)
    return (
      <main className="app presenter-app">
        <h1 className="visually-hidden">P2MP-FTP presenter mode</h1>
        {source === 'replay' ? <ReplayPresenter /> : <PresenterMode source={source} />}
        <Announcer />
      </main>
    );

  return (
    <div className="app">
      <header className="app-header">
        <h1>P2MP-FTP</h1>
        {mode && <ModeTabs mode={mode} onMode={(m) => update({ mode: m })} />}
        <DisplayOptions presenterFor={source} />
      </header>
      <ErrorNote message={settingsError} />
      <Announcer />
      <main>
        <div id="mode-panel" role="tabpanel" aria-labelledby={mode ? `tab-${mode}` : undefined}>
          {mode === 'send' && <SendMode />}
          {mode === 'receive' && <ReceiveMode />}
          {mode === 'demo' && <DemoMode />}
          {mode === 'compare' && <CompareMode />}
          {mode === 'replay' && <ReplayMode />}
          {mode === 'check' && <CheckMode />}
          {mode === 'experiments' && (
            <Suspense fallback={<p className="placeholder">Loading…</p>}>
              <ExperimentsMode />
            </Suspense>
          )}
          {mode === null && !settingsError && <p className="placeholder">Loading…</p>}
        </div>
      </main>
    </div>
  );
}
