// The final summary of a send, with Copy and Save (through main: clipboard and a native save dialog).
import type { SendResult } from '../../../shared/events';
import { call, messageOf } from '../../api';
import { summaryParts, summaryText } from '../../summary';
import { useFadingNote } from '../common/useFadingNote';

export function SummaryPanel({ result, fileName }: { result: SendResult; fileName: string | null }) {
  const [note, setNote] = useFadingNote();
  const parts = summaryParts(result, fileName);
  const { head, table, failures, kept, unverified } = parts;
  const text = summaryText(parts);
  const run = async (action: () => Promise<string>): Promise<void> => {
    try {
      setNote(await action(), true);
    } catch (error) {
      setNote(messageOf(error));
    }
  };
  return (
    <section className={`summary ${result.ok ? 'ok' : 'not-ok'}`} aria-label="Summary">
      <h3>Summary</h3>
      {/* The sentences wrap in a small window; the table scrolls, so its columns stay under their headings. */}
      <div className="summary-head">
        {head.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
      <pre tabIndex={0}>{table}</pre>
      {failures.length > 0 && (
        <ul className="summary-failures">
          {failures.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {kept.length > 0 && (
        <ul className="summary-kept" aria-label="Kept under another name">
          {kept.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {unverified.map((line) => (
        <p key={line} className="summary-unverified">
          {line}
        </p>
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={() => void run(async () => (await call('summary:copy', { text }), 'Copied'))}
        >
          Copy
        </button>
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const path = await call('summary:save', { text });
              return path ? `Saved to ${path}` : 'Not saved';
            })
          }
        >
          Save…
        </button>
        <span role="status">{note}</span>
      </div>
    </section>
  );
}
