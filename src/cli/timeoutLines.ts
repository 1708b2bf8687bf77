// p2mpclient's timeout lines for Go-Back-N and Selective Repeat, where each server has its own timer: each line
// names its server, the segments one expiry of a server's timers resends share a line, and a server from which
// nothing at all (not even a duplicate ACK) has come for `quietLimitMs` gets one line saying so instead of a line
// per segment every T until it is given up on (a dead server at W = 64: thousands). Stop-and-wait keeps the
// course's own line, once per round (courseTimeoutRounds), printed by client.ts and the demo.

/**
 * Stop-and-wait's course line: one "Timeout, sequence number = N" per round, as the course's single timer. The
 * engine reports one 'timeout' per receiver that owes the ACK, all at one instant: this says whether an event
 * opens a new round (the first of its instant and segment).
 */
export function courseTimeoutRounds(): (event: { t: number; seq: number }) => boolean {
  let last = { t: -1, seq: -1 };
  return ({ t, seq }) => {
    if (t === last.t && seq === last.seq) return false;
    last = { t, seq };
    return true;
  };
}

/** The numbers listed in one line before the rest are counted. */
const LISTED = 8;

export interface WindowedTimeouts {
  /** A 'timeout' event: segment `seq` (as on the wire) of `receiver`, at `t`, nothing heard from it for `quietMs`. */
  timeout(receiver: number, t: number, seq: number, quietMs: number | undefined): void;
  /** Prints what waits now (it is printed at the end of the step anyway). */
  flush(): void;
}

export function windowedTimeouts(
  print: (line: string) => void,
  label: (receiver: number) => string,
  { quietLimitMs, giveUpMs }: { quietLimitMs: number; giveUpMs: number },
): WindowedTimeouts {
  let pending: { receiver: number; t: number; seqs: number[] }[] = [];
  const muted = new Set<number>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    for (const { receiver, seqs } of pending) {
      const listed = seqs.slice(0, LISTED).join(', ');
      const more = seqs.length > LISTED ? `, ... (${seqs.length} in all)` : '';
      const numbers =
        seqs.length === 1 ? `sequence number = ${listed}` : `sequence numbers = ${listed}${more}`;
      print(`Timeout, ${numbers} (server ${label(receiver)})`);
    }
    pending = [];
  };
  return {
    timeout(receiver, t, seq, quietMs) {
      if (quietMs !== undefined && quietMs >= quietLimitMs) {
        if (muted.has(receiver)) return;
        muted.add(receiver);
        flush();
        const giveUp =
          giveUpMs > 0 ? `; it is given up on after ${(giveUpMs / 1000).toFixed(1)} s without an ACK` : '';
        print(
          `Server ${label(receiver)} is not answering (nothing from it for ${(quietMs / 1000).toFixed(1)} s): its ` +
            `timeout lines are left out until it does${giveUp}`,
        );
        return;
      }
      muted.delete(receiver); // heard from again
      const last = pending.at(-1);
      if (last !== undefined && last.receiver === receiver && last.t === t) last.seqs.push(seq);
      else pending.push({ receiver, t, seqs: [seq] });
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    flush,
  };
}
