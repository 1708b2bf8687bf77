// Playing a recording on the diagram's shown time: a long wait between two rounds (a class's minute between
// clicks, drawn short as a break) plays as long as it is drawn, and so does the wait before the first event; the
// protocol's own waits (a timeout) play to scale.
import { describe, expect, it } from 'vitest';
import { playedOn } from '../../src/renderer/components/replay/useReplayPlayer';
import { replayOf } from '../../src/renderer/timeline/replay';
import type { Recording } from '../../src/shared/live/recording';
import { TimelineKind as K } from '../../src/shared/live/timeline';

/** Stop-and-wait at the default T = 100 ms, one receiver, in step mode: `events` as [t, kind, seq]. */
function recording(events: [number, number, number][]): Recording {
  return {
    session: {
      source: 'demo',
      fileSize: 1000,
      mss: 500,
      chunks: 2,
      timeoutMs: 100,
      profile: 'standard',
      receivers: [{ id: 0, label: '127.0.0.2:7735', address: '127.0.0.2', port: 7735 }],
    },
    outcome: { ok: true, cancelled: false, durationMs: events.at(-1)![0] },
    truncated: false,
    events: events.flatMap(([t, kind, seq]) => [t, kind, seq, 0]),
  };
}

describe('replay playing', () => {
  it('plays a minute between two clicks as the 200 ms break the diagram draws, and a timeout to scale', () => {
    const replay = replayOf(
      recording([
        [0, K.send, 1],
        [3, K.drop, 1],
        [100, K.timeout, 1],
        [100, K.resend, 1],
        [110, K.ack, 1],
        // The next click a minute later (a wait drawn 2T = 200 ms long).
        [60_110, K.send, 2],
        [60_120, K.ack, 2],
      ]),
    );
    // The timeout's 100 ms play as they are.
    expect(playedOn(replay, 0, 50)).toBe(50);
    expect(playedOn(replay, 50, 60)).toBe(110);
    // The minute: its first 200 ms, then on past the click.
    expect(playedOn(replay, 110, 150)).toBe(260);
    expect(playedOn(replay, 310, 20)).toBe(60_130);
    // Played frame by frame (16 ms at 1x), the whole recording takes under half a second, not a minute.
    let cursor = 0;
    let frames = 0;
    while (cursor < replay.duration && frames < 10_000) {
      cursor = playedOn(replay, cursor, 16);
      frames++;
    }
    expect(frames * 16).toBeLessThan(500);
  });

  it('does not play the wait before the first event longer than a break (a first click waited for)', () => {
    const replay = replayOf(
      recording([
        [12_000, K.send, 1],
        [12_010, K.ack, 1],
      ]),
    );
    expect(playedOn(replay, 0, 16)).toBe(11_800);
    expect(playedOn(replay, 11_800, 16)).toBe(11_816);
  });
});
