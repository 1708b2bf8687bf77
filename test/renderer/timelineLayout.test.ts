// The sequence diagram's geometry, totals and viewport as pure functions: no canvas needed.
import { describe, expect, it } from 'vitest';
import { TimelineKind as K } from '../../src/shared/timeline';
import { TimelineRing } from '../../src/shared/timelineRing';
import {
  formatTick,
  GEOMETRY,
  gutterFor,
  laneY,
  layoutFrame,
  timeTicks,
  timeToX,
  xToTime,
  type Viewport,
} from '../../src/renderer/timeline/layout';
import { Tally } from '../../src/renderer/timeline/tally';
import { panView, scrollTo, windowOf, zoomView } from '../../src/renderer/timeline/viewport';

function ring(rows: number[][], capacity = 100): TimelineRing {
  const r = new TimelineRing(capacity);
  for (const [t, kind, seq, receiver] of rows) r.push(t!, kind!, seq!, receiver!);
  return r;
}

// Two receivers, one chunk: receiver 1 loses the first copy, times out, gets the retransmission.
// prettier-ignore
const lossy = [
  [0, K.send, 1, 0], [0, K.send, 1, 1],
  [10, K.drop, 1, 1],
  [20, K.ack, 1, 0],
  [100, K.timeout, 1, 1], [100, K.resend, 1, 1],
  [120, K.ack, 1, 1],
  [121, K.send, 2, 0], [121, K.send, 2, 1],
];

// 100 px of plot per 100 ms: x = gutter + t.
const vp: Viewport = { t0: 0, t1: 200, width: 100 + 200 + GEOMETRY.right, gutter: 100, receivers: 2 };

describe('layoutFrame', () => {
  it('draws a V per packet and ACK, a cross for a drop, a timer mark for a timeout', () => {
    const frame = layoutFrame(ring(lossy), Infinity, vp);
    const g = vp.gutter;
    const [yS, y1, y2] = [laneY(0, 2), laneY(1, 2), laneY(2, 2)];
    expect(frame.drawn).toEqual({ sends: 4, resends: 1, acks: 2, drops: 1, timeouts: 1 });
    const [toR0, toR1, ack0, resend, ack1] = frame.arrows;
    // Receiver 0: down to the midpoint between send and ACK, back up at the ACK.
    expect(toR0).toEqual({ kind: 'send', x1: g, y1: yS, x2: g + 10, y2: y1, lost: false });
    expect(ack0).toEqual({ kind: 'ack', x1: g + 10, y1: y1, x2: g + 20, y2: yS, lost: false });
    // Receiver 1's first copy is lost: the arrow stops at the cross, just above receiver 1's lane.
    expect(toR1!.lost).toBe(true);
    expect(toR1!.y2).toBe(y2 - GEOMETRY.dropGap);
    expect(toR1!.x2).toBeCloseTo(g + (10 * (y2 - GEOMETRY.dropGap - yS)) / (y2 - yS));
    expect(frame.drops).toEqual([{ x: toR1!.x2, y: toR1!.y2 }]);
    expect(frame.timers).toEqual([{ x: g + 100, y1: yS, y2 }]);
    expect(resend).toMatchObject({ kind: 'resend', x1: g + 100, x2: g + 110, y2 });
    expect(ack1).toMatchObject({ kind: 'ack', x1: g + 110, x2: g + 120, y2: yS });
    // Not yet answered: the default slant.
    expect(frame.arrows[5]).toMatchObject({ kind: 'send', x1: g + 121, x2: g + 121 + GEOMETRY.slant });
  });

  it('keeps loopback round trips visible and shows only what the window and the limit allow', () => {
    const fast = layoutFrame(
      ring([
        [50, K.send, 1, 0],
        [50.001, K.ack, 1, 0],
      ]),
      Infinity,
      vp,
    );
    expect(fast.arrows[0]!.x2 - fast.arrows[0]!.x1).toBe(GEOMETRY.minSlant);
    expect(fast.arrows[1]!.x2 - fast.arrows[1]!.x1).toBe(GEOMETRY.minSlant);
    // Replay cursor at index 3: the timeout and what follows are not drawn yet.
    expect(layoutFrame(ring(lossy), 3, vp).drawn).toEqual({
      sends: 2,
      resends: 0,
      acks: 0,
      drops: 1,
      timeouts: 0,
    });
    // A window over [90, 110] ms: the timeout and retransmission; the ACK at 120 is past its end.
    const late = layoutFrame(ring(lossy), Infinity, { ...vp, t0: 90, t1: 110 });
    expect(late.drawn).toMatchObject({ resends: 1, timeouts: 1, acks: 0, drops: 0 });
  });

  it('maps time to x and back', () => {
    expect(timeToX(100, vp)).toBe(vp.gutter + 100);
    expect(xToTime(vp.gutter + 50, vp)).toBe(50);
  });

  it('widens the label column for long labels, up to a share of the width', () => {
    expect(gutterFor(40, 1000)).toBe(GEOMETRY.gutter);
    expect(gutterFor(200, 1000)).toBe(218);
    expect(gutterFor(900, 1000)).toBe(350);
  });
});

describe('axis', () => {
  it('puts ticks at 1, 2 or 5 times a power of ten and labels them for their scale', () => {
    expect(timeTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(timeTicks(1234, 1300, 4)).toEqual([1240, 1260, 1280, 1300]);
    expect(timeTicks(0, 0, 5)).toEqual([]);
    expect(formatTick(800, 200)).toBe('800 ms');
    expect(formatTick(1400, 200)).toBe('1.4 s');
    expect(formatTick(2000, 1000)).toBe('2 s');
    expect(formatTick(0.25, 0.05)).toBe('0.25 ms');
    expect(formatTick(125_000, 5000)).toBe('2:05');
  });
});

describe('Tally', () => {
  it('counts events and rounds up to a position, moving both ways', () => {
    const events = ring(lossy);
    const tally = new Tally(events);
    expect(tally.moveTo(events.end)).toEqual({
      events: 9,
      sends: 4,
      resends: 1,
      acks: 2,
      drops: 1,
      timeouts: 1,
      rounds: 3, // chunk 1, its retransmission, chunk 2
      lastT: 121,
    });
    expect(tally.moveTo(5)).toMatchObject({
      events: 5,
      sends: 2,
      timeouts: 1,
      resends: 0,
      rounds: 1,
      lastT: 100,
    });
    expect(tally.moveTo(6)).toMatchObject({ resends: 1, rounds: 2 });
    expect(tally.moveTo(0)).toMatchObject({ events: 0, rounds: 0, lastT: 0 });
  });

  it('tells back-to-back retransmission rounds of one chunk apart', () => {
    // prettier-ignore
    const events = ring([[0, K.send, 1, 0], [0, K.send, 1, 1], [100, K.resend, 1, 1], [200, K.resend, 1, 1], [300, K.resend, 1, 0], [300, K.resend, 1, 1]]);
    expect(new Tally(events).moveTo(events.end).rounds).toBe(4);
  });
});

describe('viewport', () => {
  it('follows the head, filling from the left until one span has passed', () => {
    expect(windowOf({ span: 1000, end: null }, 300)).toEqual({ t0: 0, t1: 1000 });
    // A little room after the head, so the newest arrows show whole.
    expect(windowOf({ span: 1000, end: null }, 5000)).toEqual({ t0: 4040, t1: 5040 });
    expect(windowOf({ span: 1000, end: 2500 }, 5000)).toEqual({ t0: 1500, t1: 2500 });
  });

  it('scrolls within the session and follows again at the head', () => {
    const view = { span: 1000, end: null };
    expect(panView(view, -540, 5000)).toEqual({ span: 1000, end: 4500 });
    expect(panView({ span: 1000, end: 4500 }, 500, 5000)).toEqual({ span: 1000, end: 5000 });
    expect(panView({ span: 1000, end: 4500 }, 600, 5000)).toEqual({ span: 1000, end: null });
    expect(panView(view, -99_999, 5000)).toEqual({ span: 1000, end: 1000 }); // not before 0
    expect(scrollTo(view, 3000, 5000)).toEqual({ span: 1000, end: 3000 });
  });

  it('zooms around an anchor, and keeps following when zoomed at the right edge', () => {
    expect(zoomView({ span: 1000, end: null }, 0.5, 1, 5000)).toEqual({ span: 500, end: null });
    // Anchored mid-window: the time under the pointer (4540) stays put.
    expect(zoomView({ span: 1000, end: null }, 0.5, 0.5, 5000)).toEqual({ span: 500, end: 4790 });
    expect(zoomView({ span: 1000, end: null }, 1e9, 1, 5000).span).toBe(600_000);
  });
});
