// p2mpclient's timeout lines. Go-Back-N and Selective Repeat, where each server has its own timer: each line
// names its server, the segments one expiry of a server's timers resends share a line. Stop-and-wait keeps the
// course's own line, once per round (courseTimeoutRounds), printed by client.ts and the demo. In both, a server
// from which nothing at all (not even a duplicate ACK) has come for `quietLimitMs` gets one line saying so
// instead of a line every T until it is given up on (a dead server among 30 at T = 0.1 s: 300 lines that never
// named it; at W = 64: thousands).

export interface QuietLimits {
  quietLimitMs: number;
  giveUpMs: number;
}

/**
 * Whether a timeout of `receiver`, nothing heard from it for `quietMs`, is left out: the first such one prints
 * the line that says so; one heard from again has its lines back.
 */
function quietServers(
  print: (line: string) => void,
  label: (receiver: number) => string,
  { quietLimitMs, giveUpMs }: QuietLimits,
): (receiver: number, quietMs: number | undefined) => boolean {
  const muted = new Set<number>();
  return (receiver, quietMs) => {
    if (quietMs === undefined || quietMs < quietLimitMs) {
      muted.delete(receiver); // heard from again
      return false;
    }
    if (muted.has(receiver)) return true;
    muted.add(receiver);
    const giveUp =
      giveUpMs > 0 ? `; it is given up on after ${(giveUpMs / 1000).toFixed(1)} s without an ACK` : '';
    print(
      `Server ${label(receiver)} is not answering (nothing from it for ${(quietMs / 1000).toFixed(1)} s): its ` +
        `timeout lines are left out until it does${giveUp}`,
    );
    return true;
  };
}

/** The timeout of a server never heard from at which its port is asked about. */
export const PROBE_AT_TIMEOUT = 3;

export interface UnheardServers {
  /** Something came from `receiver` (an ACK, an answer to the offer): never asked about. */
  heard(receiver: number): void;
  timeout(receiver: number): void;
}

/**
 * A server that has said nothing by its third timeout: is anything listening on its port at all (`closed`,
 * portProbe.ts)? If its host says not, one line says so at once, instead of timeouts until it is given up on (a
 * port mistyped); the sender goes on trying all the same (a server started after it still gets the file).
 */
export function unheardServers(
  print: (line: string) => void,
  label: (receiver: number) => string,
  /** Whether its port is closed, and where that is ("127.0.0.2:7735"). */
  closed: (receiver: number) => Promise<{ at: string } | null>,
  giveUpMs: number,
): UnheardServers {
  const heard = new Set<number>();
  const timeouts = new Map<number, number>();
  return {
    heard: (receiver) => void heard.add(receiver),
    timeout(receiver) {
      if (heard.has(receiver)) return;
      const n = (timeouts.get(receiver) ?? 0) + 1;
      timeouts.set(receiver, n);
      if (n !== PROBE_AT_TIMEOUT) return;
      void closed(receiver).then((port) => {
        if (port === null || heard.has(receiver)) return;
        // When it gives up, not for how long: by now part of that time has gone.
        const until =
          giveUpMs > 0 ? `: it is given up on after ${(giveUpMs / 1000).toFixed(1)} s without an ACK` : '';
        print(
          `Server ${label(receiver)}: nothing is listening on ${port.at} (its host says the port is closed): is ` +
            `p2mpserver running there, on that port? Still trying${until}`,
        );
      });
    },
  };
}

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

/** Stop-and-wait's timeout lines printed while no server has answered at all. */
export const SILENT_TIMEOUT_LINES = 10;

/**
 * Stop-and-wait's lines for each 'timeout' event (`seq` as on the wire), `answered`: some server has answered.
 * Until one has, the first SILENT_TIMEOUT_LINES rounds are printed, then one line says why the rest are not (a
 * wrong address or port would print one every T for the whole receiver timeout); once one has, a server that
 * stays silent gets the line naming it (quietServers), and rounds that only it owes print nothing.
 */
export function courseTimeouts(
  print: (line: string) => void,
  label: (receiver: number) => string,
  limits: QuietLimits,
): (event: { receiver: number; t: number; seq: number; quietMs?: number }, answered: boolean) => void {
  const newRound = courseTimeoutRounds();
  const quiet = quietServers(print, label, limits);
  let silentRounds = 0;
  return (event, answered) => {
    if (answered && quiet(event.receiver, event.quietMs)) return;
    if (!newRound(event)) return;
    if (!answered && ++silentRounds > SILENT_TIMEOUT_LINES) {
      if (silentRounds === SILENT_TIMEOUT_LINES + 1)
        print('No server has ACKed anything yet: further timeout lines are left out until one does.');
      return;
    }
    print(`Timeout, sequence number = ${event.seq}`);
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
  limits: QuietLimits,
): WindowedTimeouts {
  let pending: { receiver: number; t: number; seqs: number[] }[] = [];
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
  // What waits is printed before the line that says a server is not answering.
  const quiet = quietServers(
    (line) => {
      flush();
      print(line);
    },
    label,
    limits,
  );
  return {
    timeout(receiver, t, seq, quietMs) {
      if (quiet(receiver, quietMs)) return;
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
