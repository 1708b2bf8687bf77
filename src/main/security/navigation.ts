// The app is one page: any navigation (a dropped link, a rogue script) is refused, of the main frame and of any
// frame (will-navigate is the main frame's only; the CSP allows no frame, this holds if that ever changes).
import type { WebContents } from 'electron';

export function denyNavigation(contents: Pick<WebContents, 'on'>): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
