// Ctrl-C and SIGTERM as a stop request, for the whole life of a command. The first one stops it cleanly (a
// receiver removes its .part, a sender reports what it delivered); more arriving within REPEAT_MS are the same
// request again and are ignored: `npx p2mpserver` in a terminal gets Ctrl-C twice (npx passes it on to its child,
// and the terminal signals the whole process group), and a default handler for the second killed the receiver
// mid-stop, leaving its .part and no last lines. A signal after that is a user insisting: the process ends at once.
import { constants } from 'node:os';

export const REPEAT_MS = 2_000;

/** Where signals arrive and where the process ends: the process's own, or a test's. */
export interface SignalHost {
  on(signal: NodeJS.Signals, handler: (signal: NodeJS.Signals) => void): unknown;
  now(): number;
  say(line: string): void;
  exit(code: number): void;
}

const processHost: SignalHost = {
  on: (signal, handler) => process.on(signal, handler),
  now: () => performance.now(),
  say: (line) => process.stderr.write(`${line}\n`),
  exit: (code) => process.exit(code),
};

/** Calls `stop` on the first SIGINT or SIGTERM, for the rest of the process's life (see above). */
export function onStopSignal(name: string, stop: () => void, host: SignalHost = processHost): void {
  let first: number | null = null;
  const handler = (signal: NodeJS.Signals): void => {
    const t = host.now();
    if (first === null) {
      first = t;
      return stop();
    }
    if (t - first < REPEAT_MS) return;
    host.say(`${name}: ${signal} again: ending at once, without cleaning up`);
    host.exit(128 + constants.signals[signal]); // as the shell reports a process its signal ended: 130, 143
  };
  host.on('SIGINT', handler);
  host.on('SIGTERM', handler);
}

/**
 * Calls `stop` once when stdout or stderr breaks: its reader went away (`p2mplab --json | head -3`, EPIPE).
 * Without a listener Node throws that as an unhandled error: a stack trace, and the process ends without the
 * clean-up a stop does (the lab's temporary folder stays). Writes after it fail silently.
 */
export function onOutputClosed(
  stop: () => void,
  streams: NodeJS.EventEmitter[] = [process.stdout, process.stderr],
): void {
  let stopped = false;
  for (const stream of streams)
    stream.on('error', () => {
      if (stopped) return;
      stopped = true;
      stop();
    });
}
