// p2mpcheck server HOST PORT [options]: probe a running P2MP-FTP receiver (ours or anyone's) rule by rule.
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { statSync } from 'node:fs';
import { checkReceiver, type Transport } from '../shared/check/checker.js';
import { dialectOption, judgeWritten, passes, RULES, renderReport } from '../shared/check/rules.js';
import { InputError } from '../shared/errors.js';
import { portProblem } from '../shared/limits.js';
import { EXIT_FAILED, EXIT_OK, integer, parse, runCli, seconds } from './cli.js';

const HELP = `Usage: p2mpcheck server HOST PORT [options]

Probes the P2MP-FTP receiver listening on HOST:PORT with crafted segments and reports, rule by rule, what it
does: pass, differs (a convention the course leaves open, and how) or fails (a course rule broken). It finds
the dialect the receiver speaks (binary in either byte order or seed-text, checksum coverage, sequence base
and unit, ACK meaning), checks in-order, duplicate, out-of-order and corrupted segments, malformed and
oversized datagrams, estimates its simulated loss p, and last tries end-of-file signals (which may end the
receiver, and complete its dialect). Start the receiver for one transfer; its output file holds the probe data afterwards. The report
ends with the options that make p2mpclient speak the receiver's dialect (Talk to it with: --dialect ...).

Options:
  --timeout S        wait for each reply (default 0.3)
  --tries N          sends of a probe before "no answer", as the receiver drops packets (default 5)
  --loss-probes N    duplicates sent once each to estimate p (default 100; 0 = no estimate)
  --eof-wait S       silence after an end-of-file candidate before asking if it is still there (default 2)
  --file PATH        the receiver's output file, when this machine can read it: checks that a duplicate is
                     written once (the file holds exactly the data ACKed in order)
  --json             print the report as JSON
  --help             show this help

Exit codes: 0 every course rule passes, 1 a rule fails (or the check could not run), 2 bad input.
Example: p2mpcheck server 127.0.0.1 7735`;

/** A UDP socket as the checker's Transport: replies are taken from the receiver's host, whatever its port. */
function udpTransport(socket: Socket, host: string, port: number): Transport {
  let queued: Buffer[] = [];
  let waiter: ((reply: Buffer) => void) | undefined;
  socket.on('message', (data, from) => {
    if (from.address !== host) return;
    if (waiter) waiter(data);
    else queued.push(data);
  });
  return {
    exchange: (datagram, timeoutMs) =>
      new Promise((resolve, reject) => {
        queued = [];
        const timer = setTimeout(() => {
          waiter = undefined;
          resolve(null);
        }, timeoutMs);
        waiter = (reply) => {
          clearTimeout(timer);
          waiter = undefined;
          resolve(reply);
        };
        socket.send(datagram, port, host, (error) => {
          if (!error) return;
          clearTimeout(timer);
          waiter = undefined;
          reject(error);
        });
      }),
  };
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    timeout: { type: 'string' },
    tries: { type: 'string' },
    'loss-probes': { type: 'string' },
    'eof-wait': { type: 'string' },
    file: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  const [mode, host, portText] = positionals;
  if (mode !== 'server')
    throw new InputError(`expected "server HOST PORT", got "${positionals.join(' ')}"; see --help`);
  if (positionals.length !== 3)
    throw new InputError(`expected 3 arguments (server HOST PORT), got ${positionals.length}; see --help`);
  const port = integer(portText!, 'port', 1);
  const portIssue = portProblem(port);
  if (portIssue) throw new InputError(portIssue);
  const options = {
    timeoutMs: seconds(values.timeout, 'timeout', 300, 1),
    tries: integer(values.tries ?? '5', '--tries', 1, 100),
    lossProbes: integer(values['loss-probes'] ?? '100', '--loss-probes', 0, 100_000),
    eofWaitMs: seconds(values['eof-wait'], 'eof wait', 2000),
  };
  const address = await lookup(host!).catch(() => {
    throw new InputError(`unknown host "${host}"`);
  });
  const socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
  socket.on('error', () => undefined); // send errors reach the send callback; nothing else is expected
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  try {
    const probed = await checkReceiver(
      `${host}:${port}`,
      udpTransport(socket, address.address, port),
      options,
    );
    const file = values.file;
    const report = file === undefined ? probed : judgeWritten(probed, file, sizeOf(file));
    process.stdout.write(
      values.json
        ? `${JSON.stringify({
            ...report,
            verdicts: report.verdicts.map((v) => ({ ...v, ...RULES[v.id] })),
            passes: passes(report),
            ...(report.dialect ? { dialectOption: dialectOption(report.dialect) } : {}),
          })}\n`
        : `${renderReport(report)}\n`,
    );
    return passes(report) ? EXIT_OK : EXIT_FAILED;
  } finally {
    socket.close();
  }
}

runCli('p2mpcheck', main);
