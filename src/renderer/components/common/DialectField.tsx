// The dialect the other side speaks (--dialect): a common one from the list, or tokens typed in, checked as the
// command lines check them. Only valid values reach the settings, in their canonical spelling.
import { useId, useState } from 'react';
import type { Profile } from '../../../shared/contract';
import { dialectFor, DIALECT_TOKENS, formatDialect, TOKEN_MEANING } from '../../../shared/protocol/dialect';

/** Dialects of public course implementations, most common first. */
const PRESETS = [
  'standard',
  'eof-none',
  'seq0',
  'ack-next',
  'seq0,ack-next,eof-none',
  'seq0,bytes,ack-next',
  'le',
  'sum-payload',
  'eof-type0',
  'eof-fin',
];

const TITLE = `How the other side numbers, checksums and ends segments: standard (the course's) or tokens joined by commas. ${DIALECT_TOKENS.map((t) => `${t}: ${TOKEN_MEANING[t]}`).join('; ')}.`;

export function DialectField(props: {
  value: string;
  profile: Profile;
  onValid: (dialect: string) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const problemOf = (text: string): string | null => {
    const found = dialectFor(text, props.profile);
    return typeof found === 'string' ? found : null;
  };
  // A stored value may no longer suit the profile chosen since (le with seed-text): say so.
  const issue = problemOf(draft ?? props.value);
  return (
    <div className="field">
      <label htmlFor={id}>Dialect</label>
      <input
        id={id}
        list={`${id}-presets`}
        value={draft ?? props.value}
        title={TITLE}
        spellCheck={false}
        disabled={props.disabled}
        aria-invalid={issue !== null}
        aria-describedby={issue ? `${id}-problem` : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setDraft(next);
          const found = dialectFor(next, props.profile);
          if (typeof found !== 'string') props.onValid(formatDialect(found));
        }}
        onBlur={() => {
          if (draft !== null && problemOf(draft) === null) setDraft(null);
        }}
      />
      <datalist id={`${id}-presets`}>
        {PRESETS.map((preset) => (
          <option key={preset} value={preset} />
        ))}
      </datalist>
      {issue && (
        <p id={`${id}-problem`} className="problem" role="alert">
          {issue}
        </p>
      )}
    </div>
  );
}
