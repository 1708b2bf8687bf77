// Projector-friendly display options: large type and light/dark theme.
import { useId } from 'react';
import type { Theme } from '../../shared/contract';
import { useAppStore } from '../store/appStore';

export function DisplayOptions() {
  const id = useId();
  const largeType = useAppStore((s) => s.settings?.largeType ?? false);
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  const update = useAppStore((s) => s.updateSettings);
  return (
    <div className="display-options">
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
