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

  it("says an offer arrived in Receive mode, and a file received there; not the demo receivers' files", () => {
    const withReceivers = (receivers: Record<string, unknown>): Watched =>
      ({ ...state(null), receivers }) as unknown as Watched;
    const offer = { id: 'a', from: '127.0.0.3', sender: 'lab-pc-07', name: 'report.pdf', size: 4_200_000 };
    const idle = withReceivers({ receive: { completed: [], offers: [] } });
    const asked = withReceivers({ receive: { completed: [], offers: [offer] } });
    expect(announcements(asked, idle)).toEqual([
      '127.0.0.3 (lab-pc-07) wants to send report.pdf, 4.01 MiB: accept or decline below.',
    ]);
    expect(announcements(asked, asked)).toEqual([]);
    const course = { id: 'b', from: '10.0.0.9', name: '', size: 0, sha256: '', course: true };
    expect(announcements(withReceivers({ receive: { completed: [], offers: [course] } }), idle)).toEqual([
      '10.0.0.9 is sending a file with the course protocol: accept or decline below.',
    ]);
    const file = { path: '/home/me/inbox/report.pdf', bytes: 4_200_000 };
    expect(announcements(withReceivers({ receive: { completed: [file], offers: [] } }), asked)).toEqual([
      'File received: report.pdf, 4,200,000 bytes.',
    ]);
    const demoFile = { path: '/tmp/demo/received-1.bin', bytes: 100 };
    const demoDone = withReceivers({ 'demo-0': { completed: [demoFile], offers: [] } });
    expect(announcements(demoDone, withReceivers({ 'demo-0': { completed: [], offers: [] } }))).toEqual([]);
  });
});
