// The receivers' session code, typed as they show it (case, dashes and spaces do not matter). Empty: no code, the
// course protocol. Never saved: a code is for one listening session of the receivers.
import { useId } from 'react';
import { codeProblem } from '../../../shared/session/code';

export const sessionCodeIssue = (code: string): string | null =>
  code.trim() === '' ? null : codeProblem(code);

export function SessionCodeField(props: {
  code: string;
  onChange: (code: string) => void;
  disabled: boolean;
}) {
  const id = useId();
  const issue = sessionCodeIssue(props.code);
  return (
    <div className="field session-code-field">
      <label htmlFor={id}>Session code</label>
      <input
        id={id}
        value={props.code}
        maxLength={40}
        autoComplete="off"
        spellCheck={false}
        placeholder="only if the receivers show one"
        disabled={props.disabled}
        aria-invalid={issue !== null}
        aria-describedby={`${id}-hint`}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className={issue ? 'problem' : 'hint'} role={issue ? 'alert' : undefined}>
        {issue ??
          'With a code, every packet is authenticated and encrypted, and only receivers showing that code take part.'}
      </p>
    </div>
  );
}
