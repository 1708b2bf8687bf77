// A labelled number input that shows its own validation problem inline and reports only valid values.
import { useId, useState } from 'react';
import { useReportProblem } from './CheckedForm';

interface Props {
  label: string;
  value: number;
  problem: (value: number) => string | null;
  onValid: (value: number) => void;
  disabled?: boolean;
  step?: number;
  suffix?: string;
}

export function NumberField({ label, value, problem, onValid, disabled, step = 1, suffix }: Props) {
  const id = useId();
  // The text being typed may be briefly invalid ("", "7"), so it lives here until it checks out.
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? String(value);
  const issue = draft === null ? null : draft.trim() === '' ? 'required' : problem(Number(draft));
  useReportProblem(id, issue !== null);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step={step}
          value={text}
          disabled={disabled}
          aria-invalid={issue !== null}
          aria-describedby={issue ? `${id}-problem` : undefined}
          onChange={(e) => {
            const next = e.target.value;
            setDraft(next);
            if (next.trim() !== '' && problem(Number(next)) === null) onValid(Number(next));
          }}
          onBlur={() => {
            if (issue === null) setDraft(null);
          }}
        />
        {suffix && <span className="suffix">{suffix}</span>}
      </div>
      {issue && (
        <p id={`${id}-problem`} className="problem" role="alert">
          {issue}
        </p>
      )}
    </div>
  );
}
