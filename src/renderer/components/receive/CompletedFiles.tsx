// Files a receiver completed: size, SHA-256, time, and a button that shows each in its folder.
import { useState } from 'react';
import { unverifiedNote, type CompletedFile } from '../../../shared/events';
import { call, messageOf } from '../../api';
import { hostOf } from '../../../shared/format';
import { fileNameOf, formatBytes, sentence } from '../../format';
import { ErrorNote } from '../common/ErrorNote';

export function CompletedFiles({ files }: { files: CompletedFile[] }) {
  const [error, setError] = useState<string | null>(null);
  if (files.length === 0) return <p className="placeholder">No file received yet.</p>;
  return (
    <section aria-label="Completed files">
      <h3>Completed files</h3>
      <ul className="completed-files">
        {[...files].reverse().map((f) => (
          <li key={f.path}>
            <div className="completed-head">
              <strong title={f.path}>{fileNameOf(f.path)}</strong>
              <span>{formatBytes(f.bytes)}</span>
              <span>{(f.durationMs / 1000).toFixed(2)} s</span>
              {/* The sender's host: its port is one the system picked for that transfer (a fresh one per segment
                  for the reference client), so it says nothing to the reader; it stays on hover. */}
              <span title={f.from}>from {hostOf(f.from)}</span>
              <button
                type="button"
                onClick={() =>
                  call('file:show', { path: f.path }).catch((e: unknown) => setError(messageOf(e)))
                }
              >
                Show in folder
              </button>
            </div>
            {f.offeredName !== undefined && (
              <p className="verified" role="note">
                ✓ Verified: its SHA-256 matches the one the sender offered
                {f.offeredName !== fileNameOf(f.path) && ` (offered as “${f.offeredName}”)`}
              </p>
            )}
            {!f.verified && (
              <p className="unverified" role="note">
                ⚠ {sentence(unverifiedNote(f))}: it holds what arrived, and nothing confirms that was all.
              </p>
            )}
            <code className="hash">SHA-256 {f.sha256}</code>
          </li>
        ))}
      </ul>
      <ErrorNote message={error} />
    </section>
  );
}
