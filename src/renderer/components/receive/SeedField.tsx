// The loss generator's seed: empty means a fresh random one per run (main reports it so a run can be repeated).
import { useId, useState } from 'react';

const MAX_SEED = 0xffff_ffff;

export function SeedField(props: {
  value: number | null;
  onChange: (seed: number | null) => void;
  disabled: boolean;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? (props.value === null ? '' : String(props.value));
  const n = Number(text);
  const problem =
    text.trim() === '' || (Number.isInteger(n) && n >= 0 && n <= MAX_SEED) ? null : `0-${MAX_SEED}`;
  return (
    <div className="field">
      <label htmlFor={id}>Random seed</label>
      <input
        id={id}
        inputMode="numeric"
        placeholder="random"
        value={text}
        disabled={props.disabled}
        aria-invalid={problem !== null}
        onChange={(e) => {
          const next = e.target.value;
          setDraft(next);
          const value = Number(next);
          if (next.trim() === '') props.onChange(null);
          else if (Number.isInteger(value) && value >= 0 && value <= MAX_SEED) props.onChange(value);
        }}
      />
      {problem && <p className="problem">seed must be a whole number {problem}</p>}
    </div>
  );
}
