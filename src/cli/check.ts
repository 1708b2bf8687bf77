// p2mpcheck server HOST PORT: probe a running P2MP-FTP receiver (ours or anyone's) rule by rule.
// p2mpcheck client --port PORT: play N receivers for someone else's sender and judge it the same way.
import { checkReceiver } from '../shared/check/checker.js';
import type { Dialect } from '../shared/check/dialect.js';
import { checkSender } from '../shared/check/clientChecker.js';
import { CLIENT_CHECK_DEFAULTS, RECEIVER_CHECK_DEFAULTS } from '../shared/check/options.js';
import {
  dialectOption,
  NOTHING_LISTENING,
  passes,
  renderClientReport,
  renderReport,
  ruleOf,
  type Status,
} from '../shared/check/rules.js';
import { InputError } from '../shared/errors.js';
import { MAX_MSS } from '../shared/limits.js';
import { MAX_LOOPBACK_PEERS } from '../shared/node/loopback.js';
import { receiverFileContent, sentFile } from '../shared/node/checkFiles.js';
import { probeTransport, receiversTransport } from '../shared/node/checkTransport.js';
import { EXIT_FAILED, EXIT_OK, integer, parse, portNumber, runCli, seconds } from './cli.js';
import { onStopSignal } from './stopSignals.js';

const HELP = `Usage: p2mpcheck server HOST PORT [options]
       p2mpcheck client --port PORT [options]

Probes the P2MP-FTP receiver listening on HOST:PORT with crafted segments and reports, rule by rule, what it
does: pass, differs (a convention the course leaves open, and how) or fails (a course rule broken). It finds
the dialect the receiver speaks (binary in either byte order or seed-text, checksum coverage, sequence base
and unit, ACK meaning), checks in-order, duplicate, out-of-order and corrupted segments, malformed and
oversized datagrams, estimates its simulated loss p, and last tries end-of-file signals (which may end the
receiver, and complete its dialect). Start the receiver for one transfer; its output file holds the probe data afterwards. The report
ends with the options that make p2mpclient speak the receiver's dialect (Talk to it with: --dialect ...).

Options:
  --timeout S        wait for each reply (default 0.3); a receiver found slower is waited for longer, its late
                     ACKs matched to the probes they answer, and the report says how slow it is
  --tries N          sends of a probe before "no answer", as the receiver drops packets (default 5)
  --loss-probes N    duplicates sent once each to estimate p (default 100; 0 = no estimate)
  --eof-wait S       silence after an end-of-file candidate before asking if it is still there (default 2)
  --file PATH        the receiver's output file, when this machine can read it: read as the check goes, it
                     tells a duplicate or a segment sent ahead of time written to it, and at the end that it
                     holds exactly the data ACKed in order
  --json             print the report as JSON ({"checked": false, ...} where none could be made)
  --help             show this help

p2mpcheck client plays N receivers on this machine (127.0.0.2, 127.0.0.3, ... all on PORT) for a sender
you then start against them: it finds the dialect the sender speaks (format, byte order, checksum coverage,
sequence base and unit, ACK meaning, end of file), withholds ACKs and answers with garbage on purpose, and
reports: retransmits on timeout (the timeout measured), only to receivers without an ACK, waits for every ACK
before the next segment, survives garbage, full segments but the last, the file byte-identical. The report
ends with the --dialect of our receiver that talks to this sender.

Client options:
  --port PORT          the port the receivers listen on (required)
  --receivers N        how many receivers, on loopback (default 3, at most ${MAX_LOOPBACK_PEERS})
  --wait S             wait for the sender's first datagram (default 60)
  --file PATH          the file the sender sends: every receiver must end with exactly its bytes
  --mss N              the MSS the sender was given: every segment but the last must carry N bytes
                       (without it, the size of the first segment is taken for the MSS, and printed)
  --retransmit-wait S  while an ACK is withheld, the longest wait for a retransmission (default 2)
  --quiet S            silence that means the sender has finished (default 3)
  --withhold N         retransmissions awaited while an ACK is withheld (default 3)
  --json               print the report as JSON ({"checked": false, ...} where none could be made)

Exit codes: 0 every course rule passes, 1 a rule fails (or the check could not run), 2 bad input.
Examples: p2mpcheck server 127.0.0.1 7735
          p2mpcheck client --port 7735 --file big.bin`;

const SERVER_ONLY = ['timeout', 'tries', 'loss-probes', 'eof-wait'] as const;
const CLIENT_ONLY = ['port', 'receivers', 'wait', 'retransmit-wait', 'quiet', 'withhold', 'mss'] as const;

/**
 * A check that could not run (nothing listening, no sender heard): one line on stderr, and with --json an object
 * on stdout saying so, so that a script tells it from a rule that fails (both exit 1).
 */
function notChecked(json: boolean | undefined, why: string): number {
  process.stderr.write(`p2mpcheck: ${why}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ checked: false, passes: false, why })}\n`);
  return EXIT_FAILED;
}

/** Prints the report, with each rule's title and course text in JSON; the exit code says whether it passes. */
function print<
  R extends { dialect?: Dialect; verdicts: { id: Parameters<typeof ruleOf>[0]; status: Status }[] },
>(report: R, json: boolean | undefined, render: (report: R) => string): number {
  const ok = passes(report);
  process.stdout.write(
    json
      ? `${JSON.stringify({
          ...report,
          verdicts: report.verdicts.map((v) => ({ ...v, ...ruleOf(v.id) })),
          passes: ok,
          ...(report.dialect ? { dialectOption: dialectOption(report.dialect) } : {}),
        })}\n`
      : `${render(report)}\n`,
  );
  return ok ? EXIT_OK : EXIT_FAILED;
}

type Values = Record<string, string | boolean | undefined>;

/** Options of the other mode are refused rather than silently ignored. */
function refuse(values: Values, names: readonly string[], mode: string): void {
  const wrong = names.find((name) => values[name] !== undefined);
  if (wrong) throw new InputError(`--${wrong} is not an option of p2mpcheck ${mode}; see --help`);
}

async function server(positionals: string[], values: Values): Promise<number> {
  refuse(values, CLIENT_ONLY, 'server');
  const [, host, portText] = positionals;
  if (positionals.length !== 3)
    throw new InputError(`expected 3 arguments (server HOST PORT), got ${positionals.length}; see --help`);
  const port = portNumber(portText!, 'port');
  const options = {
    timeoutMs: seconds(
      values.timeout as string | undefined,
      '--timeout',
      RECEIVER_CHECK_DEFAULTS.timeoutMs,
      1,
    ),
    tries: integer(
      (values.tries as string | undefined) ?? String(RECEIVER_CHECK_DEFAULTS.tries),
      '--tries',
      1,
      100,
    ),
    lossProbes: integer(
      (values['loss-probes'] as string | undefined) ?? String(RECEIVER_CHECK_DEFAULTS.lossProbes),
      '--loss-probes',
      0,
      100_000,
    ),
    eofWaitMs: seconds(
      values['eof-wait'] as string | undefined,
      '--eof-wait',
      RECEIVER_CHECK_DEFAULTS.eofWaitMs,
    ),
  };
  const file = values.file as string | undefined;
  const transport = await probeTransport(host!, port);
  try {
    const report = await checkReceiver(`${host}:${port}`, transport, {
      ...options,
      ...(file === undefined ? {} : { file: { path: file, read: () => receiverFileContent(file) } }),
    });
    // Nothing to report rule by rule: one line, as for a sender never heard.
    if (report.closed)
      return notChecked(values.json as boolean | undefined, `${host}:${port}: ${NOTHING_LISTENING}`);
    return print(report, values.json as boolean | undefined, renderReport);
  } finally {
    transport.close();
  }
}

async function client(positionals: string[], values: Values): Promise<number> {
  refuse(values, SERVER_ONLY, 'client');
  if (positionals.length !== 1)
    throw new InputError(
      `p2mpcheck client takes options only (--port PORT), not "${positionals.slice(1).join(' ')}"; see --help`,
    );
  const portText = values.port as string | undefined;
  if (portText === undefined) throw new InputError('p2mpcheck client needs --port PORT; see --help');
  const port = portNumber(portText, 'port');
  const count = integer(
    (values.receivers as string | undefined) ?? '3',
    '--receivers',
    1,
    MAX_LOOPBACK_PEERS,
  );
  const options = {
    waitMs: seconds(values.wait as string | undefined, '--wait', CLIENT_CHECK_DEFAULTS.waitMs, 1),
    retransmitWaitMs: seconds(
      values['retransmit-wait'] as string | undefined,
      '--retransmit-wait',
      CLIENT_CHECK_DEFAULTS.retransmitWaitMs,
      1,
    ),
    quietMs: seconds(values.quiet as string | undefined, '--quiet', CLIENT_CHECK_DEFAULTS.quietMs, 1),
    withhold: integer(
      (values.withhold as string | undefined) ?? String(CLIENT_CHECK_DEFAULTS.withhold),
      '--withhold',
      1,
      100,
    ),
  };
  const file =
    values.file === undefined
      ? undefined
      : sentFile(values.file as string, `--file "${values.file as string}"`);
  const mss =
    values.mss === undefined ? undefined : integer(values.mss as string, '--mss', 1, MAX_MSS.standard);
  const transport = await receiversTransport(count, port);
  try {
    const where = transport.port ? `${transport.names.join(' ')} port ${port}` : transport.names.join(' ');
    // On stderr, so that stdout holds the report alone (--json).
    process.stderr.write(`Start your sender now: ${where}\n`);
    const report = await checkSender(transport, {
      ...options,
      receivers: transport.names,
      port: transport.port,
      ...(file ? { file } : {}),
      ...(mss ? { mss } : {}),
    });
    if (report.silent)
      return notChecked(
        values.json as boolean | undefined,
        `no sender was heard within ${options.waitMs / 1000} s on ${where}`,
      );
    return print(report, values.json as boolean | undefined, renderClientReport);
  } finally {
    transport.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    timeout: { type: 'string' },
    tries: { type: 'string' },
    'loss-probes': { type: 'string' },
    'eof-wait': { type: 'string' },
    file: { type: 'string' },
    port: { type: 'string' },
    receivers: { type: 'string' },
    wait: { type: 'string' },
    'retransmit-wait': { type: 'string' },
    quiet: { type: 'string' },
    withhold: { type: 'string' },
    mss: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const mode = positionals[0];
  if (mode === 'server') return server(positionals, values);
  if (mode === 'client') return client(positionals, values);
  // Run bare: what to type, not an empty "got" to puzzle over.
  if (mode === undefined)
    throw new InputError(
      'say what to check: p2mpcheck server HOST PORT (a receiver) or p2mpcheck client --port PORT (a sender); see --help',
    );
  throw new InputError(
    `expected "server HOST PORT" or "client --port PORT", got "${positionals.join(' ')}"; see --help`,
  );
}

// Ctrl-C before the checks end: said, rather than the silent exit a default handler gives; the checks done so far
// are no verdict (each rule is judged on all of its probes).
onStopSignal('p2mpcheck', () => {
  process.stderr.write('p2mpcheck: stopped before its checks ended: no verdict\n');
  process.exit(EXIT_FAILED);
});
runCli('p2mpcheck', main);
