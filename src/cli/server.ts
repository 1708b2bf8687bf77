// p2mpserver port# file-name p [options]: receive one file (or more with --keep-listening) over P2MP-FTP.
import { existsSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';
import { emptyCourseFile, leftoverNote, unacceptedData, type ReceiverEvent } from '../shared/events.js';
import { formatBytes } from '../shared/format.js';
import { DEFAULT_IDLE_TIMEOUT_MS, isProfileName } from '../shared/limits.js';
import { startReceiver } from '../shared/node/receiver.js';
import type { IdleAction } from '../shared/protocol/silence.js';
import { dialectFor, dialectHelp, formatDialect, isStandardDialect } from '../shared/protocol/dialect.js';
import {
  address,
  byteSize,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_UNVERIFIED,
  number,
  parse,
  portNumber,
  runCli,
  seconds,
  seed,
  sessionCode,
  swapped,
} from './cli.js';
import { describeCounters, reachLine, receivedLines } from './report.js';
import { rejectionDigest } from './rejectionDigest.js';
import { systemTimers } from '../shared/engine/timers.js';
import { DISCOVERY_HELP, DISCOVERY_OPTIONS, discoveryOptions, receiverName } from './discover.js';
import { displayName } from '../shared/discovery/message.js';
import { announceReceiver, type ReceiverAnnouncer } from '../shared/node/discovery.js';
import { formatCode } from '../shared/session/code.js';
import { localAddresses } from '../shared/node/localAddresses.js';
import { reachableAt } from '../shared/reachableAt.js';
import { onOutputClosed, onStopSignal } from './stopSignals.js';

/**
 * After a course sender went silent mid-file (and --on-idle was left to its default): the way to keep such files,
 * if that is what it was (one that was stopped goes silent too).
 */
const SILENT_SENDER_HINT =
  'if that sender sends no end marker (p2mpclient --dialect eof-none, or another course client), it ends its files ' +
  'by going silent: start p2mpserver with --on-idle complete (or its --dialect) to keep what arrives, marked ' +
  'unverified; if it was stopped, send the file again';

const HELP = `Usage: p2mpserver port# file-name p [options]

Receives a file sent by p2mpclient (P2MP-FTP over UDP) and writes it to file-name, or, when file-name is a
folder, into it under the name the sender offers (made safe; a name taken gets " (2)"), checked against the
offer's SHA-256 before it is kept. Each arriving data packet
is dropped with probability p (0 to 1) to simulate loss; every drop prints "Packet loss, sequence number = X"
(with --profile seed-text in five digits or more, 00042, as the reference implementation prints it).
Data goes to file-name.part and is renamed to file-name only when the whole file has arrived; a transfer that
fails removes it. A course transfer follows its sender's host across source ports (the reference client
sends each segment from a new socket), an offered one keeps to its sender's socket; another host is ignored
unless the transfer has gone silent for 3 s, or has not got past segment 1 in 3 s, and it starts a new
one. A sender that offers Selective Repeat
(p2mpclient --protocol sr) gets it: segments ahead of a lost one, within the window, are kept and written in order.

Options:
  --bind ADDR            local address to listen on (default 0.0.0.0)
  --profile NAME         wire format: standard (default) or seed-text (the reference implementation's)
  --dialect D            how the sender numbers, checksums and ends segments: standard (the course's, default)
                         or tokens joined by commas (le and sum-payload with the standard profile only):
${dialectHelp('                           ')}
                         p2mpcheck client prints the value that talks to a sender
  --seed N               seed of the loss simulation, to repeat a run exactly (default: random, printed)
  --idle-timeout S       end a transfer after S seconds with no packet (default 10; 0 = never)
  --on-idle complete|fail  what a silent sender means: keep the data as the file, marked "unverified"
                         (senders without an end marker), or fail and remove it (default:
                         complete for seed-text and eof-none, else fail: those senders send an end marker)
  --max-size SIZE        refuse a file larger than SIZE (e.g. 500M, 2G); the disk always keeps 32 MiB free
  --code CODE|new        only a sender with this session code gets in (p2mpclient --code): every datagram
                         authenticated and encrypted, anything else dropped and counted; "new" makes a code
                         (60 random bits) and prints it: start the room's other servers with that code;
                         P2MP_CODE in the environment does the same
  --keep-listening       serve transfer after transfer: into file-name, later files get -2, -3, ... before the
                         extension; into a folder, each its offered name (" (2)" when taken)
  --announce             announce this receiver on the local network (multicast and broadcast), so senders
                         find it (p2mpclient --discover, the app's Send view); off unless given
  --name NAME            the name it announces (default: this machine's host name)
${DISCOVERY_HELP}
  --json                 print one JSON event per line instead of text (datagrams a session code kept out:
                         one line per host:port and reason per second, the rest of it counted in "more")
  --quiet                print only the final result
  --help                 show this help

Exit codes: 0 file received and verified (the sender's end marker arrived), 1 transfer failed, 2 bad input,
3 file received but unverified: the sender sent no end marker (the reference client never does).
Example: p2mpserver 7735 received.bin 0.05`;

/**
 * " (replacing the 9 B file there ...)" when the file named is there already: the course's command line writes
 * over it, as cp does, and a user who named the wrong file learns it before a transfer, not after.
 */
function replacing(path: string, folder: boolean): string {
  const there = folder ? undefined : statSync(path, { throwIfNoEntry: false });
  return there?.isFile()
    ? ` (replacing the ${formatBytes(there.size)} file there once a transfer completes)`
    : '';
}

/** Whether `path` is a folder; anything else (missing, a file, unreadable) is left to the receiver to judge. */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/**
 * The n-th file of a --keep-listening session: report.pdf, report-2.pdf, report-3.pdf, ... The first is the
 * course's FILE argument, replaced as the course does; a numbered one never replaces a file already there (one
 * from an earlier session): the next free number is taken.
 */
export function numberedPath(path: string, index: number, taken = existsSync): string {
  if (index === 0) return path;
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  let n = index + 1;
  while (taken(`${stem}-${n}${ext}`) && n < index + 100_000) n++;
  return `${stem}-${n}${ext}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    bind: { type: 'string' },
    profile: { type: 'string' },
    dialect: { type: 'string' },
    seed: { type: 'string' },
    'idle-timeout': { type: 'string' },
    'on-idle': { type: 'string' },
    'max-size': { type: 'string' },
    code: { type: 'string' },
    'keep-listening': { type: 'boolean' },
    announce: { type: 'boolean' },
    name: { type: 'string' },
    ...DISCOVERY_OPTIONS,
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 3)
    throw new InputError(`expected 3 arguments (port# file-name p), got ${positionals.length}; see --help`);
  const [portText, file, pText] = positionals as [string, string, string];
  if (swapped(file, pText) || swapped(file, portText))
    throw new InputError(
      `arguments out of order: p2mpserver takes port# file-name p; did you mean p2mpserver ` +
        (swapped(file, portText) ? `${file} ${portText} ${pText}?` : `${portText} ${pText} ${file}?`),
    );
  const port = portNumber(portText, 'port');
  const p = number(pText, 'loss probability p', 0, 0, 1);
  const profile = values.profile ?? 'standard';
  if (!isProfileName(profile)) throw new InputError(`unknown profile "${profile}" (standard or seed-text)`);
  const dialect = dialectFor(values.dialect ?? 'standard', profile);
  if (typeof dialect === 'string') throw new InputError(dialect);
  const onIdle = values['on-idle'];
  if (onIdle !== undefined && onIdle !== 'complete' && onIdle !== 'fail')
    throw new InputError(`--on-idle must be complete or fail, got "${onIdle}"`);
  const idleTimeoutMs = seconds(values['idle-timeout'], 'idle timeout', DEFAULT_IDLE_TIMEOUT_MS);
  const maxBytes = values['max-size'] === undefined ? undefined : byteSize(values['max-size'], '--max-size');
  const bind = values.bind === undefined ? undefined : address(values.bind, '--bind');
  const code = sessionCode(values.code, true);
  const seedValue = values.seed === undefined ? undefined : seed(values.seed);
  if (file.trim() === '')
    throw new InputError('file-name is empty: give a file to write, or a folder to save into');
  const path = resolve(file);
  // A folder: files are saved under the names their senders offer (senders that offer none: received-N.bin).
  const folder = isFolder(path);
  // "inbox/" names a folder: one that does not exist is an error, not a file called inbox.
  if (!folder && /[\\/]$/.test(file)) throw new InputError(`cannot save into "${path}": no such folder`);
  const announcing = ['name', ...Object.keys(DISCOVERY_OPTIONS)].filter(
    (key) => values[key as keyof typeof values] !== undefined,
  );
  if (!values.announce && announcing.length > 0)
    throw new InputError(
      `${announcing.map((key) => `--${key}`).join(', ')} ${announcing.length > 1 ? 'apply' : 'applies'} to ` +
        `--announce only: give --announce too`,
    );
  const discovery = values.announce ? discoveryOptions(values) : undefined;
  const name = displayName(receiverName(values.name));
  if (discovery && name === '') throw new InputError('--name must contain a printable character');
  const json = values.json === true;
  const quiet = values.quiet === true || json;
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);
  // The reference implementation prints its loss lines with "%05d" (00042): in its profile ours match them line
  // for line, for students who compare the two outputs.
  const lost = (seq: number | undefined): string =>
    seq === undefined ? '?' : profile === 'seed-text' ? String(seq).padStart(5, '0') : String(seq);
  const keepListening = values['keep-listening'] === true;
  // Said when each transfer starts (the listening event brings it): what silence does where no end marker may come.
  let silence = '';

  // What the session code kept out: one line per host and reason per second (a flood must not become the log's).
  const rejections = rejectionDigest((line) => print(JSON.stringify(line)), systemTimers);
  const onEvent = (event: ReceiverEvent): void => {
    if (event.type === 'listening') silence = event.silence === undefined ? '' : ` (${event.silence})`;
    if (json) {
      if (event.type === 'rejected') return rejections.add(event);
      // The digest's last lines before the last event, so a reader that stops there misses nothing.
      if (event.type === 'stopped') rejections.flush();
      print(JSON.stringify(event));
      return;
    }
    if (event.type === 'packet' && event.outcome === 'dropped' && !quiet)
      print(`Packet loss, sequence number = ${lost(event.seq)}`);
    else if (event.type === 'transfer-start' && !quiet)
      // An offered transfer ends with its end marker, never by silence: nothing to say of it.
      print(`Receiving from ${event.from} into ${event.path}${event.offered ? '' : silence}`);
    else if (event.type === 'complete') print(receivedLines(event.file));
    else if (event.type === 'transfer-failed')
      process.stderr.write(
        `p2mpserver: transfer failed: ${event.reason}\n` +
          (event.silentCourse && onIdle === undefined ? `p2mpserver: ${SILENT_SENDER_HINT}\n` : ''),
      );
    else if (event.type === 'offer-held' && !quiet)
      print(
        `${event.from} offers ${event.name} (${formatBytes(event.size)}) while a transfer is on: told to wait ` +
          (keepListening
            ? '(it asks again every second, and gets its turn when this one ends)'
            : '(it asks again every second; this server takes one file, so it gets a turn only if this transfer ' +
              'fails or goes silent: --keep-listening serves one after another)'),
      );
    else if (event.type === 'offer-declined')
      process.stderr.write(
        `p2mpserver: declined ${event.name} (${formatBytes(event.size)}) from ${event.from}: ${event.reason} ` +
          `(still listening)\n`,
      );
    else if (event.type === 'wrong-code')
      process.stderr.write(
        `p2mpserver: wrong code: ${event.from} sent datagrams that do not open with this session code ` +
          `(another code, or forged; dropped)\n`,
      );
    else if (event.type === 'other-profile')
      process.stderr.write(
        `p2mpserver: ${event.from} sends datagrams of the ${event.profile} profile, which this server cannot ` +
          `read: was its sender started with another --profile?\n`,
      );
    else if (event.type === 'other-checksum')
      process.stderr.write(
        `p2mpserver: ${event.from} sends segments whose checksum is right only as --dialect ${event.dialect} ` +
          `reads them (dropped as corrupt): start this server with --dialect ${event.dialect} (p2mpcheck client ` +
          `tells its whole dialect)\n`,
      );
    else if (event.type === 'other-numbering')
      process.stderr.write(
        `p2mpserver: ${event.from} sent segment ${event.seq}, but transfers here start at segment ${event.first} ` +
          `(not ACKed): was its sender started with --dialect seq0 or bytes? Start this server with the same ` +
          `--dialect (p2mpcheck client tells which)\n`,
      );
    else if (event.type === 'leftovers') process.stderr.write(`p2mpserver: ${leftoverNote(event)}\n`);
    else if (event.type === 'empty-course-file')
      process.stderr.write(`p2mpserver: ${emptyCourseFile(event.from)}\n`);
    else if (event.type === 'unaccepted-data') process.stderr.write(`p2mpserver: ${unacceptedData(event)}\n`);
    else if (event.type === 'needs-code')
      process.stderr.write(
        `p2mpserver: ${event.from} sends datagrams sealed with a session code, which this server was not ` +
          `given: start it with --code and that code (dropped)\n`,
      );
    else if (event.type === 'unsealed')
      process.stderr.write(
        `p2mpserver: ${event.from} sent datagrams without the session code (dropped): give the sender --code\n`,
      );
  };

  // Signals are handled from the start, so a Ctrl-C right after "Listening" still ends cleanly.
  const interrupted = new AbortController();
  onStopSignal('p2mpserver', () => interrupted.abort());
  // A reader that went away (`--json | head`) stops it as Ctrl-C does, rather than a stack trace.
  onOutputClosed(() => interrupted.abort());
  let announcer: ReceiverAnnouncer | undefined;
  const session = await startReceiver({
    port,
    destination: (index) => (folder ? join(path, `received-${index + 1}.bin`) : numberedPath(path, index)),
    ...(folder ? { folder: path } : {}),
    p,
    profile,
    dialect,
    idleTimeoutMs,
    keepListening,
    onEvent: (event) => {
      announcer?.follow(event);
      onEvent(event);
    },
    ...(bind !== undefined ? { bind } : {}),
    ...(seedValue !== undefined ? { seed: seedValue } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(onIdle !== undefined ? { onIdle: onIdle as IdleAction } : {}),
    ...(code !== undefined ? { code } : {}),
  });
  if (discovery) {
    const what = {
      name,
      port: session.address.port,
      profile,
      code: code !== undefined,
      // Where it listens, as an address: --bind may name a host ("localhost"), which no sender takes for one.
      bind: session.address.address,
    };
    const started = await announceReceiver(what, discovery).catch(async (error: unknown) => {
      await session.stop();
      throw error;
    });
    announcer = started;
    void session.done.finally(() => started.stop());
  }
  if (!quiet)
    print(
      `Listening on ${session.address.address}:${session.address.port} (${profile} profile, ` +
        `${isStandardDialect(dialect) ? '' : `dialect ${formatDialect(dialect)}, `}p = ${p}, ` +
        `seed ${session.seed}); saving to ${path}${replacing(path, folder)}` +
        (discovery ? `\nAnnouncing "${name}" on the local network (discovery port ${discovery.port})` : ''),
    );
  // Bound to every address, its line names none a class could type: this machine's, as Receive mode shows them.
  const reach = reachableAt(localAddresses(networkInterfaces()), session.address.address);
  const line = reach.any ? reachLine(reach.shown, session.address.port) : null;
  if (!quiet && !json && line !== null) print(line);
  // Printed even with --quiet: a "new" code exists nowhere else.
  if (code !== undefined)
    print(
      json
        ? JSON.stringify({ type: 'session-code', code: formatCode(code) })
        : `Session code: ${formatCode(code)} (the sender gives it with --code; nothing else gets in)`,
    );
  if (interrupted.signal.aborted) void session.stop();
  else interrupted.signal.addEventListener('abort', () => void session.stop());
  const result = await session.done;
  rejections.flush();
  if (!json) print(describeCounters(result.counters, result.files));
  if (!result.ok) return EXIT_FAILED;
  // Stopped (Ctrl-C, SIGTERM) before its one file came: 0 would say the file arrived.
  if (values['keep-listening'] !== true && result.files.length === 0) {
    process.stderr.write('p2mpserver: stopped before any file arrived\n');
    return EXIT_FAILED;
  }
  return result.files.every((f) => f.verified) ? EXIT_OK : EXIT_UNVERIFIED;
}

runCli('p2mpserver', main);
