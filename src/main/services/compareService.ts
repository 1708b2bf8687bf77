// Compare: one file sent with every protocol at once (PROTOCOLS: stop-and-wait, Go-Back-N, ...), one lane each,
// so a class sees them side by side. Each lane is the local demo's setup of its own: receivers inside the app on
// 127.0.x.2, 127.0.x.3, ... and an impairment relay in front of each, and the real sender. The relays lose
// datagrams by one seeded pattern (network/lossPattern.ts): the k-th copy of segment s to receiver r is lost in
// every lane or in none, so the lanes differ by their protocol only. All lanes run on one clock, slowed at a
// teaching pace with flights held by the relays, as in the local demo. When a lane ends, main hashes every
// receiver's file and compares it with the original. Knows nothing of windows: batches go to `onChange`'s taker.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMPARE_MAX_FILE,
  FULL_PACE,
  type CompareBatch,
  type CompareRequest,
  type CompareResult,
  type CompareStarted,
  type FileInfo,
  type PaceState,
} from '../../shared/contract.js';
import { SenderAggregator } from '../../shared/live/senderView.js';
import { InputError } from '../../shared/errors.js';
import type { ReceiverEvent, SendResult, SenderEvent } from '../../shared/events.js';
import { demoClockRate, demoFlightMs } from '../../shared/network/flights.js';
import type { RelayEvent } from '../../shared/network/impairments.js';
import { PROTOCOLS, type Protocol } from '../../shared/limits.js';
import { loopbackPlan, type BindProbe } from '../../shared/node/loopback.js';
import type { ReceiverSession } from '../../shared/node/receiver.js';
import { startRelay, type Relay } from '../../shared/node/relay.js';
import { SAMPLE_NAME, writeSampleFile } from '../../shared/node/sampleFile.js';
import { sequenceReader } from '../../shared/node/wireSequence.js';
import { createPacer, type Pacer } from '../../shared/engine/pacer.js';
import { patternFor, type LossPattern } from '../../shared/network/lossPattern.js';
import type { SlowClock } from '../../shared/engine/slowClock.js';
import { TimelineKind } from '../../shared/live/timeline.js';
import type { StartRelayFn } from './demoService.js';
import { inspectFile } from './fileInfo.js';
import { destinationIn } from './receivedFiles.js';
import type { StartReceiverFn } from './receiverService.js';
import type { SendFn } from './senderService.js';

export interface CompareServiceDeps {
  send: SendFn;
  startReceiver: StartReceiverFn;
  /** The relays; the real one by default. */
  startRelay?: StartRelayFn;
  /** The clock every lane runs on (senders, relays' flights), slowed at a teaching pace. */
  clock: SlowClock;
  /** Something changed: a batch is due (see take()). */
  onChange: () => void;
  tempRoot?: string;
  probe?: BindProbe;
  /** How long a receiver may take to finish writing its file after its sender ended (wall ms). */
  settleMs?: number;
}

/** Windowed protocols use the window; stop-and-wait has none. */
const windowOf = (protocol: Protocol, window: number): number | null => (protocol === 'saw' ? null : window);

/** Receivers and relays of lane i live on 127.0.(LANE_SUBNET + 2i).x and 127.0.(LANE_SUBNET + 2i + 1).x. */
const LANE_SUBNET = 10;

interface Lane {
  protocol: Protocol;
  window: number | null;
  aggregator: SenderAggregator;
  pacer: Pacer;
  receivers: ReceiverSession[];
  relays: Relay[];
  /** Per receiver: the path of its complete file, once written; null while none. */
  files: (string | null)[];
  /** Resolved when receiver i has finished (a file, or a failure). */
  settled: Promise<void>[];
  result: CompareResult | null;
  error: string | null;
}

export class CompareService {
  private lanes: Lane[] = [];
  private controller: AbortController | null = null;
  private folder: string | null = null;
  private pace: PaceState = FULL_PACE;
  private timeoutMs = 0;
  private fresh = false;
  private running = 0;
  /** Resolved when every lane of the current comparison has ended. */
  private finished: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: CompareServiceDeps) {}

  async start(request: CompareRequest): Promise<CompareStarted> {
    await this.stop();
    const folder = await mkdtemp(join(this.deps.tempRoot ?? tmpdir(), 'p2mp-compare-'));
    this.folder = folder;
    const controller = new AbortController();
    this.controller = controller;
    try {
      const path = request.file ?? join(folder, SAMPLE_NAME);
      if (request.file === null) writeSampleFile(path);
      const file = await inspectFile(path);
      if (file.size > COMPARE_MAX_FILE)
        throw new InputError(`a comparison sends files up to 64 MiB; ${file.name} has ${file.size} bytes`);
      const pattern: LossPattern = { seed: request.seed, p: request.loss };
      this.timeoutMs = request.timeoutMs;
      this.fresh = true;
      this.lanes = [];
      for (const [i, protocol] of PROTOCOLS.entries())
        this.lanes.push(await this.openLane(i, protocol, request, pattern, folder));
      this.applyPace();
      this.running = this.lanes.length;
      // Once every lane has ended and been measured, nothing is left running or on disk.
      this.finished = Promise.allSettled(
        this.lanes.map((lane) => this.runLane(lane, request, file, controller.signal)),
      ).then(() => this.release());
      this.deps.onChange();
      return {
        file,
        seed: request.seed,
        lanes: this.lanes.map(({ protocol, window }) => ({ protocol, window })),
      };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** The teaching pace of every lane: their rounds, flights and clock. */
  setPace(pace: PaceState): void {
    this.pace = pace;
    for (const lane of this.lanes) {
      lane.pacer.setMode(pace.mode);
      if (pace.paused) lane.pacer.pause();
      else lane.pacer.resume();
    }
    this.applyPace();
  }

  /** Step mode: every lane sends its next round. */
  step(): void {
    for (const lane of this.lanes) lane.pacer.step();
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.finished;
    await this.release();
  }

  /** What changed since the last call, for the coalescer's batch. */
  take(): CompareBatch {
    const batch: CompareBatch = {
      fresh: this.fresh,
      running: this.running > 0,
      lanes: this.lanes.map((lane) => ({
        protocol: lane.protocol,
        window: lane.window,
        sender: lane.aggregator.take(),
        result: lane.result,
        error: lane.error,
      })),
    };
    this.fresh = false;
    return batch;
  }

  private applyPace(): void {
    const { mode } = this.pace;
    const active = this.controller !== null;
    this.deps.clock.setRate(active ? demoClockRate(mode, this.timeoutMs) : 1);
    const flight = active ? demoFlightMs(mode, this.timeoutMs) : 0;
    for (const lane of this.lanes) for (const relay of lane.relays) relay.setFlightMs(flight);
  }

  private async openLane(
    index: number,
    protocol: Protocol,
    request: CompareRequest,
    pattern: LossPattern,
    folder: string,
  ): Promise<Lane> {
    const pacer = createPacer(this.pace.mode);
    if (this.pace.paused) pacer.pause();
    const lane: Lane = {
      protocol,
      window: windowOf(protocol, request.window),
      aggregator: new SenderAggregator('demo', () => this.deps.clock.now(), true),
      pacer,
      receivers: [],
      relays: [],
      files: Array.from({ length: request.receivers }, () => null),
      settled: [],
      result: null,
      error: null,
    };
    const subnet = LANE_SUBNET + 2 * index;
    const plan = await loopbackPlan({
      count: request.receivers,
      port: request.port,
      subnet,
      probe: this.deps.probe,
    });
    for (const [i, at] of plan.endpoints.entries()) {
      const dir = join(folder, protocol, `receiver-${i + 1}`);
      await mkdir(dir, { recursive: true });
      let settle!: () => void;
      lane.settled.push(new Promise<void>((resolve) => (settle = resolve)));
      lane.receivers.push(
        await this.deps.startReceiver({
          port: at.port,
          bind: at.address,
          destination: destinationIn(dir),
          p: 0, // the relays lose by the pattern, the same in every lane
          multicast: false, // every datagram goes through the lane's relays: none straight from a group
          profile: request.profile,
          idleTimeoutMs: 0, // a silent sender is a teacher in step mode or on pause
          onEvent: (e: ReceiverEvent) => {
            if (e.type === 'complete') lane.files[i] = e.file.path;
            if (e.type === 'complete' || e.type === 'transfer-failed') settle();
          },
        }),
      );
    }
    const relayPlan = await loopbackPlan({
      count: request.receivers,
      port: request.port,
      subnet: subnet + 1,
      probe: this.deps.probe,
    });
    const start = this.deps.startRelay ?? startRelay;
    for (const [i, at] of relayPlan.endpoints.entries()) {
      const target = lane.receivers[i]!.address;
      lane.relays.push(
        await start({
          listenHost: at.address,
          listenPort: at.port,
          upstreamHost: at.address,
          targetHost: target.address,
          targetPort: target.port,
          sequenceOf: sequenceReader(request.profile),
          lose: patternFor(pattern, i),
          flightTimers: this.deps.clock,
          onEvent: (e) => this.relayEvent(lane, i, e),
        }),
      );
    }
    return lane;
  }

  /** A datagram the pattern lost (or a teacher's pick in flight) joins the lane's diagram. */
  private relayEvent(lane: Lane, receiver: number, e: RelayEvent): void {
    const whole = e.type === 'lost-in-flight' || (e.type === 'datagram' && e.copies === 0);
    if (!whole || e.seq === undefined) return;
    lane.aggregator.lost(
      e.direction === 'forward' ? TimelineKind.netLoss : TimelineKind.netAckLoss,
      receiver,
      e.seq,
    );
    this.deps.onChange();
  }

  private async runLane(
    lane: Lane,
    request: CompareRequest,
    file: FileInfo,
    signal: AbortSignal,
  ): Promise<void> {
    const counts = { transmissions: 0, rounds: 0 };
    const onEvent = (e: SenderEvent): void => {
      if (e.type === 'send') {
        counts.transmissions++;
        counts.rounds = Math.max(counts.rounds, e.round ?? 0);
      }
      lane.aggregator.apply(e);
      this.deps.onChange();
    };
    try {
      const sent = await this.deps.send({
        file: file.path,
        // Named by their place, the same in every lane: receiver 2 loses the same datagrams in each, and its
        // address (a relay inside this app, another in each lane) says nothing to a class.
        receivers: lane.relays.map((r, i) => ({
          host: r.address.address,
          port: r.address.port,
          label: `R${i + 1}`,
        })),
        mss: request.mss,
        timeoutMs: request.timeoutMs,
        profile: request.profile,
        protocol: lane.protocol,
        ...(lane.window !== null ? { window: lane.window } : {}),
        // The protocol only, every datagram drawn one of it; except Selective Repeat's agreement, made through the
        // offer (without it our receivers would get Go-Back-N).
        offer: lane.protocol === 'sr',
        timers: this.deps.clock,
        keepaliveMs: 0, // its receivers never idle out: every datagram drawn is one of the protocol
        pacer: lane.pacer,
        signal,
        onEvent,
      });
      lane.result = await this.measure(lane, sent, counts, file);
    } catch (error) {
      lane.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.running--;
      this.deps.onChange();
    }
  }

  /** The lane's row of the table: the sender's result, the relays' counters, and each file hashed here. */
  private async measure(
    lane: Lane,
    sent: SendResult,
    counts: { transmissions: number; rounds: number },
    file: FileInfo,
  ): Promise<CompareResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deps.settleMs ?? 10_000)));
    // A sender that finished has every file written or about to be; after a cancel nothing more comes.
    if (sent.ok) await Promise.race([Promise.all(lane.settled), bound]);
    clearTimeout(timer);
    const identical = await Promise.all(
      lane.files.map(async (path) => {
        if (path === null) return false;
        const copy = await inspectFile(path).catch(() => null);
        return copy !== null && copy.size === file.size && copy.sha256 === file.sha256;
      }),
    );
    const stats = lane.relays.map((r) => r.stats());
    const sum = (of: (s: (typeof stats)[number]) => number): number => stats.reduce((n, s) => n + of(s), 0);
    const ok = sent.ok && identical.every(Boolean);
    return {
      ok,
      cancelled: sent.cancelled,
      durationMs: sent.durationMs,
      rounds: counts.rounds,
      transmissions: counts.transmissions,
      retransmissions: sent.receivers.reduce((n, r) => n + r.retransmissions, 0),
      // Each receiver's own, as every protocol counts them (one "Timeout" line each): stop-and-wait's one timer
      // expiring while two receivers owe an ACK is two, as Go-Back-N's two receivers' timers expiring are.
      timeouts: sent.receivers.reduce((n, r) => n + r.timeouts, 0),
      goodput: ok && sent.durationMs > 0 ? file.size / (sent.durationMs / 1000) : 0,
      wire: {
        dataBytes: sum((s) => s.forward.bytesReceived),
        dataDatagrams: sum((s) => s.forward.received),
        ackBytes: sum((s) => s.backward.bytesReceived),
        ackDatagrams: sum((s) => s.backward.received),
      },
      lost: { data: sum((s) => s.forward.dropped), acks: sum((s) => s.backward.dropped) },
      identical,
    };
  }

  /** Stops every lane's receivers and relays and removes the received copies; the results stay. */
  private async release(): Promise<void> {
    this.controller = null;
    this.applyPace(); // no flights, and the clock at its normal rate
    const sessions = this.lanes.flatMap((lane) => lane.receivers.splice(0));
    const relays = this.lanes.flatMap((lane) => lane.relays.splice(0));
    await Promise.all([...sessions.map((s) => s.stop()), ...relays.map((r) => r.close())]);
    const folder = this.folder;
    this.folder = null;
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}
