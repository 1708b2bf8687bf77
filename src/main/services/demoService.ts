// The local demo: 1-8 receivers inside the app on 127.0.0.2, 127.0.0.3, ... (one port, distinct loopback
// addresses) and a sender sending one file to all of them, so the whole protocol shows on one machine.
// Received copies live in a temporary folder removed on stop.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoRequest, DemoStarted, ReceiverSource } from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import type { ReceiverEvent } from '../../shared/events.js';
import type { ReceiverSession } from '../../shared/node/receiver.js';
import { inspectFile } from './fileInfo.js';
import { destinationIn, type WrittenFiles } from './receivedFiles.js';
import type { StartReceiverFn } from './receiverService.js';
import { SAMPLE_NAME, writeSampleFile } from '../../shared/node/sampleFile.js';
import type { SenderService } from './senderService.js';

export interface DemoServiceDeps {
  startReceiver: StartReceiverFn;
  /** The demo's own sender session (its events are tagged 'demo' by whoever built it). */
  sender: SenderService;
  receiverEvents: (source: ReceiverSource) => (e: ReceiverEvent) => void;
  written: WrittenFiles;
  /** Parent of the temporary folder; the OS temp dir by default. */
  tempRoot?: string;
}

/** Loopback addresses for the demo receivers: 127.0.0.2 upwards (macOS has only 127.0.0.1: see fallback). */
export function demoAddress(index: number): string {
  return `127.0.0.${index + 2}`;
}

export class DemoService {
  private receivers: ReceiverSession[] = [];
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
      await this.deps.sender.start(
        {
          file: path,
          receivers: endpoints.map((e) => `${e.address}:${e.port}`),
          mss: request.mss,
          timeoutMs: request.timeoutMs,
          profile: request.profile,
        },
        request.port,
      );
      return { file, receivers: endpoints };
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

  async stop(): Promise<void> {
    await this.deps.sender.cancel();
    const sessions = this.receivers;
    this.receivers = [];
    await Promise.all(sessions.map((s) => s.stop()));
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
    this.folder = null;
  }

  private async startReceivers(
    request: DemoRequest,
    folder: string,
  ): Promise<{ address: string; port: number }[]> {
    const start = async (index: number, address: string, port: number): Promise<ReceiverSession> => {
      const dir = join(folder, `receiver-${index + 1}`);
      await mkdir(dir, { recursive: true });
      const onEvent = this.deps.receiverEvents(`demo-${index}`);
      return this.deps.startReceiver({
        port,
        bind: address,
        destination: destinationIn(dir),
        p: request.loss[index] ?? 0,
        profile: request.profile,
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
