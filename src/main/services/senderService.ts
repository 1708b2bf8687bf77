// One sender session at a time. Knows nothing of windows: events go to an injected callback (the coalescer).
// start() resolves once the engine has started (bad input rejects it, so the renderer gets the message back);
// later failures are reported through onFailure.
import type { SendRequest } from '../../shared/contract.js';
import { parseReceiverAddress } from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { SenderEvent, SendResult } from '../../shared/events.js';
import type { ReceiverSpec, SendOptions } from '../../shared/node/sender.js';

export type SendFn = (options: SendOptions) => Promise<SendResult>;

export interface SenderServiceDeps {
  send: SendFn;
  onEvent: (e: SenderEvent) => void;
  onFailure: (message: string) => void;
}

export class SenderService {
  private controller: AbortController | null = null;
  private finished: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SenderServiceDeps) {}

  get running(): boolean {
    return this.controller !== null;
  }

  async start(request: SendRequest, defaultPort: number): Promise<void> {
    if (this.controller) throw new InputError('a transfer is already running: cancel it first');
    const receivers = request.receivers.map((text): ReceiverSpec => {
      const parsed = parseReceiverAddress(text, defaultPort);
      if (typeof parsed === 'string') throw new InputError(parsed);
      return { ...parsed, label: text.trim() };
    });
    const controller = new AbortController();
    this.controller = controller;
    let started = false;
    let markStarted = (): void => {};
    const startedSignal = new Promise<void>((resolve) => (markStarted = resolve));
    const done = this.deps.send({
      file: request.file,
      receivers,
      mss: request.mss,
      timeoutMs: request.timeoutMs,
      profile: request.profile,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'start') {
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
      });
    await Promise.race([startedSignal, done.then(() => undefined)]);
  }

  /** Asks the engine to stop; resolves when it has. */
  async cancel(): Promise<void> {
    this.controller?.abort();
    await this.finished;
  }
}
