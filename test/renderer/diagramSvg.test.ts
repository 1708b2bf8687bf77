// The diagram drawn into the SVG export (the same drawing code as the screen): a loss in the simulated network is
// a circled cross mid-way, distinct from a drop by p's bare cross at the receiver, and a chosen packet of the
// next round carries that mark where it will die.
import { describe, expect, it } from 'vitest';
import { drawFrame } from '../../src/renderer/timeline/draw';
import { laneX, layoutFrame, midway, type Viewport } from '../../src/renderer/timeline/layout';
import { SvgPen } from '../../src/renderer/timeline/svgPen';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { TimelineRing } from '../../src/shared/live/timelineRing';
import { measure, palette } from './svgDrawing';

const vp: Viewport = { t0: 0, t1: 200, width: 600, height: 500, receivers: 2, fontPx: 12 };

/** Text as wide as the type it is set in (the pen sets `font` before it measures): 0.55 of the size a character. */
const typeWide: Pick<CanvasRenderingContext2D, 'font' | 'measureText'> = {
  font: '',
  measureText(text: string) {
    const px = Number(/([\d.]+)px/.exec(typeWide.font)?.[1] ?? 10);
    return { width: text.length * px * 0.55 } as TextMetrics;
  },
};

function svgOf(
  rows: number[][],
  next: { inTransfer: number[]; lastSeq: number } | null,
  chosen = false,
  size: Partial<Viewport> = {},
  metrics: Pick<CanvasRenderingContext2D, 'font' | 'measureText'> = measure,
): string {
  const view = { ...vp, ...size };
  const ring = new TimelineRing(100);
  for (const [t, kind, seq, receiver] of rows) ring.push(t!, kind!, seq!, receiver!);
  const frame = layoutFrame(ring, Infinity, view, {
    timeoutMs: 100,
    head: rows.at(-1)![0]!,
    follow: false,
    next,
  });
  const pen = new SvgPen(metrics);
  drawFrame(pen, { frame, vp: view, labels: ['a', 'b'], palette, chosen: () => chosen });
  return pen.document(view.width, view.height, 'diagram');
}

/** Circles (two arcs each) stroked in the drop colour, centred at their x. */
const dropCircles = (svg: string): number[] =>
  [...svg.matchAll(/<path d="M([\d.]+) [\d.]+A([\d.]+) [^"]*" fill="none" stroke="#c0392b"/g)].map(
    (m) => Number(m[1]) - Number(m[2]),
  );

describe('the diagram as SVG', () => {
  it('draws a network loss as a circled cross mid-way, a drop by p without a circle', () => {
    // prettier-ignore
    const net = svgOf([[0, K.send, 1, 0], [0, K.send, 1, 1], [0.1, K.netLoss, 1, 1], [1, K.ack, 1, 0]], null);
    expect(dropCircles(net).map((x) => Math.round(x))).toEqual([Math.round(midway(1, vp))]);
    // prettier-ignore
    const byP = svgOf([[0, K.send, 1, 0], [0.1, K.drop, 1, 0]], null);
    expect(dropCircles(byP)).toEqual([]);
    expect(byP).toMatch(/stroke="#c0392b"/); // its cross
  });

  // A label's opaque background once hid the cross under it (a projector review): marks are painted after labels.
  it('paints loss marks over the arrow labels, never under them', () => {
    // prettier-ignore
    const svg = svgOf([[0, K.send, 1, 0], [0, K.send, 1, 1], [0.1, K.drop, 1, 0], [0.2, K.netLoss, 1, 1], [1, K.ack, 1, 1]], null);
    const lastLabel = svg.lastIndexOf('fill="#0072b2">1</text>');
    const firstMark = svg.indexOf('stroke="#c0392b"');
    expect(lastLabel).toBeGreaterThan(0);
    expect(firstMark).toBeGreaterThan(lastLabel);
  });

  it('draws the next round dotted, labelled, and a chosen packet with the loss mark where it will die', () => {
    const rows = [
      [0, K.send, 1, 0],
      [0, K.send, 1, 1],
      [1, K.ack, 1, 0],
      [1, K.ack, 1, 1],
    ];
    const offered = svgOf(rows, { inTransfer: [0, 1], lastSeq: 5 });
    expect(offered.match(/>next 2</g)).toHaveLength(2);
    expect(dropCircles(offered)).toEqual([]);
    const chosen = svgOf(rows, { inTransfer: [0, 1], lastSeq: 5 }, true);
    // Each of the 4 packets (2 data, 2 ACKs) chosen: a mark on each, mid-way.
    expect(
      dropCircles(chosen)
        .map((x) => Math.round(x))
        .sort(),
    ).toEqual([midway(0, vp), midway(0, vp), midway(1, vp), midway(1, vp)].map((x) => Math.round(x)).sort());
  });

  // A teacher's review: a clock said a timer fired, not whose. Selective Repeat's are per segment.
  it('names by its clock the segment whose timer fired, once per expiry, and leaves it out where there is no room', () => {
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [0.1, K.drop, 1, 0], [0.1, K.drop, 1, 1],
      [100, K.timeout, 1, 0], [100, K.timeout, 1, 1],
    ];
    const svg = svgOf(rows, null);
    // Both receivers timed out by one expiry: one label, in the timer's colour, right of the clock.
    expect(svg.match(/<text x="([\d.]+)" [^>]*fill="#9b2d6f">seg 1<\/text>/g)).toHaveLength(1);
    // Over its dotted line and clock (in Chromium at 1024x640 the dots ran through it: "·seg·2,·3").
    expect(svg.indexOf('>seg 1<')).toBeGreaterThan(svg.lastIndexOf('stroke="#9b2d6f"'));
    // Selective Repeat: two segments' timers firing at once, named together.
    // prettier-ignore
    const sr = svgOf([[0, K.send, 1, 0], [0, K.send, 2, 0], [100, K.timeout, 1, 0], [100, K.timeout, 2, 0]], null);
    expect(sr).toMatch(/>seg 1, 2</);
    // No room before the receiver's line: left out, never drawn over it.
    expect(svgOf(rows, null, false, { width: 130 })).not.toMatch(/>seg /);
  });

  it("marks Selective Repeat's fast retransmission as its own, with no clock", () => {
    const svg = svgOf(
      [
        [0, K.send, 2, 0],
        [5, K.fastResend, 2, 0],
      ],
      null,
    );
    expect(svg).toMatch(/>2 fast retx</);
    expect(svg).not.toMatch(/>2 retx</);
    // Its fast-forward mark: two chevrons in the retransmission's colour (the arrow itself is one stroke).
    expect(svg.match(/<path d="M[^"]*" fill="none" stroke="#8a5a00"/g)).toHaveLength(2);
    expect(svg).not.toMatch(/>seg /);
  });

  // A check's one receiver, named with its port: its name ran past the right edge ("127.0.0.2:196").
  it("draws the last lane's name whole, inside the diagram's right edge", () => {
    const one: Viewport = { ...vp, receivers: 1 };
    const ring = new TimelineRing(10);
    ring.push(0, K.send, 1, 0);
    const frame = layoutFrame(ring, Infinity, one, { timeoutMs: 100, head: 0, follow: false, next: null });
    const pen = new SvgPen(measure);
    drawFrame(pen, { frame, vp: one, labels: ['127.0.0.2:19650'], palette });
    const name = /<text x="([\d.]+)"[^>]*text-anchor="middle"[^>]*>127\.0\.0\.2:19650<\/text>/.exec(
      pen.document(one.width, one.height, 'diagram'),
    );
    expect(name).not.toBeNull();
    expect(Number(name![1]) + measure.measureText('127.0.0.2:19650').width / 2).toBeLessThanOrEqual(
      one.width,
    );
  });

  // Compare's Go-Back-N lane on a 1280x720 projector: the sender window's band left of the sender's line, three
  // receivers close together. "Sender" read "Sen…"; it may use the empty header band over the band.
  it("draws the sender's name whole over the sender window's band, clear of the first receiver's name", () => {
    const narrow: Viewport = { ...vp, width: 330, receivers: 3, window: 4, fontPx: 16 };
    const ring = new TimelineRing(10);
    ring.push(0, K.send, 1, 0);
    const frame = layoutFrame(ring, Infinity, narrow, { timeoutMs: 100, head: 0, follow: false, next: null });
    const pen = new SvgPen(measure);
    drawFrame(pen, { frame, vp: narrow, labels: ['R1', 'R2', 'R3'], palette });
    const svg = pen.document(narrow.width, narrow.height, 'diagram');
    const at = (text: string): number =>
      Number(new RegExp(`<text x="([\\d.]+)"[^>]*text-anchor="middle"[^>]*>${text}</text>`).exec(svg)?.[1]);
    const sender = at('Sender');
    const half = measure.measureText('Sender').width / 2;
    expect(sender - half).toBeGreaterThanOrEqual(0);
    expect(sender + half).toBeLessThan(at('R1') - measure.measureText('R1').width / 2);
  });

  // The same lane narrowed for its receivers on a 1024-px projector: the margin right of the last receiver is
  // small, and a label at its usual place on an arrow to it ran past the edge ("37 fast re").
  it('keeps a label on an arrow to the last receiver whole, inside the right edge, where the margin is narrow', () => {
    const lane: Viewport = { ...vp, width: 306, receivers: 3, fontPx: 16, window: 8, segmentTimers: true };
    const rows = [
      [0, K.send, 37, 2],
      [60, K.fastResend, 37, 2],
    ];
    const label = (svg: string): number | null => {
      const found = /<text x="([\d.]+)"[^>]*>37 fast retx<\/text>/.exec(svg);
      return found && Number(found[1]);
    };
    // Text as wide as its type (the shared measure's 6 px a character is 10-px type's).
    const x = label(svgOf(rows, null, false, lane, typeWide))!;
    expect(x).not.toBeNull();
    expect(x + typeWide.measureText('37 fast retx').width / 2 + 0.2 * 16).toBeLessThanOrEqual(lane.width);
    // Slid back along its arrow: left of where its arrow's 0.7 would have put it.
    const arrow = { x1: laneX(0, lane), x2: laneX(3, lane) };
    expect(x).toBeLessThan(arrow.x1 + (arrow.x2 - arrow.x1) * 0.7);
    // With no point of its arrow leaving it room, it is left out, not drawn past the edge or over the sender.
    const tiny: Viewport = { ...lane, width: 200 };
    expect(label(svgOf(rows, null, false, tiny, typeWide))).toBeNull();
  });
});

describe("a window's labels", () => {
  /** The arrow labels drawn, in the order drawn. */
  const labelsOf = (svg: string): string[] =>
    [...svg.matchAll(/<text [^>]*>(\d+|\d+ retx|ACK \d+)<\/text>/g)].map((m) => m[1]!);

  // A Go-Back-N go-back in the local demo at 1920x1080 (W = 8): each ACK leaves while the burst's later segments
  // still arrive, its label where theirs are (the same x), and "ACK 12" to "ACK 15" were all left out.
  it('writes every ACK of a window sent in one turn, moved along its arrow where need be, in order', () => {
    for (const [window, width, height] of [
      [4, 600, 500],
      [8, 600, 500],
      [8, 500, 300],
    ] as const) {
      const wide: Viewport = { ...vp, width, height, receivers: 2, window };
      const ring = new TimelineRing(100);
      for (let seq = 1; seq <= window; seq++) ring.push(0, K.send, seq, 0);
      for (let seq = 1; seq <= window; seq++) ring.push(1, K.ack, seq, 0);
      const frame = layoutFrame(ring, Infinity, wide, { timeoutMs: 100, head: 1, follow: false, next: null });
      const pen = new SvgPen(measure);
      drawFrame(pen, { frame, vp: wide, labels: ['a', 'b', 'c'], palette });
      const svg = pen.document(wide.width, wide.height, 'diagram');
      const seqs = Array.from({ length: window }, (_, i) => i + 1);
      const said = `W = ${window}, ${width}x${height}`;
      // Where each ACK's label is written. Read down and left to right, they come in order: each one half a line
      // below the one before, or on its line, right of it.
      const acks = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>ACK (\d+)<\/text>/g)]
        .map((m) => ({ x: Number(m[1]), y: Number(m[2]), seq: Number(m[3]) }))
        .sort((a, b) => a.seq - b.seq);
      expect(
        acks.map((a) => a.seq),
        said,
      ).toEqual(seqs);
      for (const [i, next] of acks.slice(1).entries()) {
        const down = next.y - acks[i]!.y;
        const line = vp.fontPx * 0.6;
        expect(down >= line || (down > -line && next.x > acks[i]!.x), `${said}: ACK ${next.seq}`).toBe(true);
      }
      // A segment's number: where there is room for it (at W = 4, every one).
      if (window === 4)
        expect(
          labelsOf(svg).filter((l) => !l.startsWith('ACK')),
          said,
        ).toEqual(seqs.map(String));
    }
  });

  // A teacher's review at W = 8, 3 receivers: on a 1024x640 or 800x600 window every other segment's number was left
  // out (a window's segments leave closer than a label is tall), so nobody could tell which arrows were 10, 12, 14.
  it("names each of a window's segments, on small plots as at the projector's size", () => {
    // The diagram's size and type in the local demo's window at 1024x640, 800x600 and 1920x1080.
    for (const [width, height, fontPx] of [
      [586, 360, 13],
      [736, 360, 13],
      [1490, 500, 16],
    ] as const) {
      const view: Viewport = { ...vp, t0: 0, t1: 60, width, height, fontPx, receivers: 3, window: 8 };
      const ring = new TimelineRing(100);
      for (let seq = 9; seq <= 16; seq++) for (let r = 0; r < 3; r++) ring.push(0, K.send, seq, r);
      for (let seq = 9; seq <= 16; seq++) for (let r = 0; r < 3; r++) ring.push(10, K.ack, seq, r);
      const frame = layoutFrame(ring, Infinity, view, {
        timeoutMs: 100,
        head: 10,
        follow: false,
        next: null,
      });
      const pen = new SvgPen(measure);
      drawFrame(pen, { frame, vp: view, labels: ['a', 'b', 'c'], palette });
      const numbers = labelsOf(pen.document(width, height, 'diagram')).filter((l) => !l.startsWith('ACK'));
      const seqs = Array.from({ length: 8 }, (_, i) => String(9 + i));
      expect(new Set(numbers), `${width}x${height}`).toEqual(new Set(seqs));
    }
  });
});
