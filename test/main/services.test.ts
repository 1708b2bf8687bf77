// Sender and local-demo services: start/failure semantics with a fake engine, and a real demo on loopback (also
// on a simulated loopback that has only 127.0.0.1, as macOS's).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DemoService } from '../../src/main/services/demoService.js';
import { WrittenFiles } from '../../src/main/services/receivedFiles.js';
import { sampleContent, SAMPLE_BYTES } from '../../src/shared/node/sampleFile.js';
import { SenderService, type SendFn } from '../../src/main/services/senderService.js';
import { InputError } from '../../src/shared/errors.js';
import type { ReceiverEvent, SenderEvent } from '../../src/shared/events.js';
import { NO_IMPAIRMENTS } from '../../src/shared/network/impairments.js';
import type { BindProbe } from '../../src/shared/node/loopback.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { STANDARD_DIALECT } from '../../src/shared/protocol/dialect.js';
import { onlyLocalhost } from '../helpers/fakeLoopback.js';
import { randomPort } from '../helpers/ports.js';

vi.mock('electron');

const request = {
  file: '/f',
  receivers: ['127.0.0.2'],
  mss: 500,
  timeoutMs: 100,
  profile: 'standard' as const,
};

describe('SenderService', () => {
  it('returns input errors through start() and later failures through onFailure', async () => {
    const onFailure = vi.fn();
    const rejectEarly: SendFn = () => Promise.reject(new InputError('cannot read file "/f": no such file'));
    const early = new SenderService({ send: rejectEarly, onEvent: () => undefined, onFailure });
    await expect(early.start(request, 7735)).rejects.toThrow('no such file');
    expect(onFailure).not.toHaveBeenCalled();

    let fail: (e: Error) => void = () => undefined;
    const rejectLater: SendFn = (options) => {
      options.onEvent?.({
        type: 'start',
        t: 0,
        fileSize: 0,
        mss: 500,
        chunks: 0,
        timeoutMs: 100,
        profile: 'standard',
        receivers: [],
      });
      return new Promise((_, reject) => (fail = reject));
    };
    const late = new SenderService({ send: rejectLater, onEvent: () => undefined, onFailure });
    await late.start(request, 7735);
    expect(late.running).toBe(true);
    fail(new Error('EIO: read failed'));
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledWith('EIO: read failed'));
    expect(late.running).toBe(false);
  });

  it('hands the engine the dialect chosen, parsed; standard when none is', async () => {
    // An engine that never starts: only what it was asked to do matters here.
    const engine = vi.fn<SendFn>(() => new Promise(() => undefined));
    const service = new SenderService({ send: engine, onEvent: () => undefined, onFailure: () => undefined });
    void service.start({ ...request, dialect: 'ACK-next, seq0' }, 7735);
    await vi.waitFor(() => expect(engine).toHaveBeenCalledTimes(1));
    expect(engine.mock.calls[0]![0].dialect).toEqual({ ...STANDARD_DIALECT, base: 0, ack: 'next' });
    const plain = new SenderService({ send: engine, onEvent: () => undefined, onFailure: () => undefined });
    void plain.start(request, 7735);
    await vi.waitFor(() => expect(engine).toHaveBeenCalledTimes(2));
    expect(engine.mock.calls[1]![0].dialect).toEqual(STANDARD_DIALECT);
  });

  it('rejects a bad receiver before calling the engine', async () => {
    const engine = vi.fn<SendFn>();
    const service = new SenderService({ send: engine, onEvent: () => undefined, onFailure: () => undefined });
    await expect(service.start({ ...request, receivers: ['bad host'] }, 7735)).rejects.toThrow(
      'is not host or host:port',
    );
    expect(engine).not.toHaveBeenCalled();
  });
});

describe('DemoService on loopback', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'p2mp-demo-test-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const sampleDemo = { file: null, mss: 1000, timeoutMs: 20, profile: 'standard' as const };

  /** A demo with the real engine on loopback; `probe` simulates which loopback addresses exist. */
  function loopbackDemo(probe?: BindProbe) {
    const senderEvents: SenderEvent[] = [];
    const receiverEvents: ReceiverEvent[] = [];
    const written = new WrittenFiles();
    const sender = new SenderService({
      send,
      onEvent: (e) => senderEvents.push(e),
      onFailure: () => undefined,
    });
    const demo = new DemoService({
      startReceiver,
      sender,
      receiverEvents: () => (e) => receiverEvents.push(e),
      written,
      tempRoot: root,
      probe,
    });
    /** Waits for the transfer to end; every receiver's copy must be the bundled sample, byte for byte. */
    async function delivered(receivers: number): Promise<void> {
      await vi.waitFor(() => expect(senderEvents.at(-1)?.type).toBe('done'), {
        timeout: 30_000,
        interval: 50,
      });
      const done = senderEvents.at(-1) as Extract<SenderEvent, { type: 'done' }>;
      expect(done.result.ok).toBe(true);
      await vi.waitFor(
        () => expect(receiverEvents.filter((e) => e.type === 'complete')).toHaveLength(receivers),
        { timeout: 5_000 },
      );
      for (const e of receiverEvents) {
        if (e.type !== 'complete') continue;
        expect(written.has(e.file.path)).toBe(true);
        expect((await readFile(e.file.path)).equals(sampleContent())).toBe(true);
      }
    }
    return { demo, receiverEvents, senderEvents, delivered };
  }

  it('runs two receivers on 127.0.0.2/3 and delivers the bundled sample to both', async () => {
    const { demo, receiverEvents, delivered } = loopbackDemo();
    const port = randomPort();
    try {
      const started = await demo.start({ ...sampleDemo, loss: [0, 0.1], port });
      expect(started.file).toMatchObject({ name: 'p2mp-sample.txt', size: SAMPLE_BYTES });
      expect(started.receivers).toEqual([
        { address: '127.0.0.2', port },
        { address: '127.0.0.3', port },
      ]);
      demo.setLoss(1, 0.2);
      await delivered(2);
      expect(receiverEvents.some((e) => e.type === 'loss-changed' && e.p === 0.2)).toBe(true);
    } finally {
      await demo.stop();
    }
    expect(() => demo.setLoss(0, 0.1)).toThrow('demo receiver 1 is not running');
  }, 40_000);

  it('runs Go-Back-N with a window of 4 when asked: every copy arrives, segments overlapped in flight', async () => {
    const { demo, senderEvents, delivered } = loopbackDemo();
    const port = randomPort();
    try {
      await demo.start({ ...sampleDemo, loss: [0.1, 0.1, 0.1], port, protocol: 'gbn', window: 4 });
      await delivered(3);
    } finally {
      await demo.stop();
    }
    // Go-Back-N: a new segment went out to a receiver before it had ACKed the one before (stop-and-wait never).
    const firsts = senderEvents.filter((e) => e.type === 'send' && !e.retransmission && e.receiver === 0);
    const ackAt = (seq: number): number =>
      senderEvents.findIndex((e) => e.type === 'ack' && e.receiver === 0 && e.seq >= seq);
    expect(
      firsts.some((e, i) => i > 0 && senderEvents.indexOf(e) < ackAt((e as { seq: number }).seq - 1)),
    ).toBe(true);
  }, 40_000);

  it('runs on 127.0.0.1 with a port per receiver and per relay where that is the only address', async () => {
    const { demo, delivered } = loopbackDemo(onlyLocalhost);
    try {
      const started = await demo.start({
        ...sampleDemo,
        loss: [0.1, 0.1],
        port: 7735,
        network: { forward: NO_IMPAIRMENTS, backward: NO_IMPAIRMENTS, seed: 1 },
      });
      const endpoints = [...started.receivers, ...started.relays!];
      expect(endpoints.map((e) => e.address)).toEqual(Array(4).fill('127.0.0.1'));
      expect(new Set(endpoints.map((e) => e.port)).size).toBe(4);
      await delivered(2);
    } finally {
      await demo.stop();
    }
  }, 40_000);
});
