// Applies every security rule: per-session ones once, per-webContents ones to each webContents ever created
// (windows, devtools, anything a future feature adds), so no window can be created without them.
import type { App, Session, WebContents } from 'electron';
import { applyCsp } from './csp.js';
import { denyNavigation } from './navigation.js';
import { blockRemoteContent } from './remoteContent.js';
import { denyWindowOpen } from './windowOpen.js';

type ContentsRule = (contents: WebContents) => void;
const contentsRules: ContentsRule[] = [denyNavigation, denyWindowOpen];

export function applySecurity(app: Pick<App, 'on'>, session: Session, devOrigin: string | null): void {
  applyCsp(session, devOrigin !== null);
  blockRemoteContent(session, devOrigin);
  app.on('web-contents-created', (_event, contents) => {
    for (const rule of contentsRules) rule(contents);
  });
}
