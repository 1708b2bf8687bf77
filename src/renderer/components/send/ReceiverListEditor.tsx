// The receivers to send to, as host or host:port: add, edit and remove, each line validated as it is typed.
import { useId, useState } from 'react';
import { parseReceiverAddress } from '../../../shared/contract';

interface Props {
  receivers: string[];
  defaultPort: number;
  onChange: (receivers: string[]) => void;
  disabled: boolean;
}

function problemOf(text: string, defaultPort: number): string | null {
  const parsed = parseReceiverAddress(text, defaultPort);
  return typeof parsed === 'string' ? parsed : null;
}

export function ReceiverListEditor({ receivers, defaultPort, onChange, disabled }: Props) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const draftProblem = draft.trim() === '' ? null : problemOf(draft, defaultPort);
  const add = (): void => {
    if (draft.trim() === '' || draftProblem) return;
    onChange([...receivers, draft.trim()]);
    setDraft('');
  };
  return (
    <fieldset className="receiver-list" disabled={disabled}>
      <legend>Receivers (host or host:port, default port {defaultPort})</legend>
      <ul>
        {receivers.map((text, i) => {
          const problem = problemOf(text, defaultPort);
          return (
            <li key={i}>
              <input
                aria-label={`Receiver ${i + 1}`}
                value={text}
                aria-invalid={problem !== null}
                onChange={(e) => onChange(receivers.map((r, j) => (j === i ? e.target.value : r)))}
              />
              <button
                type="button"
                aria-label={`Remove receiver ${i + 1}`}
                onClick={() => onChange(receivers.filter((_, j) => j !== i))}
              >
                Remove
              </button>
              {problem && <p className="problem">{problem}</p>}
            </li>
          );
        })}
      </ul>
      <div className="add-receiver">
        <label htmlFor={id}>New receiver</label>
        <input
          id={id}
          value={draft}
          placeholder="192.168.1.20 or lab-pc-3:7735"
          aria-invalid={draftProblem !== null}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') add();
          }}
        />
        <button type="button" onClick={add} disabled={draft.trim() === '' || draftProblem !== null}>
          Add
        </button>
      </div>
      {draftProblem && (
        <p className="problem" role="alert">
          {draftProblem}
        </p>
      )}
    </fieldset>
  );
}
