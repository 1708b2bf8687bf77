// Teaching pace for one sender session: full speed, slow motion (rounds per second) or step (one round per
// click), and pause/resume. Switchable before and during a transfer; main applies it to the next round.
import { useId, useState } from 'react';
import { SLOW_RATE_RANGE, type PaceState, type SenderSource } from '../../../shared/contract';
import type { PaceMode } from '../../../shared/pacer';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';

const DEFAULT_RATE = 1;

export function PaceControls({ source, running }: { source: SenderSource; running: boolean }) {
  const id = useId();
  const pace = useAppStore((s) => s.pace[source]);
  const setPace = useAppStore((s) => s.setPace);
  const [rate, setRate] = useState(pace.mode.kind === 'slow' ? pace.mode.roundsPerSecond : DEFAULT_RATE);
  const [error, setError] = useState<string | null>(null);

  const apply = (next: PaceState): void => {
    setPace(source, next);
    setError(null);
    call('pace:set', { source, pace: next }).catch((e: unknown) => setError(messageOf(e)));
  };
  const setMode = (mode: PaceMode): void => apply({ ...pace, mode });
  const kind = pace.mode.kind;
  const options: { kind: PaceMode['kind']; label: string }[] = [
    { kind: 'full', label: 'Full speed' },
    { kind: 'slow', label: 'Slow motion' },
    { kind: 'step', label: 'Step' },
  ];

  return (
    <fieldset className="pace-controls">
      <legend>Teaching pace</legend>
      <div className="pace-row">
        {options.map((o) => (
          <label key={o.kind}>
            <input
              type="radio"
              name={`${id}-pace`}
              checked={kind === o.kind}
              onChange={() =>
                setMode(o.kind === 'slow' ? { kind: 'slow', roundsPerSecond: rate } : { kind: o.kind })
              }
            />{' '}
            {o.label}
          </label>
        ))}
        <button
          type="button"
          aria-pressed={pace.paused}
          onClick={() => apply({ ...pace, paused: !pace.paused })}
        >
          {pace.paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={kind !== 'step' || pace.paused || !running}
          onClick={() => call('pace:step', { source }).catch((e: unknown) => setError(messageOf(e)))}
        >
          Next round
        </button>
      </div>
      {kind === 'slow' && (
        <div className="pace-rate">
          <label htmlFor={`${id}-rate`}>Rounds per second</label>
          <input
            id={`${id}-rate`}
            type="range"
            min={SLOW_RATE_RANGE.min}
            max={4}
            step={0.1}
            value={rate}
            aria-valuetext={`${rate} rounds per second`}
            onChange={(e) => {
              const value = Number(e.target.value);
              setRate(value);
              setMode({ kind: 'slow', roundsPerSecond: value });
            }}
          />
          <output>{rate.toFixed(1)}/s</output>
        </div>
      )}
      {pace.paused && <p className="hint">Paused: the next round waits until you resume.</p>}
      <ErrorNote message={error} />
    </fieldset>
  );
}
