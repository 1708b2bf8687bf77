// The presenter's keys (a presenter clicker sends PageDown/PageUp, B and sometimes F5/Escape): one list, for
// the handler and for the ? overlay.
export const PRESENTER_KEYS: { keys: string[]; label: string; action: PresenterAction }[] = [
  { keys: ['Space', 'PageDown', '→'], label: 'Next round (switches to step mode)', action: 'next' },
  { keys: ['B'], label: 'Pause or resume', action: 'pause' },
  { keys: ['S'], label: 'Slow motion on or off', action: 'slow' },
  { keys: ['+'], label: 'Faster slow motion', action: 'faster' },
  { keys: ['-'], label: 'Slower slow motion', action: 'slower' },
  { keys: ['F'], label: 'Full screen on or off', action: 'fullscreen' },
  { keys: ['?'], label: 'Show or hide this list', action: 'help' },
  { keys: ['Esc', 'P'], label: 'Leave presenter mode', action: 'exit' },
];

export type PresenterAction =
  'next' | 'pause' | 'slow' | 'faster' | 'slower' | 'fullscreen' | 'help' | 'exit';

const BY_KEY: Record<string, PresenterAction> = {
  ' ': 'next',
  PageDown: 'next',
  ArrowRight: 'next',
  b: 'pause',
  B: 'pause',
  s: 'slow',
  S: 'slow',
  '+': 'faster',
  '=': 'faster',
  '-': 'slower',
  _: 'slower',
  f: 'fullscreen',
  F: 'fullscreen',
  '?': 'help',
  Escape: 'exit',
  p: 'exit',
  P: 'exit',
};

/** A key press meant as a command: no modifier chord, not typing in a field, not handled already. */
export function plainKey(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return false;
  return !(e.target as HTMLElement | null)?.closest?.('input, select, textarea');
}

/** The action of a key press in presenter mode, or null. */
export function presenterAction(e: KeyboardEvent): PresenterAction | null {
  return plainKey(e) ? (BY_KEY[e.key] ?? null) : null;
}

/** Full screen through the page's Fullscreen API; a refusal (the window's policy) leaves the window as it is. */
export function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void document.documentElement.requestFullscreen().catch(() => undefined);
}
