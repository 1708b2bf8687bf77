// The Compare view's state: the form, and the comparison main reports, folded from its batches (pure apart from
// each lane's timeline and window, filled in place; see applySenderBatch).
import type { CompareBatch, CompareRequest, CompareResult, FileInfo } from '../../shared/contract';
import { DEFAULT_WINDOW, type Protocol } from '../../shared/limits';
import { applySenderBatch } from './applyBatch';
import type { SenderView } from './types';

export interface CompareLaneView {
  protocol: Protocol;
  window: number | null;
  sender: SenderView;
  result: CompareResult | null;
  error: string | null;
}

export interface CompareView {
  running: boolean;
  lanes: CompareLaneView[];
}

export interface CompareForm {
  receivers: number;
  /** p of data packets (sender to receivers) and of ACKs (back). */
  forward: number;
  backward: number;
  window: number;
  seed: number;
  /** Send the bundled sample, or the chosen file. */
  sample: boolean;
  file: FileInfo | null;
}

export const newSeed = (): number => Math.floor(Math.random() * 0x1_0000_0000);

export const DEFAULT_COMPARE_FORM: CompareForm = {
  receivers: 3,
  forward: 0.1,
  backward: 0.05,
  window: DEFAULT_WINDOW,
  seed: newSeed(),
  sample: true,
  file: null,
};

export function compareRequestOf(
  form: CompareForm,
  settings: { mss: number; timeoutMs: number; port: number },
): CompareRequest {
  return {
    file: form.sample ? null : (form.file?.path ?? null),
    receivers: form.receivers,
    loss: { forward: form.forward, backward: form.backward },
    window: form.window,
    seed: form.seed,
    mss: settings.mss,
    timeoutMs: settings.timeoutMs,
    profile: 'standard',
    port: settings.port,
  };
}

export function applyCompareBatch(
  previous: CompareView | null | undefined,
  batch: CompareBatch,
): CompareView {
  const before = batch.fresh ? [] : (previous?.lanes ?? []);
  return {
    running: batch.running,
    lanes: batch.lanes.map((b, i) => {
      const old = before[i];
      return {
        protocol: b.protocol,
        window: b.window,
        sender: applySenderBatch(old?.sender, b.sender),
        result: b.result,
        error: b.error,
      };
    }),
  };
}

/**
 * The lane that won: every receiver's file byte-identical, and the shortest time (ties: fewest bytes on the
 * wire). Null until every lane has a result, or when none succeeded.
 */
export function winnerOf(lanes: readonly CompareLaneView[]): number | null {
  if (lanes.length === 0 || lanes.some((l) => l.result === null && l.error === null)) return null;
  const wire = (r: CompareResult): number => r.wire.dataBytes + r.wire.ackBytes;
  let best: number | null = null;
  lanes.forEach((lane, i) => {
    const r = lane.result;
    if (!r?.ok) return;
    const b = best === null ? null : lanes[best]!.result!;
    if (b === null || r.durationMs < b.durationMs || (r.durationMs === b.durationMs && wire(r) < wire(b)))
      best = i;
  });
  return best;
}
