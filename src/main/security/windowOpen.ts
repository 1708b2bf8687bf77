// No new windows: window.open and target=_blank links are denied.
import type { WebContents } from 'electron';

export function denyWindowOpen(contents: Pick<WebContents, 'setWindowOpenHandler'>): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
