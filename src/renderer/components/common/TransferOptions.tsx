// MSS, retransmission timeout and wire profile: the sender's knobs, shared by send and local-demo modes.
import { mssProblem, sendTimeoutProblem } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { NumberField } from './NumberField';
import { ProfileField } from './ProfileField';

export function TransferOptions({ disabled }: { disabled: boolean }) {
  const mss = useAppStore((s) => s.settings?.mss ?? 500);
  const timeoutMs = useAppStore((s) => s.settings?.timeoutMs ?? 100);
  const profile = useAppStore((s) => s.settings?.profile ?? 'standard');
  const update = useAppStore((s) => s.updateSettings);
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
    </div>
  );
}
