// When a host's segments say its sender checksums as another dialect. One segment that sums right only under
// another dialect proves nothing: a random one does so by chance, about once in 65536 per dialect, so a fuzzer
// (or any flood of junk) earned "start this server with --dialect le,sum-payload" lines. A real sender that
// this receiver drops as corrupt gets no ACK, so it sends its segments again: that is the evidence asked for.

/** Segments from one host, in a row, all read by one other dialect, before it is named. */
export const EVIDENCE_SEGMENTS = 3;

/** Sequence numbers remembered per host while no number has come twice (a Go-Back-N window, and more). */
const SEQS_KEPT = 256;

interface Streak {
  dialect: string;
  count: number;
  seqs: Set<number>;
  repeated: boolean;
}

/**
 * Feeds each segment from `host` that fails this receiver's checksum, with the other dialect that reads it (or
 * undefined: none does, it is junk, and the host's streak ends). Returns whether the host has now sent
 * EVIDENCE_SEGMENTS or more in a row that the same dialect reads, one of them sent again. Bounded to `maxHosts`:
 * the host heard from least recently is forgotten.
 */
export function checksumEvidence(
  maxHosts: number,
): (host: string, read: { dialect: string; seq: number } | undefined) => boolean {
  const streaks = new Map<string, Streak>();
  return (host, read) => {
    const last = streaks.get(host);
    streaks.delete(host);
    if (read === undefined) return false;
    const streak =
      last?.dialect === read.dialect
        ? last
        : { dialect: read.dialect, count: 0, seqs: new Set<number>(), repeated: false };
    streak.count++;
    if (streak.seqs.has(read.seq)) streak.repeated = true;
    else if (streak.seqs.size < SEQS_KEPT) streak.seqs.add(read.seq);
    // Kept in the order last heard from: the first is the one to forget.
    if (streaks.size >= maxHosts) streaks.delete(streaks.keys().next().value!);
    streaks.set(host, streak);
    return streak.count >= EVIDENCE_SEGMENTS && streak.repeated;
  };
}
