// Teaching pace of one sender session (or of every Compare lane), shared by the pace controls and the presenter's keys: the store holds
// what was last sent to main; every change goes to main at once, which applies it to the next round.
import { useState, useSyncExternalStore } from 'react';
import { SLOW_RATE_RANGE, type PaceState } from '../../../shared/contract';
import type { PaceMode } from '../../../shared/engine/pacer';
import { call, messageOf } from '../../api';
import { useAppStore, type PaceKey } from '../../store/appStore';
import { afterLanding, dropStep, isQueued, onQueued } from '../../timeline/drawnFlights';

/** The slider's top: faster than this is no longer slow motion to the eye. */
export const SLOW_RATE_MAX = 4;

/** Next round's hint at another pace than step: what pressing it does there. */
export const STEP_HINT = 'Switches to step mode: each round then waits for Next round';

export function usePace(source: PaceKey) {
  const pace = useAppStore((s) => s.pace[source]);
  const rate = useAppStore((s) => s.slowRate[source]);
  const running = useAppStore((s) =>
    source === 'compare' ? (s.compare?.running ?? false) : (s.senders[source]?.snapshot.running ?? false),
  );
  const setPace = useAppStore((s) => s.setPace);
  const setSlowRate = useAppStore((s) => s.setSlowRate);
  const [error, setError] = useState<string | null>(null);
  // A press taken while the round before is still drawn in the air: said at once, though the round waits.
  const queued = useSyncExternalStore(onQueued, () => isQueued(source));

  const apply = (next: PaceState): void => {
    dropStep(source);
    setPace(source, next);
    setError(null);
    const sent =
      source === 'compare'
        ? call('compare:set-pace', { pace: next })
        : call('pace:set', { source, pace: next });
    sent.catch((e: unknown) => setError(messageOf(e)));
  };
  const setMode = (kind: PaceMode['kind'], roundsPerSecond = rate): void =>
    apply({ ...pace, mode: kind === 'slow' ? { kind, roundsPerSecond } : { kind } });
  const setRate = (value: number): void => {
    const clamped = Math.round(Math.min(SLOW_RATE_MAX, Math.max(SLOW_RATE_RANGE.min, value)) * 10) / 10;
    setSlowRate(source, clamped);
    setMode('slow', clamped);
  };
  const canStep = pace.mode.kind === 'step' && !pace.paused && running;
  return {
    pace,
    rate,
    running,
    error,
    setMode,
    setRate,
    togglePause: () => apply({ ...pace, paused: !pace.paused }),
    /**
     * Whether Next round does something: it steps in step mode and switches to step from another pace, as its
     * keys do (the button looked disabled in slow motion while Space did exactly that).
     */
    canNext: running && !pace.paused,
    /** A round asked for in step mode waits for the one before to land (drawnFlights.ts). */
    queued: queued && canStep,
    /** Next round: in step mode sends it; from another pace, switches to step (the next round then waits). */
    next: (): void => {
      if (pace.mode.kind !== 'step') return setMode('step');
      if (!canStep) return;
      // Once the diagram has drawn the round before landing (drawnFlights.ts); not if the pace changed meanwhile.
      afterLanding(source, () => {
        const now = useAppStore.getState().pace[source];
        if (now.mode.kind !== 'step' || now.paused) return;
        const stepped = source === 'compare' ? call('compare:step', null) : call('pace:step', { source });
        stepped.catch((e: unknown) => setError(messageOf(e)));
      });
    },
  };
}
