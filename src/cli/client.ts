// p2mpclient server-1 ... server-n server-port# file-name MSS [options]: send a file to every server.
import { readFileSync } from 'node:fs';
import { InputError } from '../shared/errors.js';
import { expandReceiverList, MAX_LISTED_RECEIVERS } from '../shared/receiverList.js';
import type { ReceiverEndpoint, SenderEvent } from '../shared/events.js';
import { isIPv6 } from 'node:net';
import { portClosed } from '../shared/node/portProbe.js';
import { parseServer, type ReceiverSpec } from '../shared/node/endpoints.js';
import {
  DEFAULT_WINDOW,
  isProfileName,
  isProtocol,
  isWindowed,
  MAX_WINDOW,
  PROTOCOLS,
  referenceMssProblem,
  SEED_TEXT_REFERENCE_MAX_MSS,
  TIMEOUT_RANGE_MS,
} from '../shared/limits.js';
import { DEFAULT_RECEIVER_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, send } from '../shared/node/sender.js';
import { dialectFor, dialectHelp } from '../shared/protocol/dialect.js';
import { isRtoMode } from '../shared/engine/rto.js';
import { DISCOVERY_HELP, DISCOVERY_OPTIONS, runDiscover } from './discover.js';
import { courseTimeouts, unheardServers, windowedTimeouts } from './timeoutLines.js';
import {
  address,
  EXIT_FAILED,
  EXIT_OK,
  integer,
  parse,
  portNumber,
  runCli,
  seconds,
  sessionCode,
  swapped,
  wholeNumber,
} from './cli.js';
import { progressBar, summaryTable } from './report.js';
import { counted } from '../shared/format.js';
import { onOutputClosed, onStopSignal } from './stopSignals.js';

const HELP = `Usage: p2mpclient server-1 [server-2 ... server-n] server-port# file-name MSS [options]
       p2mpclient --discover [--wait S] [--json]

Sends file-name to every server (each running p2mpserver) over UDP, MSS bytes per segment, stop-and-wait:
the next segment goes out only when every server has ACKed the current one. On a timeout the segment is sent
again only to the servers that have not ACKed it, printing "Timeout, sequence number = X".
A server is a host name or address, or host:port to reach a server on another port than server-port#; a range
of the last address byte stands for them all (127.0.0.2-9, 10.0.0.10-40:7736).

Options:
  --timeout S            retransmission timeout in seconds (default ${DEFAULT_TIMEOUT_MS / 1000})
  --protocol saw|gbn|sr  saw: stop-and-wait, the course's protocol (default); gbn: Go-Back-N, up to W segments
                         in flight (course receivers need nothing new: they ACK the last in-order segment);
                         sr: Selective Repeat, only the missing segments resent, to the servers missing them
                         (our servers agree to it through the offer; the others get Go-Back-N, and are listed).
                         Each server has its own timer: "Timeout, sequence number(s) = X (server S)"
  --no-multicast         sr: send every segment to each server by unicast (by default our servers join a
                         multicast group through the offer and each new segment goes to the group once)
  --window W             the window of gbn and sr, in segments (default ${DEFAULT_WINDOW}, at most ${MAX_WINDOW})
  --rto fixed|adaptive   fixed: always the timeout above (the course's rule, default); adaptive: learn it from
                         the round-trip times (RFC 6298: SRTT, RTTVAR, Karn's rule, back-off), starting there
  --receiver-timeout S   give up on a server that has not ACKed a segment S seconds after it was first sent
                         (default ${DEFAULT_RECEIVER_TIMEOUT_MS / 1000}; 0 = wait forever); servers that have ACKed get it again
                         every second meanwhile, so they never time out waiting
  --profile NAME         wire format: standard (default) or seed-text (the reference implementation's)
  --dialect D            how the servers number, checksum and end segments: standard (the course's, default)
                         or tokens joined by commas (le and sum-payload with the standard profile only):
${dialectHelp('                           ')}
                         p2mpcheck server prints the value that talks to a server
  --no-offer             send no offer first: the plain course protocol to every server (by default our own
                         receivers are offered the file's name, size and SHA-256, accept it and verify it;
                         servers that do not answer within 5 timeouts get the course protocol)
  --code CODE            the servers' session code (one for the room: p2mpserver --code new prints one, start
                         every server with --code CODE): every datagram is authenticated and encrypted, and only
                         servers with that code take part; P2MP_CODE in the environment does the same
  --our-receivers        every server is P2MP-FTP Desktop's p2mpserver: allows seed-text MSS above ${SEED_TEXT_REFERENCE_MAX_MSS},
                         which the reference receiver would silently cut short
  --hosts FILE           send to the servers listed in FILE too (separated by spaces, commas or new lines;
                         ranges as above; "#" starts a comment); may be given more than once;
                         a server listed twice gets the file once
  --bind ADDR            local address to send from
  --json                 print one JSON event per line instead of text
  --quiet                print only the summary
  --help                 show this help

Discovery:
  --discover             list the receivers announcing themselves on the local network (p2mpserver --announce,
                         the app's Receive mode) and exit: 1 if none answered
  --wait S               how long --discover listens (default 2)
${DISCOVERY_HELP}

Exit codes: 0 every server has the file, 1 a server failed, 2 bad input.
Example: p2mpclient lab-pc-2 lab-pc-3 127.0.0.4:7736 7735 report.pdf 500`;

/** What reading a hosts file failed on, in words. */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
};

/** A server as listed, and where: a hosts file's line, so that a bad or unknown one can be found. */
interface Listed {
  text: string;
  where?: string;
}

/** The servers named on the command line and in --hosts files (each may be given more than once), ranges expanded. */
function listedServers(args: string[], hostsFiles: string[]): Listed[] {
  const listed: Listed[] = [];
  const add = (text: string, where?: string): void => {
    const entries = expandReceiverList(text);
    if (typeof entries === 'string') throw new InputError(where ? `${entries} (${where})` : entries);
    for (const entry of entries) listed.push({ text: entry, ...(where ? { where } : {}) });
    if (listed.length > MAX_LISTED_RECEIVERS)
      throw new InputError(`more than ${MAX_LISTED_RECEIVERS} receivers in one list`);
  };
  add(args.join('\n'));
  for (const hostsFile of hostsFiles) {
    let content: string;
    try {
      content = readFileSync(hostsFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new InputError(`cannot read hosts file "${hostsFile}": ${READ_ERRORS[code] ?? code}`);
    }
    content.split(/\r?\n/).forEach((line, i) => add(line, `${hostsFile}, line ${i + 1}`));
  }
  if (listed.length === 0)
    throw new InputError(
      hostsFiles.length === 0
        ? 'no servers given: name at least one (host, host:port, a range such as 10.0.0.10-40, or --hosts FILE)'
        : `no servers in ${hostsFiles.map((f) => `"${f}"`).join(', ')}`,
    );
  return listed;
}

/**
 * The receivers to send to, each once: a room's list often names a machine twice (a range and a hosts file that
 * overlap), which is said in one line (`twice`, printed once the rest of the input is checked) instead of refusing
 * the whole deployment. `where` gets where each was listed.
 */
function receiversOf(
  listed: Listed[],
  port: number,
  where: Map<string, string>,
): { receivers: ReceiverSpec[]; twice: string[] } {
  const specs = new Map<string, ReceiverSpec>();
  const twice: string[] = [];
  for (const { text, where: at } of listed) {
    let spec: ReceiverSpec;
    try {
      spec = parseServer(text, port);
    } catch (error) {
      throw error instanceof InputError && at ? new InputError(`${error.message} (${at})`) : error;
    }
    const key = `${spec.host}:${spec.port}`;
    if (specs.has(key)) twice.push(text);
    else specs.set(key, spec);
    if (at && !where.has(spec.host)) where.set(spec.host, at);
  }
  return { receivers: [...specs.values()], twice: [...new Set(twice)] };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    timeout: { type: 'string' },
    rto: { type: 'string' },
    protocol: { type: 'string' },
    window: { type: 'string' },
    'receiver-timeout': { type: 'string' },
    profile: { type: 'string' },
    dialect: { type: 'string' },
    bind: { type: 'string' },
    'our-receivers': { type: 'boolean' },
    'no-offer': { type: 'boolean' },
    'no-multicast': { type: 'boolean' },
    code: { type: 'string' },
    hosts: { type: 'string', multiple: true },
    discover: { type: 'boolean' },
    wait: { type: 'string' },
    ...DISCOVERY_OPTIONS,
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  // An option that does not apply is refused, not ignored: the user meant something by it.
  const given = Object.keys(values).filter((key) => values[key as keyof typeof values] !== undefined);
  if (values.discover) {
    if (positionals.length > 0) throw new InputError('--discover takes no servers, port, file or MSS');
    const listing = new Set(['discover', 'wait', 'json', 'quiet', ...Object.keys(DISCOVERY_OPTIONS)]);
    const other = given.filter((key) => !listing.has(key));
    if (other.length > 0)
      throw new InputError(
        `--discover lists the receivers and exits: ${other.map((key) => `--${key}`).join(', ')} ` +
          `${other.length > 1 ? 'do' : 'does'} not apply`,
      );
    return runDiscover(values);
  }
  const listingOnly = given.filter((key) => key === 'wait' || key in DISCOVERY_OPTIONS);
  if (listingOnly.length > 0)
    throw new InputError(
      `${listingOnly.map((key) => `--${key}`).join(', ')} ${listingOnly.length > 1 ? 'apply' : 'applies'} to ` +
        `--discover only`,
    );
  if (positionals.length < (values.hosts === undefined ? 4 : 3))
    throw new InputError(
      `expected server-1 ... server-n server-port# file-name MSS, got ${counted(positionals.length, 'argument')}; see --help`,
    );
  const [portText, file, mssText] = positionals.slice(-3) as [string, string, string];
  if (swapped(file, mssText) || swapped(file, portText))
    throw new InputError(
      `arguments out of order: p2mpclient takes server-1 ... server-n server-port# file-name MSS; did you mean ` +
        (swapped(file, portText)
          ? `... ${file} ${portText} ${mssText}?`
          : `... ${portText} ${mssText} ${file}?`),
    );
  const port = portNumber(portText, 'server port');
  // Any whole number: send() checks it against the profile's range and names it whole ("from 1 to 65499").
  const mss = wholeNumber(mssText, 'MSS');
  const profile = values.profile ?? 'standard';
  if (!isProfileName(profile)) throw new InputError(`unknown profile "${profile}" (standard or seed-text)`);
  const dialect = dialectFor(values.dialect ?? 'standard', profile);
  if (typeof dialect === 'string') throw new InputError(dialect);
  const reference = values['our-receivers'] === true ? null : referenceMssProblem(mss, profile);
  if (reference)
    throw new InputError(`${reference}, or --our-receivers if every server is P2MP-FTP Desktop's`);
  const listedAt = new Map<string, string>();
  const { receivers, twice } = receiversOf(
    listedServers(positionals.slice(0, -3), values.hosts ?? []),
    port,
    listedAt,
  );
  const timeoutMs = seconds(values.timeout, 'timeout', DEFAULT_TIMEOUT_MS, TIMEOUT_RANGE_MS.min);
  const receiverTimeoutMs = seconds(
    values['receiver-timeout'],
    'receiver timeout',
    DEFAULT_RECEIVER_TIMEOUT_MS,
  );
  const bind = values.bind === undefined ? undefined : address(values.bind, '--bind');
  const protocol = values.protocol ?? 'saw';
  if (!isProtocol(protocol))
    throw new InputError(
      `--protocol must be ${PROTOCOLS.slice(0, -1).join(', ')} or ${PROTOCOLS.at(-1)}, got "${protocol}"`,
    );
  const window =
    values.window === undefined ? DEFAULT_WINDOW : integer(values.window, '--window', 1, MAX_WINDOW);
  if (values['no-multicast'] && protocol !== 'sr')
    throw new InputError(
      '--no-multicast applies to --protocol sr only (the others send to each server by unicast)',
    );
  if (values.window !== undefined && !isWindowed(protocol))
    throw new InputError(
      '--window applies to --protocol gbn and sr only (stop-and-wait has one segment in flight)',
    );
  const rto = values.rto ?? 'fixed';
  if (!isRtoMode(rto)) throw new InputError(`--rto must be fixed or adaptive, got "${rto}"`);
  const json = values.json === true;
  const quiet = values.quiet === true;
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);

  // A progress bar only for a person watching a terminal, redrawn at most 10 times a second.
  const showProgress = process.stderr.isTTY === true && !json && !quiet;
  let lastDraw = 0;
  // Until some server answers, its timeouts are cut short (a wrong address or port), and a server silent once others
  // answered gets a line naming it (timeoutLines.ts).
  let answered = false;
  const clearBar = (): void => void (showProgress && process.stderr.write('\r\x1b[K'));
  const printCleared = (line: string): void => {
    clearBar();
    print(line);
  };
  const label = (receiver: number): string => receivers[receiver]!.label;
  // Silent for 10 T: it is not answering (timeoutLines.ts).
  const quietLimits = { quietLimitMs: 10 * timeoutMs, giveUpMs: receiverTimeoutMs };
  // Go-Back-N and Selective Repeat: a timer per server.
  const windowed = windowedTimeouts(printCleared, label, quietLimits);
  const course = courseTimeouts(printCleared, label, quietLimits);
  // Where each server is, once resolved (the offer, or the start without one): its port is asked about there.
  let endpoints: readonly ReceiverEndpoint[] = [];
  const unheard = unheardServers(
    printCleared,
    label,
    async (receiver) => {
      const to = endpoints[receiver];
      if (!to) return null;
      const closed = await portClosed({ address: to.address, family: isIPv6(to.address) ? 6 : 4 }, to.port);
      return closed
        ? { at: isIPv6(to.address) ? `[${to.address}]:${to.port}` : `${to.address}:${to.port}` }
        : null;
    },
    receiverTimeoutMs,
  );
  const waiting = new Set<number>();
  const onEvent = (event: SenderEvent): void => {
    if (json) {
      print(JSON.stringify(event));
      return;
    }
    // Timeout lines waiting to share a line go out before anything else is said (a failure, the report).
    if (event.type !== 'timeout') windowed.flush();
    if (event.type === 'offering' || event.type === 'start') endpoints = event.receivers;
    // An answer to the offer is an answer: its timeouts are printed (only silence is cut short).
    const answer =
      event.type === 'ack' ||
      (event.type === 'offer' && event.state !== 'asking' && event.state !== 'course');
    if (answer) {
      answered = true;
      unheard.heard(event.receiver);
    }
    if (event.type === 'timeout' && !quiet) unheard.timeout(event.receiver);
    // A server that says "wait" (busy with another sender's transfer, or its user is deciding) holds up the start.
    if (event.type === 'offer' && event.state === 'deciding' && !quiet && !waiting.has(event.receiver)) {
      waiting.add(event.receiver);
      print(
        `Server ${receivers[event.receiver]!.label} asks to wait (busy with another sender's transfer, or its user is ` +
          `deciding): asking again every second`,
      );
    }
    // Timeout lines carry the number on the wire (`wire`), as the servers print theirs.
    if (event.type === 'timeout' && !quiet && isWindowed(protocol)) {
      windowed.timeout(event.receiver, event.t, event.wire ?? event.seq, event.quietMs);
    } else if (event.type === 'timeout' && !quiet) {
      course({ ...event, seq: event.wire ?? event.seq }, answered);
    } else if (event.type === 'receiver-failed' && !quiet) {
      printCleared(`Server ${label(event.receiver)} failed: ${event.reason}`);
    } else if (
      event.type === 'progress' &&
      showProgress &&
      (event.t - lastDraw >= 100 || event.chunksDone === event.chunks)
    ) {
      lastDraw = event.t;
      process.stderr.write(`\r${progressBar(event.chunksDone, event.chunks, event.t)}\x1b[K`);
    }
  };

  const code = sessionCode(values.code, false);
  const abort = new AbortController();
  onStopSignal('p2mpclient', () => abort.abort());
  // A reader that went away (`--json | head`) stops it as Ctrl-C does, rather than a stack trace.
  onOutputClosed(() => abort.abort());
  // A code nobody typed on this command line (P2MP_CODE left set from an earlier session) would seal the course's
  // plain command line too, and course servers would fail 10 s later with nothing naming the variable.
  const codeFromEnv = code !== undefined && values.code === undefined;
  // Said once every host has resolved (the first event): bad input stays one line, the error alone.
  let warned = twice.length === 0 && !codeFromEnv;
  const warnOnce = (): void => {
    if (warned) return;
    warned = true;
    if (twice.length > 0)
      process.stderr.write(`p2mpclient: listed more than once, sent the file once: ${twice.join(', ')}\n`);
    if (codeFromEnv)
      process.stderr.write(
        'p2mpclient: sending with the session code in P2MP_CODE: only servers started with that code take part, ' +
          'course servers none (unset P2MP_CODE to send without a code)\n',
      );
  };
  const result = await send({
    file,
    receivers,
    mss,
    profile,
    dialect,
    timeoutMs,
    protocol,
    window,
    rto,
    receiverTimeoutMs,
    onEvent: (event) => {
      warnOnce();
      onEvent(event);
    },
    signal: abort.signal,
    ...(values['no-offer'] ? { offer: false } : {}),
    ...(values['no-multicast'] ? { multicast: false } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(bind !== undefined ? { bind } : {}),
  }).catch((error: unknown) => {
    // A host name that does not resolve: where it was listed, if in a hosts file.
    const host = error instanceof InputError ? /^unknown host "(.*)"$/.exec(error.message)?.[1] : undefined;
    const at = host === undefined ? undefined : listedAt.get(host);
    throw at === undefined ? error : new InputError(`${(error as Error).message} (${at})`);
  });
  if (showProgress) process.stderr.write('\n');
  if (!json) print(summaryTable(result));
  // "done" is every chunk ACKed; with no end marker, only a receiver that takes silence as the end keeps the file.
  if (!json && dialect.eof === 'none' && result.receivers.some((r) => r.state === 'done'))
    print(
      'No end marker sent (--dialect eof-none): a receiver keeps the file only if silence ends its transfers ' +
        '(p2mpserver --dialect eof-none, or --on-idle complete)',
    );
  if (result.cancelled && !json) {
    // Those that had the whole file when the user cancelled keep it (their rows say done).
    const kept = result.receivers.filter((r) => r.state === 'done').length;
    print(
      kept === 0
        ? 'Cancelled: the servers do not have the complete file.'
        : `Cancelled: ${kept} of ${result.receivers.length} servers have the complete file, the others do not.`,
    );
  }
  return result.ok ? EXIT_OK : EXIT_FAILED;
}

runCli('p2mpclient', main);
