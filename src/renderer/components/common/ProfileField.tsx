// The wire profile: the binary standard header, or the reference implementation's ASCII-bit "seed-text".
import { useId } from 'react';
import { PROFILES, type Profile } from '../../../shared/contract';

const LABELS: Record<Profile, string> = {
  standard: 'standard',
  'seed-text': 'seed-text',
};

export function ProfileField(props: { value: Profile; onChange: (p: Profile) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Profile</label>
      <select
        id={id}
        title="standard: binary 8-byte header; seed-text: the reference implementation's ASCII bits"
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value as Profile)}
      >
        {PROFILES.map((p) => (
          <option key={p} value={p}>
            {LABELS[p]}
          </option>
        ))}
      </select>
    </div>
  );
}
