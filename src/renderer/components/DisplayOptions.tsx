// Projector-friendly display options: presenter mode (on the sender's screens), large type and light/dark theme.
import { useId } from 'react';
import type { SenderSource, Theme } from '../../shared/contract';
import { useAppStore } from '../store/appStore';

/** `presenterFor`: the sender session, or the open recording, presenter mode would show (null: none here). */
export function DisplayOptions({ presenterFor }: { presenterFor: SenderSource | 'replay' | null }) {
  const id = useId();
  const largeType = useAppStore((s) => s.settings?.largeType ?? false);
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  const update = useAppStore((s) => s.updateSettings);
  const setPresenter = useAppStore((s) => s.setPresenter);
  return (
    <div className="display-options">
      <button
        type="button"
        data-presenter-toggle
        disabled={presenterFor === null}
        title={
          presenterFor === null
            ? 'Presenter mode shows a Send or Local demo transfer, or a recording open in Replay'
            : 'Key: P'
        }
        onClick={() => setPresenter(true)}
      >
        Presenter mode
      </button>
      <label>
        <input
          type="checkbox"
          checked={largeType}
          onChange={(e) => update({ largeType: e.target.checked })}
        />{' '}
        Large type
      </label>
      <label htmlFor={id}>Theme</label>
      <select id={id} value={theme} onChange={(e) => update({ theme: e.target.value as Theme })}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}
