// One sender session at a time. Knows nothing of windows: events go to an injected callback (the coalescer).
// start() resolves once the engine has started (bad input rejects it, so the renderer gets the message back);
// later failures are reported through onFailure. Each session gets its own pacer (teaching pace), set from the
// pace chosen last, so "step" chosen before Start holds the very first round.
import { FULL_PACE, parseReceiverAddress, type PaceState, type SendRequest } from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { SenderEvent, SendResult } from '../../shared/events.js';
import { createPacer, type Pacer } from '../../shared/engine/pacer.js';
import { dialectFor } from '../../shared/protocol/dialect.js';
import { displayName } from '../../shared/discovery/message.js';
import type { ReceiverSpec, SendOptions } from '../../shared/node/sender.js';
import type { Timers } from '../../shared/engine/timers.js';

export type SendFn = (options: SendOptions) => Promise<SendResult>;

export interface SenderServiceDeps {
  send: SendFn;
  onEvent: (e: SenderEvent) => void;
  onFailure: (message: string) => void;
  /**
   * Offer the file before the data (default true). The local demo does not: it teaches the course protocol, and
   * every datagram its diagram shows is one of that protocol; except with Selective Repeat, which its receivers
   * agree to through the offer (without it they would get Go-Back-N).
   */
  offer?: boolean;
  /** The clock the engine runs on: the system's by default, the local demo's slowed one there. */
  timers?: Timers;
  /**
   * Keep waiting receivers alive with repeats of what they have (default true). The local demo's receivers are
   * the app's own and never idle out, so there it sends none: a repeat would show as a duplicate at a receiver
   * that lost nothing, which the course protocol never sends and a class would rightly ask about.
   */
  keepalives?: boolean;
}

export class SenderService {
  private controller: AbortController | null = null;
  private finished: Promise<unknown> = Promise.resolve();
  private pace: PaceState = FULL_PACE;
  private pacer: Pacer | null = null;

  constructor(private readonly deps: SenderServiceDeps) {}

  get running(): boolean {
    return this.controller !== null;
  }

  async start(request: SendRequest, defaultPort: number): Promise<void> {
    if (this.controller) throw new InputError('a transfer is already running: cancel it first');
    const dialect = dialectFor(request.dialect ?? 'standard', request.profile);
    if (typeof dialect === 'string') throw new InputError(dialect);
    const seen = new Set<string>();
    const receivers = request.receivers.map((text, i): ReceiverSpec => {
      const parsed = parseReceiverAddress(text, defaultPort);
      if (typeof parsed === 'string') throw new InputError(parsed);
      // A receiver listed twice would get every datagram twice: no way to aim the app's traffic at one host.
      const key = `${parsed.host.toLowerCase()} ${parsed.port}`;
      if (seen.has(key))
        throw new InputError(`${parsed.label} is listed twice: it would get every packet twice`);
      seen.add(key);
      // A name the receiver announced (whatever it says, shown as text, invisible characters gone) beside its address.
      const name = displayName(request.names?.[i] ?? '');
      return { ...parsed, label: name === '' ? text.trim() : `${name} (${text.trim()})` };
    });
    const controller = new AbortController();
    this.controller = controller;
    const pacer = createPacer(this.pace.mode);
    if (this.pace.paused) pacer.pause();
    this.pacer = pacer;
    let started = false;
    let markStarted = (): void => {};
    const startedSignal = new Promise<void>((resolve) => (markStarted = resolve));
    const done = this.deps.send({
      file: request.file,
      receivers,
      mss: request.mss,
      timeoutMs: request.timeoutMs,
      profile: request.profile,
      dialect,
      ...(this.deps.offer === false && request.protocol !== 'sr' ? { offer: false } : {}),
      ...(this.deps.timers ? { timers: this.deps.timers } : {}),
      ...(this.deps.keepalives === false ? { keepaliveMs: 0 } : {}),
      ...(request.protocol ? { protocol: request.protocol } : {}),
      ...(request.window ? { window: request.window } : {}),
      ...(request.multicast !== undefined ? { multicast: request.multicast } : {}),
      ...(request.code !== undefined ? { code: request.code } : {}),
      signal: controller.signal,
      pacer,
      onEvent: (e) => {
        // Started once the offer goes out: people may take a while to accept it on their machines.
        if (e.type === 'start' || e.type === 'offering') {
          started = true;
          markStarted();
        }
        this.deps.onEvent(e);
      },
    });
    this.finished = done
      .catch((error: unknown) => {
        // Before 'start' the error goes back through start(); after it, to the live view.
        if (started) this.deps.onFailure(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        if (this.controller === controller) this.controller = null;
        if (this.pacer === pacer) this.pacer = null;
      });
    await Promise.race([startedSignal, done.then(() => undefined)]);
  }

  /** Applies to the running session at once, and to the next ones. */
  setPace(pace: PaceState): void {
    this.pace = pace;
    this.pacer?.setMode(pace.mode);
    if (pace.paused) this.pacer?.pause();
    else this.pacer?.resume();
  }

  /** In step mode: lets the waiting round go. */
  step(): void {
    this.pacer?.step();
  }

  /** Asks the engine to stop; resolves when it has. */
  async cancel(): Promise<void> {
    this.controller?.abort();
    await this.finished;
  }
}
