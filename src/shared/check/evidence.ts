// p2mpcheck server's datagrams as evidence for the app: each probe and reply read in the dialect found.
import { TYPE_ACK, TYPE_DATA } from '../protocol/segment.js';
import { checksumOf, readSegment } from '../protocol/wire.js';
import type { Dialect } from './dialect.js';
import type { Exchange } from './rules.js';

/** Evidence kept per check: every probe of p2mpcheck server, and a course file's first segments and episodes. */
export const MAX_EVIDENCE = 4_000;

export interface Datagram {
  /** ms since the check started. */
  t: number;
  dir: 'to-receiver' | 'to-sender';
  bytes: Uint8Array;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** p2mpcheck server's datagrams (receiver 0 is the receiver checked), read in the dialect it found. */
export function probeEvidence(dialect: Dialect | undefined, datagrams: readonly Datagram[]): Exchange[] {
  const sent = new Set<number>();
  return datagrams.slice(0, MAX_EVIDENCE).map(({ t, dir, bytes }): Exchange => {
    const base = { t: Math.round(t), dir, receiver: 0 };
    const read = dialect ? readSegment(dialect, bytes) : undefined;
    if (!read?.ok)
      return { ...base, what: `${bytes.length} bytes${dialect ? ', not a segment in its dialect' : ''}` };
    const { seq, checksum, type, payload } = read.fields;
    if (dir === 'to-sender')
      return type === TYPE_ACK
        ? { ...base, seq, what: `ACK ${seq}`, mark: 'ack' }
        : { ...base, seq, what: `a reply of type ${hex(type)}` };
    if (type !== TYPE_DATA)
      return {
        ...base,
        seq,
        what: type === TYPE_ACK ? `an ACK sent to it` : `a header of type ${hex(type)}`,
      };
    const bad = checksum !== checksumOf(dialect!, seq, type, payload) ? ', bad checksum' : '';
    const again = sent.has(seq);
    sent.add(seq);
    return {
      ...base,
      seq,
      what: `${payload.length ? `segment, ${payload.length} bytes` : 'empty segment'}${bad}${again ? ', again' : ''}`,
      mark: again ? 'resend' : 'send',
    };
  });
}
