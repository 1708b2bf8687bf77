// MSS, retransmission timeout, wire profile and protocol: the sender's knobs, shared by send and local-demo modes;
// in send mode also the dialect the receivers speak (the local demo's receivers are ours, speaking the course's)
// and whether Selective Repeat uses a multicast group.
import { useId } from 'react';
import { mssProblem, sendTimeoutProblem } from '../../../shared/contract';
import { isWindowed, PROTOCOL_NAMES, PROTOCOLS, windowProblem, type Protocol } from '../../../shared/limits';
import { useAppStore } from '../../store/appStore';
import { DialectField } from './DialectField';
import { NumberField } from './NumberField';
import { ProfileField } from './ProfileField';

export function TransferOptions({
  disabled,
  dialect,
  multicast,
}: {
  disabled: boolean;
  dialect?: boolean;
  /** Offer the multicast switch for Selective Repeat (Send only: the local demo decides it itself). */
  multicast?: boolean;
}) {
  const mss = useAppStore((s) => s.settings?.mss ?? 500);
  const timeoutMs = useAppStore((s) => s.settings?.timeoutMs ?? 100);
  const profile = useAppStore((s) => s.settings?.profile ?? 'standard');
  const dialectText = useAppStore((s) => s.settings?.dialect ?? 'standard');
  const protocol = useAppStore((s) => s.settings?.protocol ?? 'saw');
  const window = useAppStore((s) => s.settings?.window ?? 8);
  const multicastOn = useAppStore((s) => s.settings?.multicast ?? true);
  const update = useAppStore((s) => s.updateSettings);
  const protocolId = useId();
  const multicastHintId = useId();
  return (
    <div className="options-grid">
      <NumberField
        label="MSS (bytes)"
        value={mss}
        problem={(v) => mssProblem(v, profile)}
        onValid={(v) => update({ mss: v })}
        disabled={disabled}
      />
      <NumberField
        label="Timeout"
        suffix="ms"
        value={timeoutMs}
        problem={sendTimeoutProblem}
        onValid={(v) => update({ timeoutMs: v })}
        disabled={disabled}
      />
      <ProfileField value={profile} onChange={(v) => update({ profile: v })} disabled={disabled} />
      {dialect && (
        <DialectField
          value={dialectText}
          profile={profile}
          onValid={(v) => update({ dialect: v })}
          disabled={disabled}
        />
      )}
      <div className="field protocol-field">
        <label htmlFor={protocolId}>Protocol</label>
        <select
          id={protocolId}
          title={
            "Stop-and-wait: the course's protocol, one segment in flight; Go-Back-N: up to a window of them; " +
            'Selective Repeat: a window too, resending only what is missing (to our receivers; Go-Back-N to others)'
          }
          value={protocol}
          disabled={disabled}
          onChange={(e) => update({ protocol: e.target.value as Protocol })}
        >
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {PROTOCOL_NAMES[p]}
            </option>
          ))}
        </select>
      </div>
      {isWindowed(protocol) && (
        <NumberField
          label="Window"
          suffix="segments"
          value={window}
          problem={windowProblem}
          onValid={(v) => update({ window: v })}
          disabled={disabled}
        />
      )}
      {multicast && protocol === 'sr' && (
        <div className="field multicast-field">
          <label className="check">
            <input
              type="checkbox"
              checked={multicastOn}
              disabled={disabled}
              aria-describedby={multicastHintId}
              onChange={(e) => update({ multicast: e.target.checked })}
            />{' '}
            Multicast
          </label>
          <p id={multicastHintId} className="hint">
            Each new segment goes once to a group our receivers join; off: one copy per receiver.
          </p>
        </div>
      )}
    </div>
  );
}
