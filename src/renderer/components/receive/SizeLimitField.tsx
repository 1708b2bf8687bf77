// The largest file Receive mode takes: an offer of a larger one is refused before any data comes, as
// p2mpserver --max-size does. Empty: any file that fits on the disk (which always keeps some room free).
import { useId, useState } from 'react';
import { formatBytes, parseByteSize } from '../../../shared/format';
import { useReportProblem } from '../common/CheckedForm';

/**
 * A stored limit as the field shows it: "1.5 GiB", "100 MiB", "100 B" (zeros after the point left out only) where
 * that reads back as the same size, else its bytes exactly ("1234567"), so what is shown is what is enforced.
 */
function limitText(bytes: number): string {
  const short = formatBytes(bytes).replace(/(?:\.0+|(\.\d*[1-9])0+) /, '$1 ');
  return parseByteSize(short, '') === bytes ? short : String(bytes);
}

export function SizeLimitField(props: {
  value: number | null;
  onChange: (bytes: number | null) => void;
  disabled: boolean;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? (props.value === null ? '' : limitText(props.value));
  const parsed = text.trim() === '' ? null : parseByteSize(text, 'the size limit');
  const problem = parsed !== null && typeof parsed !== 'number' ? parsed.problem : null;
  useReportProblem(id, problem !== null);
  return (
    <div className="field">
      <label htmlFor={id}>Largest file to accept</label>
      <input
        id={id}
        placeholder="any size"
        spellCheck={false}
        value={text}
        disabled={props.disabled}
        aria-invalid={problem !== null}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const next = e.target.value;
          setDraft(next);
          const bytes = next.trim() === '' ? null : parseByteSize(next, 'the size limit');
          if (bytes === null || typeof bytes === 'number') props.onChange(bytes);
        }}
      />
      {problem ? (
        <p id={`${id}-hint`} className="problem" role="alert">
          {problem}
        </p>
      ) : (
        <p id={`${id}-hint`} className="hint">
          {typeof parsed === 'number'
            ? `A larger file is refused before any data comes (${formatBytes(parsed)}).`
            : 'As 500M or 2G. Empty: any file that fits on the disk.'}
        </p>
      )}
    </div>
  );
}
