// "Network between sender and receivers": an impairment relay in front of each local-demo receiver. One-click
// presets, or per direction (data / ACKs) loss, bursty loss, delay with jitter, duplication, reordering,
// corruption and a rate limit. While a demo with the network runs, every change applies at once.
import { useId, useState } from 'react';
import {
  DIRECTIONS,
  gilbertElliottMeanLoss,
  impairmentProblems,
  type BurstLoss,
  type Direction,
  type Impairments,
} from '../../../shared/network/impairments';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { NumberField } from '../common/NumberField';
import { SeedField } from '../receive/SeedField';
import {
  activePreset,
  BURST_PRESETS,
  burstChoiceOf,
  DIRECTION_LABELS,
  NETWORK_PRESETS,
  type BurstChoice,
  type NetworkState,
} from './networkPresets';

interface Props {
  /** A demo is running (or starting): the network can change live only when that demo has one. */
  busy: boolean;
  /** The running demo has relays: changes go to them at once. */
  live: boolean;
  timeoutMs: number;
  onError: (message: string | null) => void;
}

export function NetworkPanel({ busy, live, timeoutMs, onError }: Props) {
  const network = useAppStore((s) => s.demoNetwork);
  const setNetwork = useAppStore((s) => s.setDemoNetwork);
  const [direction, setDirection] = useState<Direction>('forward');
  const locked = busy && !live;
  const preset = activePreset(network, timeoutMs);

  const change = (next: NetworkState): void => {
    setNetwork(next);
    if (live)
      call('demo:set-network', { forward: next.forward, backward: next.backward }).then(
        () => onError(null),
        (e: unknown) => onError(messageOf(e)),
      );
  };
  const setDirectionImpairments = (imp: Impairments): void => change({ ...network, [direction]: imp });

  return (
    <fieldset className="network-panel" disabled={locked} data-testid="network-panel">
      <legend>Network between sender and receivers</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={network.enabled}
          disabled={busy}
          onChange={(e) => setNetwork({ ...network, enabled: e.target.checked })}
        />{' '}
        Simulate a network (a relay in front of each receiver)
      </label>
      {locked && (
        <p className="hint">This demo runs without a network: stop it and start again to add one.</p>
      )}
      <div className="preset-row" role="group" aria-label="Network presets">
        {NETWORK_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            aria-pressed={network.enabled && preset?.id === p.id}
            disabled={busy && !live}
            onClick={() =>
              change({ ...network, ...p.make(timeoutMs), enabled: busy ? network.enabled : true })
            }
          >
            {p.label}
          </button>
        ))}
      </div>
      {network.enabled && preset && <p className="hint preset-watch">{preset.watch}</p>}
      {network.enabled && (
        <>
          <div className="direction-switch" role="radiogroup" aria-label="Direction to change">
            {DIRECTIONS.map((d) => (
              <label key={d} className={d === direction ? 'selected' : undefined}>
                <input
                  type="radio"
                  name="network-direction"
                  checked={d === direction}
                  onChange={() => setDirection(d)}
                />{' '}
                {DIRECTION_LABELS[d]}
              </label>
            ))}
          </div>
          <DirectionControls
            key={direction}
            direction={direction}
            value={network[direction]}
            onChange={setDirectionImpairments}
          />
          <SeedField
            value={network.seed}
            onChange={(seed) => setNetwork({ ...network, seed })}
            disabled={busy}
          />
          {live && <p className="hint">Changes apply to the running transfer at once.</p>}
        </>
      )}
    </fieldset>
  );
}

const BURST_LABELS: Record<BurstChoice, string> = {
  off: 'Off',
  light: 'Light bursts',
  heavy: 'Heavy bursts',
  custom: 'Custom',
};

function DirectionControls(props: {
  direction: Direction;
  value: Impairments;
  onChange: (imp: Impairments) => void;
}) {
  const { direction, value, onChange } = props;
  const burstId = useId();
  const set = (patch: Partial<Impairments>): void => onChange({ ...value, ...patch });
  const problemOf =
    (field: keyof Impairments, scale = 1) =>
    (v: number): string | null =>
      impairmentProblems({ ...value, [field]: v * scale }).find((p) => p.field === field)?.message ?? null;
  const burstChoice = burstChoiceOf(value.burst);
  const setBurst = (choice: BurstChoice): void => {
    if (choice === 'off') set({ burst: null });
    else if (choice === 'custom') set({ burst: value.burst ?? { ...BURST_PRESETS.light } });
    else set({ burst: { ...BURST_PRESETS[choice] } });
  };
  const setBurstParam = (key: keyof BurstLoss, v: number): void => {
    if (value.burst) set({ burst: { ...value.burst, [key]: v } });
  };
  const what = direction === 'forward' ? 'data' : 'ACK';
  return (
    <div className="direction-controls" role="group" aria-label={DIRECTION_LABELS[direction]}>
      <PercentSlider label={`Loss (${what})`} value={value.loss} onChange={(loss) => set({ loss })} />
      <div className="field">
        <label htmlFor={burstId}>Bursty loss ({what}, Gilbert-Elliott)</label>
        <select id={burstId} value={burstChoice} onChange={(e) => setBurst(e.target.value as BurstChoice)}>
          {(Object.keys(BURST_LABELS) as BurstChoice[]).map((c) => (
            <option key={c} value={c}>
              {BURST_LABELS[c]}
            </option>
          ))}
        </select>
        {value.burst && (
          <p className="hint" data-testid="burst-loss">
            bursts: about {percent(gilbertElliottMeanLoss(value.burst))} lost on average, in bursts of about{' '}
            {value.burst.pBadToGood > 0 ? (1 / value.burst.pBadToGood).toFixed(1) : '∞'} packets
            {/* On top of the loss above (impairments.ts): the two add up, as a class sees in the counters. */}
            {value.loss > 0 &&
              `; with the ${percent(value.loss)} above, about ${percent(
                1 - (1 - gilbertElliottMeanLoss(value.burst)) * (1 - value.loss),
              )} in all`}
          </p>
        )}
      </div>
      {value.burst && burstChoice === 'custom' && (
        <div className="burst-params">
          <PercentSlider
            label="Good → bad"
            value={value.burst.pGoodToBad}
            onChange={(v) => setBurstParam('pGoodToBad', v)}
          />
          <PercentSlider
            label="Bad → good"
            value={value.burst.pBadToGood}
            onChange={(v) => setBurstParam('pBadToGood', v)}
          />
          <PercentSlider
            label="Loss when bad"
            value={value.burst.lossInBad}
            onChange={(v) => setBurstParam('lossInBad', v)}
          />
          <PercentSlider
            label="Loss when good"
            value={value.burst.lossInGood}
            onChange={(v) => setBurstParam('lossInGood', v)}
          />
        </div>
      )}
      <div className="options-grid">
        <NumberField
          label={`Delay (${what})`}
          suffix="ms"
          value={value.delayMs}
          problem={problemOf('delayMs')}
          onValid={(delayMs) => set({ delayMs })}
        />
        <NumberField
          label="Jitter ±"
          suffix="ms"
          value={value.jitterMs}
          problem={problemOf('jitterMs')}
          onValid={(jitterMs) => set({ jitterMs })}
        />
      </div>
      <PercentSlider
        label={`Duplication (${what})`}
        value={value.duplicate}
        onChange={(duplicate) => set({ duplicate })}
      />
      <PercentSlider
        label={`Reordering (${what})`}
        value={value.reorder}
        onChange={(reorder) => set({ reorder })}
      />
      <PercentSlider
        label={`Corruption (${what}, 1 bit)`}
        value={value.corrupt}
        onChange={(corrupt) => set({ corrupt })}
      />
      {direction === 'backward' && value.corrupt > 0 && (
        <p className="hint">
          ACKs carry no checksum in this protocol: a corrupted ACK can acknowledge the wrong segment, and that
          receiver then fails (it never gets a wrong file).
        </p>
      )}
      <NumberField
        label={`Rate limit (${what}, 0 = none)`}
        suffix="kB/s"
        step={10}
        value={value.rateBps / 1000}
        problem={problemOf('rateBps', 1000)}
        onValid={(kBps) => set({ rateBps: Math.round(kBps * 1000) })}
      />
    </div>
  );
}

function percent(p: number): string {
  return `${(p * 100).toFixed(p < 0.1 && p > 0 ? 1 : 0)} %`;
}

/** A probability as a 0-100 % slider in steps of 1 %. */
function PercentSlider(props: { label: string; value: number; onChange: (p: number) => void }) {
  const id = useId();
  return (
    <div className="field loss-slider">
      <div className="slider-head">
        <label htmlFor={id}>{props.label}</label>
        <output aria-hidden="true">{percent(props.value)}</output>
      </div>
      <input
        id={id}
        type="range"
        min={0}
        max={1}
        step={0.01}
        value={props.value}
        aria-valuetext={percent(props.value)}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </div>
  );
}
