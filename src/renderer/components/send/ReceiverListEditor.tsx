// The receivers to send to, as host or host:port: add, edit and remove, each line validated as it is typed.
// The new-receiver field takes a whole pasted list too (commas, spaces, new lines, ranges like 10.0.0.10-40), or a
// file of hosts (as p2mpclient --hosts reads one, "#" comments and all), loaded into it to be checked and added.
import { useEffect, useId, useRef, useState } from 'react';
import { formatBytes } from '../../../shared/format';
import { parseReceiverAddress } from '../../../shared/contract';
import { expandReceiverList, portlessAfterPort } from '../../../shared/receiverList';

interface Props {
  receivers: string[];
  defaultPort: number;
  onChange: (receivers: string[]) => void;
  disabled: boolean;
  /** Names receivers announced themselves with, by entry (added from the network). */
  names?: Record<string, string>;
}

function problemOf(text: string, defaultPort: number): string | null {
  const parsed = parseReceiverAddress(text, defaultPort);
  return typeof parsed === 'string' ? parsed : null;
}

/** One receiver however it is written: "PC-3" and "pc-3:7735" are the same one where 7735 is the default port. */
function keyOf(text: string, defaultPort: number): string {
  const parsed = parseReceiverAddress(text, defaultPort);
  return typeof parsed === 'string' ? text.trim() : `${parsed.host.toLowerCase()} ${parsed.port}`;
}

/** The entries of a draft not listed yet, each once (a range and an address in it overlap: as p2mpclient does). */
function freshEntries(entries: string[], receivers: string[], defaultPort: number): string[] {
  const seen = new Set(receivers.map((r) => keyOf(r, defaultPort)));
  return entries.filter((entry) => {
    const key = keyOf(entry, defaultPort);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The receivers a draft adds, or what is wrong with it: the first problem, and how many entries have one. */
function draftEntries(draft: string, defaultPort: number): string[] | string {
  const listed = expandReceiverList(draft);
  if (typeof listed === 'string') return listed;
  const stray = portlessAfterPort(draft);
  if (stray !== null) {
    const port = /:(\d+)$/.exec(stray.after)![1]!;
    return (
      `"${stray.word}" follows ${stray.after} with no port: give it one (${stray.word}:${port}), or put a ` +
      `comma between them to add it on port ${defaultPort}`
    );
  }
  const bad = listed.flatMap((entry) => {
    const problem = problemOf(entry, defaultPort);
    // The problem names the entry already where it quotes it: never "x: "x" is not ...".
    return problem === null ? [] : [problem.includes(entry) ? problem : `${entry}: ${problem}`];
  });
  if (bad.length === 0) return listed;
  return bad.length === 1
    ? bad[0]!
    : `${bad.length} of ${listed.length} entries are not receivers; the first: ${bad[0]}`;
}

/** A pasted list or a loaded file of hosts shows up to this many lines at once (then it scrolls). */
const DRAFT_ROWS = 6;

/** More receivers than this: the list scrolls in its own box. */
const LONG_LIST = 8;

/** A file of hosts larger than this is not one (1,024 receivers with comments fit many times over). */
const MAX_HOSTS_FILE_BYTES = 256 * 1024;

export function ReceiverListEditor({ receivers, defaultPort, onChange, disabled, names = {} }: Props) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLUListElement>(null);
  // A row's Remove button goes with its row: the keyboard moves to the Remove of the row taking its place (the one
  // above at the end of the list, the new-receiver field once none is left), never to the page's top.
  const removedAt = useRef<number | null>(null);
  useEffect(() => {
    const at = removedAt.current;
    if (at === null) return;
    removedAt.current = null;
    const removes = list.current?.querySelectorAll<HTMLButtonElement>(':scope > li > button') ?? [];
    (removes[Math.min(at, removes.length - 1)] ?? field.current)?.focus();
  }, [receivers]);
  // Read by the page itself: only the file the user picked, and only its text (main is not asked for a path).
  const load = async (file: File): Promise<void> => {
    if (file.size > MAX_HOSTS_FILE_BYTES) {
      setFileProblem(
        `${file.name} is ${formatBytes(file.size)}: a file of hosts is at most ${formatBytes(MAX_HOSTS_FILE_BYTES)}`,
      );
      return;
    }
    setFileProblem(null);
    setDraft(await file.text());
  };
  const entries = draft.trim() === '' ? [] : draftEntries(draft, defaultPort);
  const draftProblem = typeof entries === 'string' ? entries : null;
  const fresh = typeof entries === 'string' ? [] : freshEntries(entries, receivers, defaultPort);
  const repeated = typeof entries === 'string' ? 0 : entries.length - fresh.length;
  const add = (): void => {
    if (fresh.length === 0) return;
    onChange([...receivers, ...fresh]);
    setDraft('');
  };
  return (
    <fieldset className="receiver-list" disabled={disabled}>
      <legend>Receivers (port {defaultPort} unless given)</legend>
      {receivers.length > 1 && (
        <p className="list-count">
          <span>{receivers.length} receivers</span>
          <button
            type="button"
            onClick={() => {
              removedAt.current = 0;
              onChange([]);
            }}
          >
            Remove all
          </button>
        </p>
      )}
      <ul className={receivers.length > LONG_LIST ? 'long' : undefined} ref={list}>
        {receivers.map((text, i) => {
          const problem = problemOf(text, defaultPort);
          return (
            <li key={i}>
              <input
                aria-label={`Receiver ${i + 1}`}
                // As wide as its host:port at least: a long name beside it is cut, or goes below (styles.css).
                size={Math.max(8, text.length)}
                value={text}
                aria-invalid={problem !== null}
                onChange={(e) => onChange(receivers.map((r, j) => (j === i ? e.target.value : r)))}
              />
              {names[text] !== undefined && (
                <span className="receiver-name" title={names[text]}>
                  {names[text]}
                </span>
              )}
              <button
                type="button"
                aria-label={`Remove receiver ${i + 1}`}
                onClick={() => {
                  removedAt.current = i;
                  onChange(receivers.filter((_, j) => j !== i));
                }}
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
        {/* A textarea, not an input: a pasted list keeps its line breaks (an input would glue the lines). */}
        <textarea
          id={id}
          ref={field}
          // A pasted list in view, each line read before it is added (one row showed its first line alone); the caret
          // after a final line break stands on a line of its own, counted so that the first line is not scrolled away.
          rows={Math.min(DRAFT_ROWS, draft.split('\n').length)}
          value={draft}
          placeholder="10.0.0.5 or pc-3:7736"
          aria-invalid={draftProblem !== null}
          onChange={(e) => {
            setDraft(e.target.value);
            setFileProblem(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              add();
            }
          }}
        />
        <button
          type="button"
          onClick={() => {
            add();
            // The button greys out once they are added: the keyboard goes back to the field, not to the page's top.
            field.current?.focus();
          }}
          disabled={fresh.length === 0}
        >
          {fresh.length > 1 ? `Add ${fresh.length}` : 'Add'}
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Load file of hosts…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".txt,.list,.csv,text/plain"
          aria-label="File of hosts"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file picked again (after an edit) is read again
            if (file) void load(file);
          }}
        />
      </div>
      {repeated > 0 && (
        <p className="hint" data-testid="draft-repeats">
          {fresh.length === 0
            ? repeated === 1
              ? 'Listed already.'
              : `All ${repeated} are listed already.`
            : `${repeated === 1 ? '1 entry is' : `${repeated} entries are`} listed already or twice: each receiver gets the file once.`}
        </p>
      )}
      <p className="hint">
        A host or host:port; or paste a list (commas, spaces, lines) or a range like 10.0.0.10-40, or load a
        file of them (# comments allowed).
      </p>
      {fileProblem && (
        <p className="problem" role="alert">
          {fileProblem}
        </p>
      )}
      {draftProblem && (
        <p className="problem" role="alert">
          {draftProblem}
        </p>
      )}
    </fieldset>
  );
}
