// "Check an implementation": p2mpcheck in the app, one check at a time. A receiver at an address the user typed
// (loopback or LAN only, checked again here), or a sender that the user starts against receivers this service
// plays on loopback. The checkers and sockets are the CLI's own (src/shared/check, src/shared/node/checkTransport).
import { isIP } from 'node:net';
import { basename } from 'node:path';
import { checkReceiver } from '../../shared/check/checker.js';
import { checkSender } from '../../shared/check/clientChecker.js';
import { MAX_EVIDENCE, probeEvidence, type Datagram } from '../../shared/check/evidence.js';
import { CLIENT_CHECK_DEFAULTS, RECEIVER_CHECK_DEFAULTS } from '../../shared/check/options.js';
import {
  checkHostProblem,
  type CheckOutcome,
  type CheckRequest,
  type CheckStarted,
} from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import { receiverFileContent, sentFile } from '../../shared/node/checkFiles.js';
import { probeTransport, receiversTransport, type Closable } from '../../shared/node/checkTransport.js';

interface Running {
  transport: Closable;
  outcome: Promise<CheckOutcome>;
  done: boolean;
}

export class CheckService {
  private running: Running | null = null;

  async start(request: CheckRequest): Promise<CheckStarted> {
    if (this.running && !this.running.done) throw new InputError('a check is running: cancel it first');
    if (request.kind === 'receiver') return this.checkReceiver(request.host, request.port, request.file);
    // Read before any socket opens: a file that cannot be read is said at once.
    const file =
      request.file === undefined ? undefined : sentFile(request.file, `"${basename(request.file)}"`);
    const transport = await receiversTransport(request.receivers, request.port);
    const outcome = checkSender(transport, {
      ...CLIENT_CHECK_DEFAULTS,
      receivers: transport.names,
      port: transport.port,
      ...(file ? { file } : {}),
    }).then((report): CheckOutcome => ({ kind: 'sender', report }));
    this.track(transport, outcome);
    const { waitMs, quietMs } = CLIENT_CHECK_DEFAULTS;
    return { kind: 'sender', addresses: transport.names, port: transport.port, waitMs, quietMs };
  }

  private async checkReceiver(host: string, port: number, file?: string): Promise<CheckStarted> {
    // The schema allowed only addresses; node agrees, so nothing is looked up by name.
    const problem = checkHostProblem(host) ?? (isIP(host) === 0 ? `"${host}" is not an IP address` : null);
    if (problem) throw new InputError(problem);
    const start = performance.now();
    const datagrams: Datagram[] = [];
    const transport = await probeTransport(host, port, (dir, bytes) => {
      if (datagrams.length < MAX_EVIDENCE) datagrams.push({ t: performance.now() - start, dir, bytes });
    });
    const target = isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    const outcome = checkReceiver(target, transport, {
      ...RECEIVER_CHECK_DEFAULTS,
      ...(file === undefined ? {} : { file: { path: file, read: () => receiverFileContent(file) } }),
    }).then((report): CheckOutcome => ({
      kind: 'receiver',
      report,
      evidence: probeEvidence(report.dialect, datagrams),
    }));
    this.track(transport, outcome);
    return { kind: 'receiver', addresses: [host], port };
  }

  private track(transport: Closable, outcome: Promise<CheckOutcome>): void {
    const running: Running = { transport, outcome, done: false };
    this.running = running;
    // Settled either way; the sockets close when it ends, and at once on cancel.
    void outcome
      .catch(() => undefined)
      .finally(() => {
        running.done = true;
        transport.close();
      });
  }

  /** The report of the check started last; rejects when it was cancelled or could not run. */
  async result(): Promise<CheckOutcome> {
    if (!this.running) throw new InputError('no check has been started');
    return this.running.outcome;
  }

  async cancel(): Promise<void> {
    this.running?.transport.close();
    await this.running?.outcome.catch(() => undefined);
  }
}
