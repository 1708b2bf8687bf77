// Teaching pace for one sender session: full speed, slow motion (rounds per second) or step (one round per
// click), and pause/resume. Switchable before and during a transfer; main applies it to the next round.
import { useId } from 'react';
import { SLOW_RATE_RANGE } from '../../../shared/contract';
import type { PaceMode } from '../../../shared/engine/pacer';
import type { PaceKey } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';
import { SLOW_RATE_MAX, STEP_HINT, usePace } from './usePace';

const OPTIONS: { kind: PaceMode['kind']; label: string }[] = [
  { kind: 'full', label: 'Full speed' },
  { kind: 'slow', label: 'Slow motion' },
  { kind: 'step', label: 'Step' },
];

export function PaceControls({ source }: { source: PaceKey }) {
  const id = useId();
  const { pace, rate, error, setMode, setRate, togglePause, canNext, queued, next } = usePace(source);
  const kind = pace.mode.kind;
  return (
    <fieldset className="pace-controls">
      <legend>Teaching pace</legend>
      <div className="pace-row">
        {OPTIONS.map((o) => (
          <label key={o.kind}>
            <input
              type="radio"
              name={`${id}-pace`}
              checked={kind === o.kind}
              onChange={() => setMode(o.kind)}
            />{' '}
            {o.label}
          </label>
        ))}
        <button type="button" aria-pressed={pace.paused} onClick={togglePause}>
          {pace.paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!canNext}
          title={kind === 'step' ? undefined : STEP_HINT}
          onClick={next}
        >
          Next round
        </button>
        {/* Held in step mode even when empty, so that the word appearing moves nothing. */}
        {kind === 'step' && (
          <span className="pace-queued" role="status">
            {queued ? 'queued: starts when this round lands' : ''}
          </span>
        )}
      </div>
      {kind === 'slow' && (
        <div className="pace-rate">
          <label htmlFor={`${id}-rate`}>Rounds per second</label>
          <input
            id={`${id}-rate`}
            type="range"
            min={SLOW_RATE_RANGE.min}
            max={SLOW_RATE_MAX}
            step={0.1}
            value={rate}
            aria-valuetext={`${rate} rounds per second`}
            onChange={(e) => setRate(Number(e.target.value))}
          />
          <output>{rate.toFixed(1)}/s</output>
        </div>
      )}
      {pace.paused && <p className="hint">Paused: the next round waits until you resume.</p>}
      <ErrorNote message={error} />
    </fieldset>
  );
}
