// The local demo's simulated network: its state in the renderer and the one-click presets a class starts from.
// Pure (no React), so it is tested directly. Values are checked by the relay's own validator (impairments.ts).
import type { DemoNetwork } from '../../../shared/contract';
import {
  NO_IMPAIRMENTS,
  type BurstLoss,
  type Direction,
  type Impairments,
} from '../../../shared/network/impairments';

export interface NetworkState extends DemoNetwork {
  /** Off: the sender sends to the receivers directly. */
  enabled: boolean;
}

export const CLEAN_NETWORK: NetworkState = {
  enabled: false,
  forward: { ...NO_IMPAIRMENTS },
  backward: { ...NO_IMPAIRMENTS },
  seed: null,
};

/** Gilbert-Elliott settings offered by name; "custom" shows the four parameters. */
export const BURST_PRESETS = {
  light: { pGoodToBad: 0.02, pBadToGood: 0.4, lossInBad: 0.7, lossInGood: 0 },
  heavy: { pGoodToBad: 0.05, pBadToGood: 0.2, lossInBad: 1, lossInGood: 0.01 },
} as const satisfies Record<string, BurstLoss>;
export type BurstChoice = 'off' | keyof typeof BURST_PRESETS | 'custom';

export function burstChoiceOf(burst: BurstLoss | null): BurstChoice {
  if (burst === null) return 'off';
  for (const [name, preset] of Object.entries(BURST_PRESETS) as [keyof typeof BURST_PRESETS, BurstLoss][])
    if (sameBurst(burst, preset)) return name;
  return 'custom';
}

function sameBurst(a: BurstLoss, b: BurstLoss): boolean {
  return (
    a.pGoodToBad === b.pGoodToBad &&
    a.pBadToGood === b.pBadToGood &&
    a.lossInBad === b.lossInBad &&
    a.lossInGood === b.lossInGood
  );
}

export interface NetworkPreset {
  id: string;
  label: string;
  /** What a class should watch for, one sentence. */
  watch: string;
  /** The preset for a given retransmission timeout (the slow link is defined relative to it). */
  make(timeoutMs: number): Pick<DemoNetwork, 'forward' | 'backward'>;
}

const imp = (patch: Partial<Impairments>): Impairments => ({ ...NO_IMPAIRMENTS, ...patch });

export const NETWORK_PRESETS: readonly NetworkPreset[] = [
  {
    id: 'wifi',
    label: 'Lossy Wi-Fi',
    watch: 'Losses come in bursts, on data and on ACKs: each one costs a timeout and a retransmission.',
    make: () => ({
      forward: imp({ loss: 0.03, burst: { ...BURST_PRESETS.light }, delayMs: 2, jitterMs: 1 }),
      backward: imp({ loss: 0.03, burst: { ...BURST_PRESETS.light }, delayMs: 2, jitterMs: 1 }),
    }),
  },
  {
    id: 'corrupting',
    label: 'Corrupting link',
    watch:
      'Every corrupted data segment fails the checksum at the receiver, is not ACKed, and is sent again.',
    make: () => ({ forward: imp({ corrupt: 0.05 }), backward: imp({}) }),
  },
  {
    id: 'duplicating',
    label: 'Duplicating link',
    watch: 'Every extra copy is recognised as a duplicate, not written again, and re-ACKed.',
    make: () => ({ forward: imp({ duplicate: 0.2 }), backward: imp({ duplicate: 0.2 }) }),
  },
  {
    id: 'slow',
    label: 'Slow link (delay > timeout)',
    watch:
      'The round trip is often longer than the timeout: the sender retransmits too early and the receiver sees duplicates.',
    make: (timeoutMs) => {
      // Each way 0.6 x timeout +- 0.3 x timeout: a round trip of 0.6 to 1.8 timeouts, mostly longer than one.
      const delayMs = Math.round(timeoutMs * 0.6);
      const jitterMs = Math.round(timeoutMs * 0.3);
      return { forward: imp({ delayMs, jitterMs }), backward: imp({ delayMs, jitterMs }) };
    },
  },
  {
    id: 'clean',
    label: 'Clean',
    watch: 'Nothing happens to the packets on the way.',
    make: () => ({ forward: imp({}), backward: imp({}) }),
  },
];

/** The preset the current settings equal, if any (so its button shows as pressed). */
export function activePreset(state: NetworkState, timeoutMs: number): NetworkPreset | null {
  return (
    NETWORK_PRESETS.find((preset) => {
      const made = preset.make(timeoutMs);
      return sameImpairments(made.forward, state.forward) && sameImpairments(made.backward, state.backward);
    }) ?? null
  );
}

export function sameImpairments(a: Impairments, b: Impairments): boolean {
  for (const key of Object.keys(NO_IMPAIRMENTS) as (keyof Impairments)[]) {
    if (key === 'burst') {
      if (a.burst === null || b.burst === null ? a.burst !== b.burst : !sameBurst(a.burst, b.burst))
        return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

export const DIRECTION_LABELS: Record<Direction, string> = {
  forward: 'Data (sender → receivers)',
  backward: 'ACKs (receivers → sender)',
};
