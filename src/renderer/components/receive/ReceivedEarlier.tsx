// Files Receive mode received in this and earlier runs of the app (kept by main), newest first, on demand: the
// list is read when opened and each time a file completes.
import { useEffect, useState } from 'react';
import type { ReceivedEntry } from '../../../shared/contract';
import { call, messageOf } from '../../api';
import { hostOf } from '../../../shared/format';
import { formatBytes } from '../../format';
import { ErrorNote } from '../common/ErrorNote';

export function ReceivedEarlier({ completed }: { completed: number }) {
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<ReceivedEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    let alive = true;
    call('receive:history', null).then(
      (list) => alive && setEntries(list),
      (e: unknown) => alive && setError(messageOf(e)),
    );
    return () => {
      alive = false;
    };
  }, [open, completed]);
  return (
    <details className="received-earlier" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Received files history</summary>
      {entries?.length === 0 && <p className="placeholder">No file received yet.</p>}
      {entries && entries.length > 0 && (
        <ul aria-label="Received files history" tabIndex={0}>
          {entries.map((e) => (
            <li key={`${e.at} ${e.path}`} title={`${e.path}\nfrom ${e.from}\nSHA-256 ${e.sha256}`}>
              <strong>{e.name}</strong>
              {e.offeredAs !== undefined && ` (offered as “${e.offeredAs}”)`} {formatBytes(e.bytes)} from{' '}
              {hostOf(e.from)}, <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>,{' '}
              {e.checked ? 'verified (SHA-256)' : e.verified ? 'complete' : 'unverified (no end marker)'}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote message={error} />
    </details>
  );
}
