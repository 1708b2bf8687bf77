// p2mprelay listen-port target-host:port [options]: a UDP relay that impairs data and ACKs on their way.
import { InputError } from '../shared/errors.js';
import {
  probabilityProblem,
  type BurstLoss,
  type Direction,
  type DirectionCounters,
  type Impairments,
  type RelayEvent,
  type RelayStats,
} from '../shared/network/impairments.js';
import { startRelay } from '../shared/node/relay.js';
import {
  EXIT_OK,
  integer,
  number,
  parse,
  portNumber,
  runCli,
  seed as seedOption,
  type Options,
} from './cli.js';
import { onOutputClosed, onStopSignal } from './stopSignals.js';

const HELP = `Usage: p2mprelay listen-port target-host:port [options]

Relays UDP datagrams between senders (clients) and one receiver (the target), impairing them on the way, so that
loss, delay, duplication, reordering, corruption and a slow link can be shown without netem. Point the sender at
the relay's address instead of the receiver's. Each sender gets its own upstream port, so the receiver's ACKs
go back to the right sender.

Every impairment exists twice: --NAME applies to data (sender -> receiver), --ack-NAME to ACKs (receiver ->
sender). Example: --loss 0.2 --ack-loss 0.2 loses 20% each way.

Impairments (per direction; defaults: none):
  --loss P, --ack-loss P              drop each datagram with probability P (0 to 1)
  --burst GB,BG[,LB[,LG]]             bursty loss (Gilbert-Elliott): move good->bad with probability GB,
  --ack-burst ...                     bad->good with BG; lose with LB in the bad state (default 1) and LG in
                                      the good state (default 0). Example: --burst 0.05,0.3
  --delay MS, --ack-delay MS          delay each datagram by MS milliseconds
  --jitter MS, --ack-jitter MS        add a uniform random -MS..+MS to the delay (can reorder by itself)
  --duplicate P, --ack-duplicate P    send a second copy with probability P (with its own jitter)
  --reorder P, --ack-reorder P        hold a datagram back with probability P until the next one of the same
                                      sender has gone (or --reorder-hold MS passed; default 50)
  --reorder-hold MS, --ack-reorder-hold MS
  --corrupt P, --ack-corrupt P        flip 1..K random bits of a datagram with probability P
  --corrupt-bits K, --ack-corrupt-bits K   K from 1 to 64 (default 1: always caught by a checksum; a course
                                           receiver's binary ACK has none, ours do in an offered transfer)
  --rate R, --ack-rate R              token bucket, R payload bytes per second (suffixes k, M, G = 1000s);
                                      datagrams wait for tokens and are dropped when the queue is full
  --rate-burst B, --ack-rate-burst B  bucket size in bytes (default max(1500, 20 ms of R))
  --rate-queue B, --ack-rate-queue B  queue limit in bytes (default max(65507, 250 ms of R))

Other options:
  --listen-host ADDR     address to listen on (default 127.0.0.1)
  --seed N               seed of every random decision, to repeat a run exactly (default: random, printed)
  --json                 print one JSON event per line (with --quiet: only the final counters, as JSON)
  --quiet                print only the final counters
  --help                 show this help

While it runs it prints its counters so far, a data line and an acks line, each second they changed (on a
terminal and in a log alike; --quiet: none; --json: an event per datagram instead). Ctrl-C (or SIGTERM)
stops the relay and prints them a last time, after "Stopped.".
Exit codes: 0 stopped normally, 1 unexpected failure, 2 bad input.
Example: p2mprelay 7736 127.0.0.1:7735 --loss 0.1 --ack-loss 0.1 --delay 30 --jitter 20 --seed 1`;

/** Per-direction options: CLI name -> how its text becomes part of Impairments. */
const IMPAIRMENT_OPTIONS: Record<string, (text: string, what: string) => Partial<Impairments>> = {
  loss: (t, w) => ({ loss: probability(t, w) }),
  burst: (t, w) => ({ burst: burst(t, w) }),
  delay: (t, w) => ({ delayMs: milliseconds(t, w) }),
  jitter: (t, w) => ({ jitterMs: milliseconds(t, w) }),
  duplicate: (t, w) => ({ duplicate: probability(t, w) }),
  reorder: (t, w) => ({ reorder: probability(t, w) }),
  'reorder-hold': (t, w) => ({ reorderHoldMs: milliseconds(t, w) }),
  corrupt: (t, w) => ({ corrupt: probability(t, w) }),
  'corrupt-bits': (t, w) => ({ corruptBits: bounded(integer(t, w), w, 1, 64) }),
  rate: (t, w) => ({ rateBps: rate(t, w) }),
  'rate-burst': (t, w) => ({ rateBurstBytes: bounded(integer(t, w), w, 1, 1 << 30) }),
  'rate-queue': (t, w) => ({ rateQueueBytes: bounded(integer(t, w), w, 1, 1 << 30) }),
};

function probability(text: string, what: string): number {
  const p = number(text, what, 0);
  const problem = probabilityProblem(p);
  if (problem) throw new InputError(`${what} ${problem}`);
  return p;
}

function bounded(value: number, what: string, min: number, max: number): number {
  if (value < min || value > max) throw new InputError(`${what} must be from ${min} to ${max}, got ${value}`);
  return value;
}

function milliseconds(text: string, what: string): number {
  return bounded(number(text, what, 0), what, 0, 60_000);
}

function rate(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)([kMG]?)$/.exec(text.trim());
  if (!match) throw new InputError(`${what} must be bytes per second like 50000, 50k or 2M, got "${text}"`);
  const scale = { '': 1, k: 1e3, M: 1e6, G: 1e9 }[match[2] as '' | 'k' | 'M' | 'G'];
  return bounded(Number(match[1]) * scale, what, 1, 1e10);
}

function burst(text: string, what: string): BurstLoss {
  const parts = text.split(',');
  if (parts.length < 2 || parts.length > 4)
    throw new InputError(`${what} must be GB,BG[,lossBad[,lossGood]], e.g. 0.05,0.3, got "${text}"`);
  const [gb, bg, lb, lg] = parts.map((p, i) =>
    probability(p, `${what} (${['GB', 'BG', 'lossBad', 'lossGood'][i]})`),
  );
  return { pGoodToBad: gb!, pBadToGood: bg!, lossInBad: lb ?? 1, lossInGood: lg ?? 0 };
}

/** "host:port" or "[v6]:port". */
export function parseTarget(text: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:\s[\]]+):(\d+)$/.exec(text);
  if (!match) throw new InputError(`target must be host:port (e.g. 127.0.0.1:7735), got "${text}"`);
  return { host: match[1]!, port: portNumber(match[2]!, 'target port') };
}

function optionConfig(): Options {
  const options: Options = {
    'listen-host': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const name of Object.keys(IMPAIRMENT_OPTIONS)) {
    options[name] = { type: 'string' };
    options[`ack-${name}`] = { type: 'string' };
  }
  return options;
}

function impairmentsFrom(values: Record<string, unknown>, direction: Direction): Partial<Impairments> {
  const prefix = direction === 'forward' ? '' : 'ack-';
  let result: Partial<Impairments> = {};
  for (const [name, convert] of Object.entries(IMPAIRMENT_OPTIONS)) {
    const text = values[`${prefix}${name}`];
    if (typeof text === 'string') result = { ...result, ...convert(text, `--${prefix}${name}`) };
  }
  return result;
}

const COUNTER_LABELS: [keyof DirectionCounters, string][] = [
  ['received', 'received'],
  ['forwarded', 'forwarded'],
  ['dropped', 'lost'],
  ['burstDropped', 'burst-lost'],
  ['duplicated', 'duplicated'],
  ['held', 'held'],
  ['reordered', 'reordered'],
  ['corrupted', 'corrupted'],
  ['corruptedForwarded', 'corrupted-sent'],
  ['delayed', 'delayed'],
  ['queued', 'rate-queued'],
  ['rateDropped', 'rate-dropped'],
  ['overflowDropped', 'overflow-dropped'],
  ['sendErrors', 'send-errors'],
  ['ignored', 'ignored'],
];

/** One line per direction: every counter, zeros included, so lines line up from run to run. */
export function describeStats(stats: RelayStats): string {
  const line = (label: string, c: DirectionCounters) =>
    `${label} ${COUNTER_LABELS.map(([key, name]) => `${name} ${c[key]}`).join(', ')}`;
  return [line('data (to target):', stats.forward), line('acks (to sender):', stats.backward)].join('\n');
}

function describeImpairments(imp: Impairments): string {
  const parts: string[] = [];
  if (imp.loss > 0) parts.push(`loss ${imp.loss}`);
  if (imp.burst) {
    const b = imp.burst;
    parts.push(`burst GB ${b.pGoodToBad} BG ${b.pBadToGood} lossBad ${b.lossInBad} lossGood ${b.lossInGood}`);
  }
  if (imp.delayMs > 0 || imp.jitterMs > 0) parts.push(`delay ${imp.delayMs} ms ± ${imp.jitterMs} ms`);
  if (imp.duplicate > 0) parts.push(`duplicate ${imp.duplicate}`);
  if (imp.reorder > 0) parts.push(`reorder ${imp.reorder} (hold ${imp.reorderHoldMs} ms)`);
  if (imp.corrupt > 0) parts.push(`corrupt ${imp.corrupt} (1..${imp.corruptBits} bits)`);
  if (imp.rateBps > 0) parts.push(`rate ${imp.rateBps} B/s`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, optionConfig());
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 2)
    throw new InputError(`expected 2 arguments (listen-port target-host:port), got ${positionals.length}`);
  const listenPort = portNumber(positionals[0]!, 'listen-port', true);
  const target = parseTarget(positionals[1]!);
  const forward = impairmentsFrom(values, 'forward');
  const backward = impairmentsFrom(values, 'backward');
  const seedText = values.seed;
  const seed = typeof seedText === 'string' ? seedOption(seedText, '--seed') : undefined;
  const json = values.json === true;
  const quiet = values.quiet === true;
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);

  // Listen for signals before printing anything: whoever reads the first line may signal at once.
  // A reader that went away (`--json | head`) stops it too, rather than a stack trace.
  const stopRequested = new Promise<void>((resolve) => {
    onStopSignal('p2mprelay', resolve);
    onOutputClosed(resolve);
  });
  const onEvent = (event: RelayEvent): void => {
    if (json && !quiet && event.type !== 'closed') print(JSON.stringify(event));
    else if (!json && !quiet && event.type === 'error') process.stderr.write(`p2mprelay: ${event.message}\n`);
  };
  const relay = await startRelay({
    listenPort,
    targetHost: target.host,
    targetPort: target.port,
    forward,
    backward,
    onEvent,
    ...(typeof values['listen-host'] === 'string' ? { listenHost: values['listen-host'] } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  if (!json && !quiet) {
    print(
      `Relaying ${relay.address.address}:${relay.address.port} -> ${target.host}:${target.port} ` +
        `(${relay.target.address}), seed ${relay.seed}`,
    );
    print(`  data: ${describeImpairments(relay.impairments('forward'))}`);
    print(`  acks: ${describeImpairments(relay.impairments('backward'))}`);
  }

  // Text mode shows the counters once a second while they change, for a class watching a transfer.
  let last = describeStats(relay.stats());
  const ticker = setInterval(() => {
    const text = describeStats(relay.stats());
    if (text !== last && !json && !quiet) print(text);
    last = text;
  }, 1000);

  await stopRequested;
  clearInterval(ticker);
  const stats = relay.stats();
  await relay.close();
  if (json) print(JSON.stringify({ type: 'stats', stats }));
  else print(`Stopped.\n${describeStats(stats)}`);
  return EXIT_OK;
}

runCli('p2mprelay', main);
