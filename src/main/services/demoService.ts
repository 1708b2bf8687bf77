// The local demo: 1-8 receivers inside the app on 127.0.0.2, 127.0.0.3, ... (one port, distinct loopback
// addresses) and a sender sending one file to all of them, so the whole protocol shows on one machine.
// Received copies live in a temporary folder removed on stop. Optionally an impairment relay stands in front of
// each receiver (on 127.0.1.2, 127.0.1.3, ...) and the sender sends to the relays: a simulated network whose
// loss, delay, duplication, reordering, corruption and rate limit can be changed while the transfer runs.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  DemoNetwork,
  DemoNetworkChange,
  DemoRequest,
  DemoStarted,
  ReceiverSource,
} from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { ReceiverEvent } from '../../shared/events.js';
import { DIRECTIONS, type RelayEvent, type RelayStats } from '../../shared/impairments.js';
import { startRelay, type Relay, type RelayOptions } from '../../shared/node/relay.js';
import type { ReceiverSession } from '../../shared/node/receiver.js';
import { inspectFile } from './fileInfo.js';
import { destinationIn, type WrittenFiles } from './receivedFiles.js';
import type { StartReceiverFn } from './receiverService.js';
import { SAMPLE_NAME, writeSampleFile } from '../../shared/node/sampleFile.js';
import type { SenderService } from './senderService.js';

export type StartRelayFn = (options: RelayOptions) => Promise<Relay>;

export interface DemoServiceDeps {
  startReceiver: StartReceiverFn;
  /** The demo's own sender session (its events are tagged 'demo' by whoever built it). */
  sender: SenderService;
  receiverEvents: (source: ReceiverSource) => (e: ReceiverEvent) => void;
  written: WrittenFiles;
  /** Parent of the temporary folder; the OS temp dir by default. */
  tempRoot?: string;
  /** Starts one impairment relay; the real one by default. */
  startRelay?: StartRelayFn;
  /** Attaches a relay's counters to a demo receiver's snapshot (null detaches); returns its event callback. */
  relayEvents?: (source: ReceiverSource, stats: (() => RelayStats) | null) => (e: RelayEvent) => void;
}

/** Loopback addresses for the demo receivers: 127.0.0.2 upwards (macOS has only 127.0.0.1: see fallback). */
export function demoAddress(index: number): string {
  return `127.0.0.${index + 2}`;
}

/** Loopback addresses for the relays in front of the demo receivers: 127.0.1.2 upwards. */
export function relayAddress(index: number): string {
  return `127.0.1.${index + 2}`;
}

export class DemoService {
  private receivers: ReceiverSession[] = [];
  private relays: Relay[] = [];
  private folder: string | null = null;

  constructor(private readonly deps: DemoServiceDeps) {}

  async start(request: DemoRequest): Promise<DemoStarted> {
    await this.stop();
    const folder = await mkdtemp(join(this.deps.tempRoot ?? tmpdir(), 'p2mp-demo-'));
    this.folder = folder;
    try {
      const path = request.file ?? join(folder, SAMPLE_NAME);
      if (request.file === null) writeSampleFile(path);
      const file = await inspectFile(path);
      const endpoints = await this.startReceivers(request, folder);
      const relays = request.network ? await this.startRelays(request.network, endpoints) : null;
      await this.deps.sender.start(
        {
          file: path,
          receivers: (relays ?? endpoints).map((e) => `${e.address}:${e.port}`),
          mss: request.mss,
          timeoutMs: request.timeoutMs,
          profile: request.profile,
        },
        request.port,
      );
      return relays ? { file, receivers: endpoints, relays } : { file, receivers: endpoints };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  setLoss(index: number, p: number): void {
    const session = this.receivers[index];
    if (!session) throw new InputError(`demo receiver ${index + 1} is not running`);
    session.setLossProbability(p);
  }

  /** Applies new impairments to every relay at once; changes nothing when the demo runs without a network. */
  setNetwork(change: DemoNetworkChange): void {
    if (this.relays.length === 0)
      throw new InputError('the demo runs without a simulated network: enable it, then start the demo again');
    for (const relay of this.relays)
      for (const direction of DIRECTIONS) relay.setImpairments(direction, change[direction]);
  }

  async stop(): Promise<void> {
    await this.deps.sender.cancel();
    const sessions = this.receivers;
    const relays = this.relays;
    this.receivers = [];
    this.relays = [];
    // Closing a relay discards what it still holds; its last counters stay on screen.
    await Promise.all([...sessions.map((s) => s.stop()), ...relays.map((r) => r.close())]);
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
    this.folder = null;
  }

  private async startRelays(
    network: DemoNetwork,
    targets: { address: string; port: number }[],
  ): Promise<{ address: string; port: number; seed: number }[]> {
    const start = this.deps.startRelay ?? startRelay;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const source: ReceiverSource = `demo-${i}`;
      let relay: Relay | null = null;
      // Set once the relay exists (it reports 'listening' from inside startRelay, before that).
      let onEvent: (e: RelayEvent) => void = () => undefined;
      const options = (listenHost: string, listenPort: number): RelayOptions => ({
        listenHost,
        listenPort,
        // Upstream from the relay's own address, so the receiver sees its traffic come from the relay.
        upstreamHost: listenHost,
        targetHost: target.address,
        targetPort: target.port,
        forward: network.forward,
        backward: network.backward,
        ...(network.seed === null ? {} : { seed: (network.seed + i) >>> 0 }),
        onEvent: (e) => onEvent(e),
      });
      try {
        relay = await start(options(relayAddress(i), target.port));
      } catch (error) {
        // Where 127.0.1.x is not a local address (macOS) or the port is taken: any free port on 127.0.0.1.
        if (!/cannot listen/.test(String(error))) throw error;
        relay = await start(options('127.0.0.1', 0));
      }
      const started = relay;
      this.relays.push(started);
      onEvent = this.deps.relayEvents?.(source, () => started.stats()) ?? onEvent;
    }
    return this.relays.map((r) => ({ ...r.address, seed: r.seed }));
  }

  private async startReceivers(
    request: DemoRequest,
    folder: string,
  ): Promise<{ address: string; port: number }[]> {
    const start = async (index: number, address: string, port: number): Promise<ReceiverSession> => {
      const dir = join(folder, `receiver-${index + 1}`);
      await mkdir(dir, { recursive: true });
      this.deps.relayEvents?.(`demo-${index}`, null); // a relay of an earlier demo no longer applies
      const onEvent = this.deps.receiverEvents(`demo-${index}`);
      return this.deps.startReceiver({
        port,
        bind: address,
        destination: destinationIn(dir),
        p: request.loss[index] ?? 0,
        profile: request.profile,
        // The demo owns its sender, so a silent sender is a teacher in step mode or on pause, not a dead one.
        idleTimeoutMs: 0,
        onEvent: (e) => {
          if (e.type === 'complete') this.deps.written.add(e.file.path);
          onEvent(e);
        },
      });
    };
    // Where 127.0.0.2 is not a local address (macOS), fall back to 127.0.0.1 with one port per receiver.
    let spread = true;
    for (let i = 0; i < request.loss.length; i++) {
      let session: ReceiverSession;
      try {
        session = await start(
          i,
          spread ? demoAddress(i) : '127.0.0.1',
          spread ? request.port : request.port + i,
        );
      } catch (error) {
        if (!(i === 0 && spread && /no such local address/.test(String(error)))) throw error;
        spread = false;
        session = await start(i, '127.0.0.1', request.port);
      }
      this.receivers.push(session);
    }
    return this.receivers.map((s) => s.address);
  }
}
