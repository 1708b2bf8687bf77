// The sender window drawn inside Compare's sequence diagram: read off when each segment was outstanding, laid out
// row by row at the heights the diagram draws its sends and ACKs, and painted as a band left of the sender's line
// whose filled slots are exactly the segments outstanding (Go-Back-N, W = 4), with ACKed-but-waiting slots of
// Selective Repeat told apart, and stop-and-wait's window of one.
import { describe, expect, it } from 'vitest';
import { drawFrame } from '../../src/renderer/timeline/draw';
import {
  laneX,
  layoutFrame,
  windowBandX,
  windowCellPx,
  type Frame,
  type Viewport,
} from '../../src/renderer/timeline/layout';
import {
  describeWindow,
  runsOf,
  segmentsIn,
  windowAt,
  applySpans,
  emptySpans,
  type SpanTable,
} from '../../src/renderer/timeline/senderWindow';
import { SvgPen } from '../../src/renderer/timeline/svgPen';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { TimelineRing } from '../../src/shared/live/timelineRing';
import { measure, palette } from './svgDrawing';

/** Spans as OutstandingSpans drains them: [seq, from, to (-1: open)]. */
function spansOf(rows: [number, number, number][]): SpanTable {
  const table = emptySpans();
  applySpans(table, rows.flat());
  return table;
}

// Go-Back-N, W = 4, one receiver, 6 segments and the end marker (7): 1-4 leave at once, ACK 1 at 10 slides the
// window and 5 goes at 11, ACK 2 at 20 and 6 goes at 21; ACKs 3-7 at 30-34 (7 sent at 25).
// prettier-ignore
const gbnEvents = [
  [0, K.send, 1, 0], [1, K.send, 2, 0], [2, K.send, 3, 0], [3, K.send, 4, 0],
  [10, K.ack, 1, 0], [11, K.send, 5, 0],
  [20, K.ack, 2, 0], [21, K.send, 6, 0], [25, K.send, 7, 0],
  [30, K.ack, 3, 0], [31, K.ack, 4, 0], [32, K.ack, 5, 0], [33, K.ack, 6, 0], [34, K.ack, 7, 0],
];
const gbnSpans = spansOf([
  [1, 0, 10],
  [2, 1, 20],
  [3, 2, 30],
  [4, 3, 31],
  [5, 11, 32],
  [6, 21, 33],
  [7, 25, 34],
]);

function ring(rows: number[][]): TimelineRing {
  const r = new TimelineRing(100);
  for (const [t, kind, seq, receiver] of rows) r.push(t!, kind!, seq!, receiver!);
  return r;
}

const vp: Viewport = { t0: 0, t1: 40, width: 600, height: 2000, receivers: 1, fontPx: 12, window: 4 };

function layout(events: number[][], spans: SpanTable, view: Viewport = vp): Frame {
  return layoutFrame(ring(events), Infinity, view, {
    timeoutMs: 100,
    head: events.at(-1)![0]!,
    follow: false,
    window: { spans, lastSeq: 7 },
  });
}

/** The window row drawn at height y. */
const rowAt = (frame: Frame, y: number) => frame.window.find((w) => w.y1 <= y && y < w.y2);

describe('the sender window', () => {
  it('at a time: base, and each slot outstanding, ACKed by all, or usable', () => {
    expect(windowAt(gbnSpans, 3, 4, 7)).toEqual({ base: 1, slots: Array(4).fill('outstanding') });
    expect(windowAt(gbnSpans, 10, 4, 7)).toEqual({
      base: 2,
      slots: ['outstanding', 'outstanding', 'outstanding', 'usable'],
    });
    // Near the end of the file the window holds what is left; once everything is ACKed, nothing.
    expect(windowAt(gbnSpans, 31, 4, 7)).toEqual({ base: 5, slots: Array(3).fill('outstanding') });
    expect(windowAt(gbnSpans, 34, 4, 7)).toEqual({ base: 8, slots: [] });
    // Selective Repeat: 3 ACKed by everyone before 2.
    const sr = spansOf([
      [1, 0, 5],
      [2, 1, -1],
      [3, 2, 8],
    ]);
    const w = windowAt(sr, 9, 4, 7);
    expect(w).toEqual({ base: 2, slots: ['outstanding', 'acked', 'usable', 'usable'] });
    expect(segmentsIn(w, 'usable')).toEqual([4, 5]);
    expect(describeWindow(w)).toBe(
      'segments 2–5: 2 sent, not yet ACKed by all; 3 ACKed by all, waiting for an older one; 4–5 usable, not sent yet',
    );
    expect(describeWindow(windowAt(gbnSpans, 34, 4, 7))).toBe('empty: every segment ACKed by every receiver');
    expect(runsOf([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
  });

  it('is laid out in the diagram at the heights of its sends and ACKs: Go-Back-N, W = 4', () => {
    const frame = layout(gbnEvents, gbnSpans);
    const sends = frame.arrows.filter((a) => a.kind === 'send');
    const acks = frame.arrows.filter((a) => a.kind === 'ack');
    const at = (y: number) => {
      const row = rowAt(frame, y)!;
      return {
        base: row.base,
        outstanding: segmentsIn(row, 'outstanding'),
        usable: segmentsIn(row, 'usable'),
      };
    };
    // Where segment 1 leaves, it is the window's only segment out; by segment 4, all four are.
    expect(at(sends[0]!.y1)).toEqual({ base: 1, outstanding: [1], usable: [2, 3, 4] });
    expect(at(sends[3]!.y1)).toEqual({ base: 1, outstanding: [1, 2, 3, 4], usable: [] });
    // ACK 1 arrives: the window slides to 2-5, 5 usable; then 5 goes.
    expect(at(acks[0]!.y2)).toEqual({ base: 2, outstanding: [2, 3, 4], usable: [5] });
    expect(at(sends[4]!.y1)).toEqual({ base: 2, outstanding: [2, 3, 4, 5], usable: [] });
    expect(at(acks[1]!.y2)).toEqual({ base: 3, outstanding: [3, 4, 5], usable: [6] });
    // After the last ACK nothing is outstanding and the band ends.
    expect(frame.window.at(-1)!.slots).toEqual([]);
    // Rows follow one another down the diagram.
    for (let i = 1; i < frame.window.length; i++)
      expect(frame.window[i]!.y1).toBeGreaterThanOrEqual(frame.window[i - 1]!.y2);
    // The band takes room left of the sender's line, which moves right for it.
    const band = windowBandX(vp) + 4 * windowCellPx(vp);
    expect(laneX(0, vp)).toBeGreaterThan(band);
    expect(laneX(0, vp)).toBeGreaterThan(laneX(0, { ...vp, window: undefined }));
    // Without a window the diagram draws none.
    expect(
      layoutFrame(ring(gbnEvents), Infinity, vp, { timeoutMs: 100, head: 34, follow: false }).window,
    ).toEqual([]);
  });

  // A receiver that never answers (p = 1) holds Selective Repeat's window: the view fills with its retransmissions
  // alone, no first send nor ACK in it, and the band vanished while the state line said "1–4 sent".
  it('is drawn where the view holds only retransmissions, the window stuck', () => {
    const stuck = [
      [0, K.send, 1, 0],
      [1, K.send, 2, 0],
      [2, K.send, 3, 0],
      [3, K.send, 4, 0],
    ];
    for (let k = 0; k < 40; k++) stuck.push([100 + 10 * k, K.resend, 1 + (k % 4), 0]);
    const spans = spansOf([1, 2, 3, 4].map((seq): [number, number, number] => [seq, seq - 1, -1]));
    const view = { ...vp, t0: 300, t1: 500, height: 800 };
    const frame = layout(stuck, spans, view);
    expect(frame.arrows.some((a) => a.kind === 'send' || a.kind === 'ack')).toBe(false);
    expect(frame.arrows.length).toBeGreaterThan(0);
    const resends = frame.arrows.filter((a) => a.kind === 'resend');
    for (const a of [resends[0]!, resends.at(-1)!]) {
      const row = rowAt(frame, a.y1)!;
      expect(row.base).toBe(1);
      expect(segmentsIn(row, 'outstanding')).toEqual([1, 2, 3, 4]);
    }
  });

  it('is painted as a band whose filled width is the segments outstanding', () => {
    const frame = layout(gbnEvents, gbnSpans);
    const pen = new SvgPen(measure);
    drawFrame(pen, { frame, vp, labels: ['r'], palette });
    const svg = pen.document(vp.width, vp.height, 'diagram');
    const x0 = windowBandX(vp);
    const cell = windowCellPx(vp);
    // Filled rectangles in the send colour that start in the band: [x slot, slots wide, y1].
    const filled = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="#0072b2"\/>/g),
    ]
      .map((m) => ({ slot: (Number(m[1]) - x0) / cell, slots: Number(m[3]) / cell, y: Number(m[2]) }))
      .filter((r) => r.slot >= -0.01 && r.slot < 4);
    const ack1 = frame.arrows.filter((a) => a.kind === 'ack')[0]!;
    const row = rowAt(frame, ack1.y2)!;
    const drawn = filled.filter((r) => Math.abs(r.y - row.y1) < 0.01);
    // Slots 0-2 (segments 2, 3, 4) filled, slot 3 (segment 5, usable) not.
    expect(drawn.map((r) => [Math.round(r.slot * 100) / 100, Math.round(r.slots * 100) / 100])).toEqual([
      [0, 3],
    ]);
    // The window's range is written where it slides.
    expect(svg).toContain('[2–5]');
  });

  // Compare at 1920x1080, three lanes: "[403–410]" was wider than the time column and lost its "[4" at the
  // diagram's left edge. A range that wide is written smaller, whole inside the column.
  it('writes a range of long sequence numbers whole inside the time column', () => {
    const shift = (rows: number[][]) => rows.map(([t, kind, seq, r]) => [t!, kind!, seq! + 1000, r!]);
    // Segments 1-1000 went, and were ACKed, before this stretch.
    const spans = spansOf([
      ...[...Array(1000).keys()].map((i): [number, number, number] => [i + 1, 0, 0]),
      ...[...Array(7).keys()].map((i): [number, number, number] => [
        1001 + i,
        gbnSpans.from[i]!,
        gbnSpans.to[i]!,
      ]),
    ]);
    const frame = layoutFrame(ring(shift(gbnEvents)), Infinity, vp, {
      timeoutMs: 100,
      head: 34,
      follow: false,
      window: { spans, lastSeq: 1007 },
    });
    const pen = new SvgPen(measure);
    drawFrame(pen, { frame, vp, labels: ['r'], palette });
    const svg = pen.document(vp.width, vp.height, 'diagram');
    const label = [
      ...svg.matchAll(/<text x="([\d.]+)" [^>]*style="font: 600 ([\d.]+)px[^>]*>(\[1002–1005\])</g),
    ];
    expect(label).toHaveLength(1);
    const [, right, size, text] = label[0]!;
    // The test's measure: 6 px a character at the diagram's 12 px, so this many px at the size written.
    const width = text!.length * 6 * (Number(size) / vp.fontPx);
    expect(Number(size)).toBeLessThan(vp.fontPx);
    expect(Number(right) - width).toBeGreaterThanOrEqual(0);
  });

  // The local demo at a teaching pace, in presenter mode at 1024x640 (Selective Repeat, W = 8): the view follows the
  // newest ACK down to the bottom edge, where the window it slid began, so the band showed the window before it,
  // its range written nowhere, while the state line above said "Window 22–29 (W = 8): 22–29 usable".
  it('shows the window the newest ACK left, with its range, at the bottom of a view that follows', () => {
    const upToAck2 = gbnEvents.slice(0, 7);
    expect(upToAck2.at(-1)).toEqual([20, K.ack, 2, 0]);
    const short: Viewport = { ...vp, t1: 20, height: 200 };
    // Now is 10 ms on (at a teaching pace the view waits for the next round): the newest row runs down to now.
    const frame = layoutFrame(ring(upToAck2), Infinity, short, {
      timeoutMs: 100,
      head: 30,
      follow: true,
      window: { spans: gbnSpans, lastSeq: 7 },
    });
    const ack2 = frame.arrows.at(-1)!;
    expect(ack2).toMatchObject({ kind: 'ack', seq: 2 });
    const newest = frame.window.at(-1)!;
    expect(newest).toMatchObject({ base: 3, y1: ack2.y2 });
    const bottom = short.height - Math.round(short.fontPx * 0.8);
    expect(bottom - newest.y1).toBeGreaterThanOrEqual(short.fontPx * 1.3);
    const pen = new SvgPen(measure);
    drawFrame(pen, { frame, vp: short, labels: ['r'], palette });
    const svg = pen.document(short.width, short.height, 'diagram');
    expect(svg).toContain('[3–6]');

    // At a teaching pace an ACK is drawn on its way back before it is in: the view does not jump as the last lands.
    // (1-4 in one turn, their ACKs from 10 ms on; seconds in view, so times take no room.)
    const turn = [1, 2, 3, 4].map((seq) => [0, K.send, seq, 0]);
    const acks = [1, 2, 3, 4].map((seq) => [10 + seq / 1000, K.ack, seq, 0]);
    const lifted = (rows: number[][]): number =>
      layoutFrame(
        ring(rows),
        Infinity,
        { ...short, t1: 100_000, height: 100 },
        {
          timeoutMs: 100,
          head: 10.01,
          follow: true,
          flight: { now: 10.01, ms: 4 },
          window: { spans: spansOf([1, 2, 3, 4].map((seq) => [seq, 0, 10 + seq / 1000])), lastSeq: 7 },
        },
      ).arrows[0]!.y1;
    // (Lifted: the first send went above the lane names' band, 24 px.)
    expect(lifted([...turn, ...acks])).toBeLessThan(24);
    expect(lifted([...turn, ...acks])).toBe(lifted([...turn, ...acks.slice(0, -1)]));
  });

  it("draws stop-and-wait's window of one, and Selective Repeat's ACKed slots narrower in the ACK colour", () => {
    // prettier-ignore
    const saw = layout([[0, K.send, 1, 0], [10, K.ack, 1, 0], [12, K.send, 2, 0]], spansOf([[1, 0, 10], [2, 12, -1]]), {
      ...vp,
      window: 1,
    });
    expect(saw.window.map((w) => [w.base, w.slots])).toEqual([
      [1, ['outstanding']],
      [2, ['usable']],
      [2, ['outstanding']],
    ]);
    // prettier-ignore
    const srEvents = [[0, K.send, 1, 0], [1, K.send, 2, 0], [2, K.send, 3, 0], [8, K.ack, 3, 0]];
    const sr = layout(
      srEvents,
      spansOf([
        [1, 0, -1],
        [2, 1, -1],
        [3, 2, 8],
      ]),
    );
    const last = sr.window.at(-1)!;
    expect(last.slots).toEqual(['outstanding', 'outstanding', 'acked', 'usable']);
    const pen = new SvgPen(measure);
    drawFrame(pen, { frame: sr, vp, labels: ['r'], palette });
    const cell = windowCellPx(vp);
    const acked = [
      ...pen
        .document(600, 2000, 'd')
        .matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="#007a5a"/g),
    ];
    expect(acked).toHaveLength(1);
    const x = Number(acked[0]![1]);
    expect(x).toBeGreaterThan(windowBandX(vp) + 2 * cell);
    expect(x + Number(acked[0]![2])).toBeLessThan(windowBandX(vp) + 3 * cell);
  });
});
