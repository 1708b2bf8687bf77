// The presenter's keys: one list per view drives both its handler and its ? overlay, so every key listed works.
import { describe, expect, it } from 'vitest';
import {
  PRESENTER_KEYS,
  presenterAction,
  REPLAY_PRESENTER_KEYS,
  replayAction,
  replayPresenterAction,
} from '../../src/renderer/components/presenter/keys';

const press = (key: string, more: Partial<KeyboardEvent> = {}): KeyboardEvent =>
  ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    defaultPrevented: false,
    target: null,
    ...more,
  }) as KeyboardEvent;

describe("the presenter's keys", () => {
  it('reads every key its ? list shows, as the list says, in either case', () => {
    expect(presenterAction(press(' '))).toBe('next');
    expect(presenterAction(press('PageDown'))).toBe('next');
    expect(presenterAction(press('ArrowRight'))).toBe('next');
    expect(presenterAction(press('b'))).toBe('pause');
    expect(presenterAction(press('B'))).toBe('pause');
    expect(presenterAction(press('='))).toBe('faster');
    expect(presenterAction(press('Escape'))).toBe('exit');
    expect(presenterAction(press('PageUp'))).toBeNull();
    expect(PRESENTER_KEYS.flatMap((k) => k.keys)).toContain('Space');
  });

  it("a recording's: next and previous event, play, speed; no chord, no typing", () => {
    expect(replayPresenterAction(press(' '))).toBe('next');
    expect(replayPresenterAction(press('PageUp'))).toBe('previous');
    expect(replayPresenterAction(press('ArrowLeft'))).toBe('previous');
    expect(replayPresenterAction(press('b'))).toBe('play');
    expect(replayPresenterAction(press('-'))).toBe('slower');
    expect(replayPresenterAction(press('p'))).toBe('exit');
    expect(replayPresenterAction(press('b', { ctrlKey: true }))).toBeNull();
    expect(REPLAY_PRESENTER_KEYS.map((k) => k.action)).toContain('previous');
  });

  it("the Replay tab's, as its presenter mode's but Space (its buttons' own)", () => {
    expect(replayAction('PageDown')).toBe(1);
    expect(replayAction('ArrowLeft')).toBe(-1);
    expect(replayAction('B')).toBe('toggle');
    expect(replayAction(' ')).toBeNull();
    expect(replayAction('f')).toBeNull();
  });
});
