// What the screen reader hears during a transfer: discrete moments, never counters.
import { describe, expect, it } from 'vitest';
import { announcements } from '../../src/renderer/announce';
import type { AppState } from '../../src/renderer/store/appStore';

type Watched = Parameters<typeof announcements>[0];
const FULL = { mode: { kind: 'full' as const }, paused: false };

function state(
  snapshot: { running: boolean; states: string[]; chunksDone?: number; error?: string | null } | null,
  paused = false,
): Watched {
  return {
    senders: snapshot
      ? {
          demo: {
            snapshot: {
              running: snapshot.running,
              chunksDone: snapshot.chunksDone ?? 0,
              error: snapshot.error ?? null,
              result: snapshot.running ? null : { ok: true, cancelled: false },
              receivers: snapshot.states.map((s, i) => ({
                state: s,
                receiver: { label: `127.0.0.${i + 2}` },
              })),
            },
          },
        }
      : {},
    receivers: {},
    pace: { demo: { ...FULL, paused }, send: FULL },
    lab: null,
  } as unknown as Pick<AppState, 'senders' | 'receivers' | 'pace' | 'lab'>;
}

describe('announcements', () => {
  it('says when a transfer starts, pauses, a receiver finishes and the transfer completes', () => {
    const idle = state(null);
    const started = state({ running: true, states: ['waiting', 'waiting'] });
    expect(announcements(started, idle)).toEqual(['Local demo: transfer started to 2 receivers.']);
    expect(announcements(state({ running: true, states: ['waiting', 'waiting'] }, true), started)).toEqual([
      'Local demo: paused.',
    ]);
    const oneDone = state({ running: true, states: ['done', 'waiting'] });
    expect(announcements(oneDone, started)).toEqual(['127.0.0.2 has the file.']);
    expect(announcements(state({ running: false, states: ['done', 'done'] }), oneDone)).toEqual([
      '127.0.0.3 has the file.',
      'Local demo: transfer complete.',
    ]);
  });

  it('is silent while only counters move', () => {
    const a = state({ running: true, states: ['waiting'], chunksDone: 1 });
    expect(announcements(state({ running: true, states: ['waiting'], chunksDone: 2 }), a)).toEqual([]);
  });
});
