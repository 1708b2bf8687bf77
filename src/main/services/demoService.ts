// The local demo: 1-8 receivers inside the app on 127.0.0.2, 127.0.0.3, ... (one port, distinct loopback
// addresses; where the loopback has only 127.0.0.1, as on macOS, that address with a port each: see loopback.ts)
// and a sender sending one file to all of them, so the whole protocol shows on one machine.
// Received copies live in a temporary folder removed on stop. Optionally an impairment relay stands in front of
// each receiver (on 127.0.1.2, 127.0.1.3, ..., by the same policy) and the sender sends to the relays: a simulated
// network whose loss, delay, duplication, reordering, corruption and rate limit can be changed while the transfer
// runs. The relays read sequence numbers with the demo's wire profile: each datagram they lose is drawn on the
// timeline, and a teacher can pick one to lose (lose()). At a teaching pace the relays hold every datagram for
// the flight the diagram draws, on the demo's slowed clock (the sender's timers run on it too), so a packet
// drawn in flight is in flight and a click can lose it there (loseInFlight()).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FULL_PACE,
  type DemoNetwork,
  type DemoNetworkChange,
  type DemoRequest,
  type DemoStarted,
  type PaceState,
  type ReceiverSource,
} from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { ReceiverEvent } from '../../shared/events.js';
import { demoClockRate, demoFlightMs } from '../../shared/network/flights.js';
import {
  DIRECTIONS,
  type Direction,
  type RelayEvent,
  type RelayStats,
} from '../../shared/network/impairments.js';
import { loopbackPlan, type BindProbe } from '../../shared/node/loopback.js';
import { startRelay, type Relay, type RelayOptions } from '../../shared/node/relay.js';
import { sequenceReader } from '../../shared/node/wireSequence.js';
import type { ReceiverSession } from '../../shared/node/receiver.js';
import { inspectFile } from './fileInfo.js';
import { destinationIn, type WrittenFiles } from './receivedFiles.js';
import type { StartReceiverFn } from './receiverService.js';
import { SAMPLE_NAME, writeSampleFile } from '../../shared/node/sampleFile.js';
import type { SenderService } from './senderService.js';
import type { SlowClock } from '../../shared/engine/slowClock.js';

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
  /** Tells which loopback addresses are local; the real bind by default. */
  probe?: BindProbe;
  /** The clock the demo's sender (see `sender`), relays' flights and timeline run on, slowed at a teaching pace. */
  clock?: SlowClock;
}

export class DemoService {
  private receivers: ReceiverSession[] = [];
  private relays: Relay[] = [];
  private folder: string | null = null;
  private pace: PaceState = FULL_PACE;
  private timeoutMs = 0;

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
      const relays = request.network
        ? await this.startRelays(request.network, request.port, endpoints, sequenceReader(request.profile))
        : null;
      this.timeoutMs = request.timeoutMs;
      this.applyPace();
      await this.deps.sender.start(
        {
          file: path,
          receivers: (relays ?? endpoints).map((e) => `${e.address}:${e.port}`),
          mss: request.mss,
          timeoutMs: request.timeoutMs,
          profile: request.profile,
          ...(request.protocol ? { protocol: request.protocol } : {}),
          ...(request.window ? { window: request.window } : {}),
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

  /** A teacher's click: the relay of receiver `index` drops the next datagram with `seq` in that direction. */
  lose(index: number, direction: Direction, seq: number): void {
    this.relayOf(index).loseNext(direction, seq);
  }

  private relayOf(index: number): Relay {
    if (this.relays.length === 0)
      throw new InputError(
        'packets can be lost by click only through the simulated network: enable it first',
      );
    const relay = this.relays[index];
    if (!relay) throw new InputError(`demo receiver ${index + 1} is not running`);
    return relay;
  }

  /** The teaching pace: the sender's rounds, and with a network the flights and the clock they run on. */
  setPace(pace: PaceState): void {
    this.pace = pace;
    this.deps.sender.setPace(pace);
    this.applyPace();
  }

  /**
   * A teacher's click on a packet in flight: the relay of receiver `index` loses the datagram with `seq` in that
   * direction if it is still flying. Returns whether it was (false: it had arrived).
   */
  loseInFlight(index: number, direction: Direction, seq: number): boolean {
    return this.relayOf(index).loseInFlight(direction, seq);
  }

  private applyPace(): void {
    const flying = this.relays.length > 0;
    const { mode } = this.pace;
    this.deps.clock?.setRate(flying ? demoClockRate(mode, this.timeoutMs) : 1);
    const flight = flying && this.deps.clock ? demoFlightMs(mode, this.timeoutMs) : 0;
    for (const relay of this.relays) relay.setFlightMs(flight);
  }

  async stop(): Promise<void> {
    await this.deps.sender.cancel();
    const sessions = this.receivers;
    const relays = this.relays;
    this.receivers = [];
    this.relays = [];
    this.applyPace(); // no flights, and the clock at its normal rate
    // Closing a relay discards what it still holds; its last counters stay on screen.
    await Promise.all([...sessions.map((s) => s.stop()), ...relays.map((r) => r.close())]);
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
    this.folder = null;
  }

  private async startRelays(
    network: DemoNetwork,
    port: number,
    targets: { address: string; port: number }[],
    sequenceOf: RelayOptions['sequenceOf'],
  ): Promise<{ address: string; port: number; seed: number }[]> {
    const start = this.deps.startRelay ?? startRelay;
    const plan = await loopbackPlan({ count: targets.length, port, subnet: 1, probe: this.deps.probe });
    for (const [i, at] of plan.endpoints.entries()) {
      const target = targets[i]!;
      const source: ReceiverSource = `demo-${i}`;
      // Set once the relay exists (it reports 'listening' from inside startRelay, before that).
      let onEvent: (e: RelayEvent) => void = () => undefined;
      const started = await start({
        listenHost: at.address,
        listenPort: at.port,
        // Upstream from the relay's own address, so the receiver sees its traffic come from the relay.
        upstreamHost: at.address,
        targetHost: target.address,
        targetPort: target.port,
        forward: network.forward,
        backward: network.backward,
        ...(network.seed === null ? {} : { seed: (network.seed + i) >>> 0 }),
        sequenceOf,
        ...(this.deps.clock ? { flightTimers: this.deps.clock } : {}),
        onEvent: (e) => onEvent(e),
      });
      this.relays.push(started);
      onEvent = this.deps.relayEvents?.(source, () => started.stats()) ?? onEvent;
    }
    return this.relays.map((r) => ({ ...r.address, seed: r.seed }));
  }

  private async startReceivers(
    request: DemoRequest,
    folder: string,
  ): Promise<{ address: string; port: number }[]> {
    const start = async (index: number, at: { address: string; port: number }): Promise<ReceiverSession> => {
      const dir = join(folder, `receiver-${index + 1}`);
      await mkdir(dir, { recursive: true });
      this.deps.relayEvents?.(`demo-${index}`, null); // a relay of an earlier demo no longer applies
      const onEvent = this.deps.receiverEvents(`demo-${index}`);
      return this.deps.startReceiver({
        port: at.port,
        bind: at.address,
        destination: destinationIn(dir),
        p: request.loss[index] ?? 0,
        profile: request.profile,
        // The demo owns its sender, so a silent sender is a teacher in step mode or on pause, not a dead one.
        idleTimeoutMs: 0,
        // Every datagram through the relays (their losses, the teaching pace): none straight from a group.
        multicast: false,
        onEvent: (e) => {
          if (e.type === 'complete') this.deps.written.add(e.file.path);
          onEvent(e);
        },
      });
    };
    const plan = await loopbackPlan({
      count: request.loss.length,
      port: request.port,
      probe: this.deps.probe,
    });
    for (const [i, at] of plan.endpoints.entries()) this.receivers.push(await start(i, at));
    return this.receivers.map((s) => s.address);
  }
}
