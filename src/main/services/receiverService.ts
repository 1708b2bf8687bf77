// One listening receiver at a time, writing only into the folder the user chose in the native dialog.
import { stat } from 'node:fs/promises';
import type { Listening, ReceiveRequest } from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { ReceiverEvent } from '../../shared/events.js';
import type { ReceiveOptions, ReceiverSession } from '../../shared/node/receiver.js';
import { dialectFor } from '../../shared/protocol/dialect.js';
import { randomSeed } from '../../shared/random.js';
import { destinationIn, type WrittenFiles } from './receivedFiles.js';

export type StartReceiverFn = (options: ReceiveOptions) => Promise<ReceiverSession>;

export interface ReceiverServiceDeps {
  startReceiver: StartReceiverFn;
  onEvent: (e: ReceiverEvent) => void;
  /** The save folder from settings; null until the user picked one. */
  saveFolder: () => Promise<string | null>;
  written: WrittenFiles;
}

export class ReceiverService {
  private session: ReceiverSession | null = null;

  constructor(private readonly deps: ReceiverServiceDeps) {}

  async start(request: ReceiveRequest): Promise<Listening> {
    if (this.session) throw new InputError('already listening: stop first');
    const dialect = dialectFor(request.dialect ?? 'standard', request.profile);
    if (typeof dialect === 'string') throw new InputError(dialect);
    const folder = await this.deps.saveFolder();
    if (!folder) throw new InputError('choose a save folder first');
    const info = await stat(folder).catch(() => null);
    if (!info?.isDirectory()) throw new InputError(`save folder ${folder} does not exist`);
    const seed = request.seed ?? randomSeed();
    const session = await this.deps.startReceiver({
      port: request.port,
      bind: request.bind,
      destination: destinationIn(folder),
      p: request.p,
      seed,
      profile: request.profile,
      dialect,
      keepListening: true,
      onEvent: (e) => {
        if (e.type === 'complete') this.deps.written.add(e.file.path);
        this.deps.onEvent(e);
      },
    });
    this.session = session;
    // The session ends by stop() or on a fatal socket error; either way it is no longer ours.
    void session.done
      .catch(() => undefined)
      .finally(() => {
        if (this.session === session) this.session = null;
      });
    return { ...session.address, seed };
  }

  setLoss(p: number): void {
    this.session?.setLossProbability(p);
  }

  async stop(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.stop();
  }
}
