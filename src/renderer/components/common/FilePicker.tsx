// Picks the file to send: a native dialog, or a file dropped on the zone. Shows its name, size and SHA-256.
import { useState, type DragEvent } from 'react';
import type { FileInfo } from '../../../shared/contract';
import { api, call, messageOf } from '../../api';
import { formatBytes } from '../../format';
import { ErrorNote } from './ErrorNote';

interface Props {
  file: FileInfo | null;
  onFile: (file: FileInfo) => void;
  disabled: boolean;
  /** Where a file is optional: a button that takes the chosen one away. */
  onClear?: () => void;
}

export function FilePicker({ file, onFile, disabled, onClear }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const load = async (get: () => Promise<FileInfo | null>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const info = await get();
      if (info) onFile(info);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    const dropped = e.dataTransfer.files[0];
    if (disabled || !dropped) return;
    void load(() => call('file:inspect', { path: api().pathForFile(dropped) }));
  };

  return (
    <div
      className={`file-picker${over ? ' drag-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <button
        type="button"
        disabled={disabled || busy}
        onClick={() => void load(() => call('file:choose', null))}
      >
        {busy ? 'Reading…' : 'Choose file…'}
      </button>
      <span className="hint">or drop a file here</span>
      {file && onClear && (
        <button type="button" disabled={disabled} onClick={onClear}>
          Clear
        </button>
      )}
      {file && (
        <dl className="file-info" aria-label="Chosen file">
          <dt>File</dt>
          <dd title={file.path}>{file.name}</dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(file.size)} ({file.size.toLocaleString('en')} bytes)
          </dd>
          <dt>SHA-256</dt>
          <dd className="hash">{file.sha256}</dd>
        </dl>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
