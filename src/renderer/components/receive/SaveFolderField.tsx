// Where received files go. Chosen only through the native folder dialog; main stores it.
import { useState } from 'react';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';

export function SaveFolderField({ disabled }: { disabled: boolean }) {
  const folder = useAppStore((s) => s.settings?.saveFolder ?? null);
  const noteSaveFolder = useAppStore((s) => s.noteSaveFolder);
  const [error, setError] = useState<string | null>(null);
  const choose = async (): Promise<void> => {
    setError(null);
    try {
      const chosen = await call('folder:choose', null);
      if (chosen) noteSaveFolder(chosen);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div className="field">
      <span className="label">Save location</span>
      <div className="field-row">
        <span className="path" data-testid="save-folder">
          {folder ?? 'not chosen'}
        </span>
        <button type="button" disabled={disabled} onClick={() => void choose()}>
          Choose folder…
        </button>
      </div>
      <ErrorNote message={error} />
    </div>
  );
}
