// The sender window over time: one bar per segment, from its first send until every receiver has ACKed it, so a
// vertical line at any moment crosses exactly the segments outstanding then (stop-and-wait: one; a window of W:
// at most W). Segments retransmitted are drawn hatched as well as in another colour. SVG, scaled to its box.
import { useId, useMemo } from 'react';
import type { SpanTable } from '../../store/compare';
import { formatSeconds } from '../../../shared/format';

interface Props {
  spans: SpanTable;
  /** Segments retransmitted at least once (by seq). */
  retransmitted: ReadonlySet<number>;
  /** The newest time known (ms): open spans run to it. */
  head: number;
  window: number | null;
  label: string;
}

const W = 600;
const H = 220;
const PAD = { left: 2, right: 2, top: 2, bottom: 2 };

/** The outstanding segments at `t`, in order. */
export function outstandingAt(spans: SpanTable, t: number): number[] {
  const out: number[] = [];
  for (let seq = 1; seq <= spans.last; seq++) {
    const from = spans.from[seq];
    const to = spans.to[seq];
    if (from !== undefined && from <= t && (to === undefined || to < 0 || to > t)) out.push(seq);
  }
  return out;
}

/** The newest moment the spans know of: a span closed by the sender's last events may be newer than `head`. */
function newest(spans: SpanTable, head: number): number {
  let t = head;
  for (let seq = 1; seq <= spans.last; seq++) t = Math.max(t, spans.from[seq] ?? 0, spans.to[seq] ?? 0);
  return t;
}

/** "12-19" runs of consecutive numbers. */
export function runsOf(seqs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seqs.length;) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    parts.push(i === j ? `${seqs[i]}` : `${seqs[i]}–${seqs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function WindowChart({ spans, retransmitted, head, window, label }: Props) {
  const hatch = `${useId()}-hatch`;
  const bars = useMemo(() => {
    const end = Math.max(newest(spans, head), 1);
    const last = Math.max(spans.last, 1);
    const x = (t: number): number => PAD.left + (t / end) * (W - PAD.left - PAD.right);
    const rowH = (H - PAD.top - PAD.bottom) / last;
    const out: { seq: number; x: number; y: number; w: number; h: number; retx: boolean }[] = [];
    for (let seq = 1; seq <= spans.last; seq++) {
      const from = spans.from[seq];
      if (from === undefined) continue;
      const to = spans.to[seq]!;
      const x1 = x(from);
      out.push({
        seq,
        x: x1,
        y: PAD.top + (seq - 1) * rowH,
        w: Math.max(1.5, x(to < 0 ? end : to) - x1),
        h: Math.max(1, rowH * 0.9),
        retx: retransmitted.has(seq),
      });
    }
    return { out, end, last };
  }, [spans, retransmitted, head]);
  const now = outstandingAt(spans, newest(spans, head));
  const limit = window === null ? 'at most 1 outstanding' : `at most W = ${window}`;
  return (
    <figure className="window-chart">
      <figcaption>
        <strong>Sender window</strong> over time ({limit}; hatched: retransmitted)
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: each segment is a bar from its first send until every receiver ACKed it; time runs right, segment numbers down`}
      >
        <defs>
          <pattern
            id={hatch}
            patternUnits="userSpaceOnUse"
            width="6"
            height="6"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" className="window-retx" />
            <line x1="0" y1="0" x2="0" y2="6" className="window-hatch" />
          </pattern>
        </defs>
        <rect
          x={PAD.left}
          y={PAD.top}
          width={W - PAD.left - PAD.right}
          height={H - PAD.top - PAD.bottom}
          className="window-plot"
        />
        {bars.out.map((b) => (
          <rect
            key={b.seq}
            x={b.x}
            y={b.y}
            width={b.w}
            height={b.h}
            className={b.retx ? 'window-bar retx' : 'window-bar'}
            fill={b.retx ? `url(#${hatch})` : undefined}
          />
        ))}
      </svg>
      <p className="window-axes">
        Time 0 → {formatSeconds(bars.end)} left to right; segments 1 → {bars.last} top to bottom.
      </p>
      <p className="window-now">
        Outstanding now: {now.length === 0 ? 'none' : `${runsOf(now)} (${now.length})`}
      </p>
    </figure>
  );
}
