// One listening receiver at a time, writing only into the folder the user chose in the native dialog.
import { stat } from 'node:fs/promises';
import type { Listening, ReceiveRequest } from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { ReceiverEvent } from '../../shared/events.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { displayName } from '../../shared/discovery/message.js';
import {
  announceReceiver,
  type DiscoveryOptions,
  type ReceiverAnnouncer,
} from '../../shared/node/discovery.js';
import {
  SENDER_STOPPED,
  type OfferRequest,
  type ReceiveOptions,
  type ReceiverSession,
} from '../../shared/node/receiver.js';
import { dialectFor } from '../../shared/protocol/dialect.js';
import { randomSeed } from '../../shared/network/random.js';
import { formatCode, newSessionCode } from '../../shared/session/code.js';
import { destinationIn, type WrittenFiles } from './receivedFiles.js';
import type { ReceivedHistory } from './receivedHistory.js';

export type StartReceiverFn = (options: ReceiveOptions) => Promise<ReceiverSession>;

export interface ReceiverServiceDeps {
  startReceiver: StartReceiverFn;
  onEvent: (e: ReceiverEvent) => void;
  /** The save folder from settings; null until the user picked one. */
  saveFolder: () => Promise<string | null>;
  written: WrittenFiles;
  /** Every completed file is recorded here too (kept across runs). */
  history: ReceivedHistory;
  /** Where it announces itself when asked to (every interface in the app; loopback in tests). */
  discovery: DiscoveryOptions;
}

export class ReceiverService {
  private session: ReceiverSession | null = null;
  /** Offers waiting for the user, by the app's id: each resolves with the answer. */
  private pending = new Map<string, (accept: boolean) => void>();
  /** The engine time of the newest event: offers are put on the same clock. */
  private lastT = 0;

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
    // The room's code when one was typed in (one code for every receiver of a transfer); otherwise a new one each
    // time it listens, so a code read out to one class does not open the next session.
    const code = request.requireCode
      ? request.code !== undefined
        ? formatCode(request.code)
        : newSessionCode()
      : null;
    let announcer: ReceiverAnnouncer | undefined;
    const session = await this.deps.startReceiver({
      port: request.port,
      bind: request.bind,
      destination: destinationIn(folder),
      folder,
      p: request.p,
      seed,
      profile: request.profile,
      dialect,
      keepListening: true,
      ...(code !== null ? { code } : {}),
      ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
      ...(request.autoAccept
        ? {}
        : { decide: (offer: OfferRequest, withdrawn: AbortSignal) => this.ask(offer, withdrawn) }),
      onEvent: (e) => {
        this.lastT = e.t;
        announcer?.follow(e);
        if (e.type === 'complete') {
          this.deps.written.add(e.file.path);
          void this.deps.history.add(e.file);
        }
        this.deps.onEvent(e);
      },
    });
    const name = displayName(request.name ?? hostname()) || 'P2MP-FTP receiver';
    if (request.announce) {
      const what = {
        name,
        port: session.address.port,
        profile: request.profile,
        code: code !== null,
        // Where it listens, as an address: the bind address may be a host name, which no sender takes for one.
        bind: session.address.address,
      };
      announcer = await announceReceiver(what, this.deps.discovery).catch(async (error: unknown) => {
        await session.stop();
        throw error;
      });
    }
    this.session = session;
    // The session ends by stop() or on a fatal socket error; either way it is no longer ours.
    void session.done
      .catch(() => undefined)
      .finally(() => {
        announcer?.stop();
        if (this.session === session) this.session = null;
      });
    return { ...session.address, seed, announcedAs: announcer ? name : null, code };
  }

  /**
   * Asks the user (the renderer shows the offer) and resolves with the answer; a question the receiver withdraws
   * is taken down (declined), so the prompts on screen are never more than the receiver's open offers.
   */
  private ask(offer: OfferRequest, withdrawn: AbortSignal): Promise<boolean> {
    if (withdrawn.aborted) return Promise.resolve(false);
    const id = randomBytes(8).toString('hex');
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      // Said to the user only when its sender stopped asking; the receiver forgetting it (a newer offer from that
      // host, too many questions) just takes it down.
      withdrawn.addEventListener(
        'abort',
        () => this.pending.has(id) && this.settle(id, false, withdrawn.reason === SENDER_STOPPED),
        { once: true },
      );
      this.deps.onEvent({ type: 'offer', t: this.lastT, offer: { id, ...offer } });
    });
  }

  /** The user's answer to an offer; one already answered (or from a stopped session) is refused. */
  answer(id: string, accept: boolean): void {
    this.settle(id, accept, false);
  }

  /** Settles a question: the user's answer, or withdrawn by the receiver (its sender stopped asking). */
  private settle(id: string, accept: boolean, withdrawn: boolean): void {
    const resolve = this.pending.get(id);
    if (!resolve) throw new InputError('that offer is no longer waiting for an answer');
    this.pending.delete(id);
    resolve(accept);
    this.deps.onEvent({
      type: 'offer-settled',
      t: this.lastT,
      id,
      accepted: accept,
      ...(withdrawn ? { withdrawn: true as const } : {}),
    });
  }

  setLoss(p: number): void {
    this.session?.setLossProbability(p);
  }

  async stop(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.answer(id, false);
    const session = this.session;
    this.session = null;
    await session?.stop();
  }
}
