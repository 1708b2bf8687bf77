// A session code as people type it (case, dashes and spaces do not matter), with a button that makes a new one.
// Empty means none. Never saved: a code is a key, for one session of the room.
import { useId } from 'react';
import { codeProblem, newSessionCode } from '../../../shared/session/code';

export const sessionCodeIssue = (code: string): string | null =>
  code.trim() === '' ? null : codeProblem(code);

export function SessionCodeField(props: {
  code: string;
  onChange: (code: string) => void;
  disabled: boolean;
  placeholder: string;
  hint: string;
}) {
  const id = useId();
  const issue = sessionCodeIssue(props.code);
  return (
    <div className="field session-code-field">
      <label htmlFor={id}>Session code</label>
      <div className="field-row">
        <input
          id={id}
          value={props.code}
          maxLength={40}
          autoComplete="off"
          spellCheck={false}
          placeholder={props.placeholder}
          disabled={props.disabled}
          aria-invalid={issue !== null}
          aria-describedby={`${id}-hint`}
          onChange={(e) => props.onChange(e.target.value)}
        />
        <button type="button" disabled={props.disabled} onClick={() => props.onChange(newSessionCode())}>
          New code
        </button>
      </div>
      <p id={`${id}-hint`} className={issue ? 'problem' : 'hint'} role={issue ? 'alert' : undefined}>
        {issue ?? props.hint}
      </p>
    </div>
  );
}
