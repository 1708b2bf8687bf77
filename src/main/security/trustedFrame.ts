// IPC is answered only for frames showing our own page, so a navigated or injected frame gets nothing.
// What identifies the page is its scheme and host (app://p2mp, or the dev server): never a file path, which a
// browser and Node spell differently (`[`, `]`, spaces, non-ASCII).

/** Builds a check for a sender frame's URL against the page main loaded (app://p2mp/… or the dev server). */
export function trustedUrlCheck(appUrl: string): (url: string | undefined) => boolean {
  const expected = new URL(appUrl);
  return (url) => {
    if (!url) return false;
    try {
      const actual = new URL(url);
      return actual.protocol === expected.protocol && actual.host === expected.host;
    } catch {
      return false;
    }
  };
}
