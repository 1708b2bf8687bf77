// The modes as an ARIA tablist: arrow keys move between tabs, Home/End jump, Tab enters the panel.
import { useRef, type KeyboardEvent } from 'react';
import type { Mode } from '../../shared/contract';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'demo', label: 'Local demo' },
  { mode: 'compare', label: 'Compare' },
  { mode: 'send', label: 'Send' },
  { mode: 'receive', label: 'Receive' },
  { mode: 'replay', label: 'Replay' },
  { mode: 'experiments', label: 'Experiments' },
  { mode: 'check', label: 'Check an implementation' },
];

export function ModeTabs({ mode, onMode }: { mode: Mode; onMode: (mode: Mode) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent): void => {
    const current = MODES.findIndex((m) => m.mode === mode);
    const next =
      e.key === 'ArrowRight'
        ? (current + 1) % MODES.length
        : e.key === 'ArrowLeft'
          ? (current + MODES.length - 1) % MODES.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? MODES.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    onMode(MODES[next]!.mode);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Mode" className="mode-tabs" onKeyDown={onKeyDown}>
      {MODES.map((m, i) => (
        <button
          key={m.mode}
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="tab"
          id={`tab-${m.mode}`}
          aria-selected={m.mode === mode}
          aria-controls="mode-panel"
          tabIndex={m.mode === mode ? 0 : -1}
          onClick={() => onMode(m.mode)}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}
