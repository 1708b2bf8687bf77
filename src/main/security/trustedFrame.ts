// IPC is answered only for frames showing our own page, so a navigated or injected frame gets nothing.

/** Builds a check for a sender frame's URL against the page main loaded (dev server URL or index.html). */
export function trustedUrlCheck(appUrl: string): (url: string | undefined) => boolean {
  const expected = new URL(appUrl);
  return (url) => {
    if (!url) return false;
    let actual: URL;
    try {
      actual = new URL(url);
    } catch {
      return false;
    }
    if (expected.protocol === 'file:')
      return actual.protocol === 'file:' && actual.pathname === expected.pathname;
    return actual.origin === expected.origin;
  };
}
