// The presenter's keys (a presenter clicker sends PageDown/PageUp, B and sometimes F5/Escape): one list per view,
// for its handler and for its ? overlay.

export interface KeyBinding<A extends string> {
  /** As the ? overlay shows them. */
  keys: string[];
  label: string;
  action: A;
}

export type PresenterAction =
  'next' | 'pause' | 'slow' | 'faster' | 'slower' | 'fullscreen' | 'help' | 'exit';

/** A live transfer's presenter mode. */
export const PRESENTER_KEYS: KeyBinding<PresenterAction>[] = [
  { keys: ['Space', 'PageDown', '→'], label: 'Next round (switches to step mode)', action: 'next' },
  { keys: ['B'], label: 'Pause or resume', action: 'pause' },
  { keys: ['S'], label: 'Slow motion on or off', action: 'slow' },
  { keys: ['+'], label: 'Faster slow motion', action: 'faster' },
  { keys: ['-'], label: 'Slower slow motion', action: 'slower' },
  { keys: ['F'], label: 'Full screen on or off', action: 'fullscreen' },
  { keys: ['?'], label: 'Show or hide this list', action: 'help' },
  { keys: ['Esc', 'P'], label: 'Leave presenter mode', action: 'exit' },
];

export type ReplayAction =
  'next' | 'previous' | 'play' | 'faster' | 'slower' | 'fullscreen' | 'help' | 'exit';

/** A recording's presenter mode. */
export const REPLAY_PRESENTER_KEYS: KeyBinding<ReplayAction>[] = [
  { keys: ['Space', 'PageDown', '→'], label: 'Next event', action: 'next' },
  { keys: ['PageUp', '←'], label: 'Previous event', action: 'previous' },
  { keys: ['B'], label: 'Play or pause', action: 'play' },
  { keys: ['+'], label: 'Play faster', action: 'faster' },
  { keys: ['-'], label: 'Play slower', action: 'slower' },
  { keys: ['F'], label: 'Full screen on or off', action: 'fullscreen' },
  { keys: ['?'], label: 'Show or hide this list', action: 'help' },
  { keys: ['Esc', 'P'], label: 'Leave presenter mode', action: 'exit' },
];

/** The values of KeyboardEvent.key a shown key stands for (a letter either case; + and - unshifted too). */
const EVENT_KEYS: Record<string, string[]> = {
  Space: [' '],
  '→': ['ArrowRight'],
  '←': ['ArrowLeft'],
  Esc: ['Escape'],
  '+': ['+', '='],
  '-': ['-', '_'],
};
const eventKeys = (shown: string): string[] =>
  EVENT_KEYS[shown] ?? (shown.length === 1 ? [shown.toLowerCase(), shown.toUpperCase()] : [shown]);

function byKey<A extends string>(bindings: KeyBinding<A>[]): ReadonlyMap<string, A> {
  return new Map(bindings.flatMap((b) => b.keys.flatMap(eventKeys).map((key) => [key, b.action] as const)));
}
const LIVE = byKey(PRESENTER_KEYS);
const REPLAY = byKey(REPLAY_PRESENTER_KEYS);

/** A key press meant as a command: no modifier chord, not typing in a field, not handled already. */
export function plainKey(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return false;
  return !(e.target as HTMLElement | null)?.closest?.('input, select, textarea');
}

/** The action of a key press in a live transfer's presenter mode, or null. */
export function presenterAction(e: KeyboardEvent): PresenterAction | null {
  return plainKey(e) ? (LIVE.get(e.key) ?? null) : null;
}

/** The action of a key press in a recording's presenter mode, or null. */
export function replayPresenterAction(e: KeyboardEvent): ReplayAction | null {
  return plainKey(e) ? (REPLAY.get(e.key) ?? null) : null;
}

/**
 * The Replay tab's keys, as its presenter mode's (a clicker works in both): the next or previous event, or play
 * and pause; Space stays the focused button's, the arrows the slider's when it has the focus (plainKey skips it).
 */
export function replayAction(key: string): 1 | -1 | 'toggle' | null {
  if (key === ' ') return null;
  const action = REPLAY.get(key);
  return action === 'next' ? 1 : action === 'previous' ? -1 : action === 'play' ? 'toggle' : null;
}

/** Full screen through the page's Fullscreen API; a refusal (the window's policy) leaves the window as it is. */
export function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void document.documentElement.requestFullscreen().catch(() => undefined);
}
