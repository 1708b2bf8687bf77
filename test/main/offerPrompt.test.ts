// Receive mode asks its user about an offered file: the offer reaches the renderer in a batch, the answer comes
// back over IPC, and the sender learns it. Real engine, real coalescer, IPC dispatch; the sender is our own.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/ipc.js';
import type { AppServices } from '../../src/main/services/index.js';
import { realServices } from './realServices.js';
import type { EventBatch } from '../../src/shared/contract.js';
import type { PendingOffer } from '../../src/shared/events.js';
import { send } from '../../src/shared/node/sender.js';
import { encodeOffer } from '../../src/shared/offer/message.js';
import { randomPort } from '../helpers/ports.js';

vi.mock('electron');

let dir: string;
let services: AppServices;
let batches: EventBatch[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-offer-'));
  batches = [];
  services = realServices(dir, {
    emit: (batch) => batches.push(JSON.parse(JSON.stringify(batch)) as EventBatch),
  });
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: string, payload: unknown) => dispatch(createHandlers(services), channel, payload);
const offersShown = (): PendingOffer[] => batches.at(-1)?.receivers['receive']?.snapshot.offers ?? [];

async function listen(port: number, more: Record<string, unknown> = {}): Promise<string> {
  const folder = join(dir, 'inbox');
  await mkdir(folder);
  await services.settings.update({ saveFolder: folder });
  const started = await call('receive:start', {
    port,
    bind: '127.0.0.41',
    p: 0,
    seed: 1,
    profile: 'standard',
    announce: false,
    name: null,
    autoAccept: false,
    ...more,
  });
  expect(started.ok).toBe(true);
  return folder;
}

describe('an offered file in Receive mode', () => {
  it.each([
    ['accepted', true],
    ['declined', false],
  ])(
    '%s by the user: the sender learns it; only an accepted file is kept, under its name',
    async (_, yes) => {
      const port = randomPort();
      const folder = await listen(port);
      const input = join(dir, 'Lab 3 handout.pdf');
      const data = randomBytes(7_000);
      await writeFile(input, data);
      const sending = send({
        file: input,
        receivers: [{ host: '127.0.0.41', port, label: 'app' }],
        mss: 1000,
      });
      await vi.waitFor(() => expect(offersShown()).toHaveLength(1), { timeout: 10_000, interval: 50 });
      const [offer] = offersShown();
      expect(offer).toMatchObject({ from: '127.0.0.1', name: 'Lab 3 handout.pdf', size: 7_000 });
      expect(await call('receive:answer', { id: offer!.id, accept: yes })).toEqual({ ok: true, value: null });
      // Answered once: a second answer (a double click, a forged call) is refused.
      expect(await call('receive:answer', { id: offer!.id, accept: !yes })).toEqual({
        ok: false,
        error: 'that offer is no longer waiting for an answer',
      });
      const result = await sending;
      if (yes) {
        expect(result.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
        expect((await readFile(join(folder, 'Lab 3 handout.pdf'))).equals(data)).toBe(true);
      } else {
        expect(result.receivers[0]!.failure).toBe("declined: the receiver's user declined the file");
        expect(await readdir(folder)).toEqual([]);
      }
      await vi.waitFor(() => expect(offersShown()).toEqual([]), { timeout: 5_000, interval: 50 });
    },
  );

  it('with a size limit, refuses a larger file before any data and without asking; takes one within it', async () => {
    const port = randomPort();
    const folder = await listen(port, { autoAccept: true, maxBytes: 4_000 });
    const sendFile = async (name: string, size: number) => {
      const input = join(dir, name);
      await writeFile(input, randomBytes(size));
      return send({ file: input, receivers: [{ host: '127.0.0.41', port, label: 'app' }], mss: 1000 });
    };
    const big = await sendFile('scan.iso', 10_000);
    expect(big.receivers[0]!.failure).toBe(
      'declined: the file (9.77 KiB) is larger than this receiver accepts (3.91 KiB)',
    );
    expect(offersShown()).toEqual([]);
    const small = await sendFile('notes.txt', 4_000);
    expect(small.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
    expect(await readdir(folder)).toEqual(['notes.txt']);
  });

  it('stopping the receiver declines what is still waiting', async () => {
    const port = randomPort();
    await listen(port);
    const input = join(dir, 'left.bin');
    await writeFile(input, randomBytes(1_000));
    const sending = send({ file: input, receivers: [{ host: '127.0.0.41', port, label: 'app' }], mss: 500 });
    await vi.waitFor(() => expect(offersShown()).toHaveLength(1), { timeout: 10_000, interval: 50 });
    await call('receive:stop', null);
    const result = await sending;
    expect(result.receivers[0]!.state).toBe('failed');
  });

  it('a sender stopped while its offer is on screen: the prompt is taken down with a note saying so', async () => {
    const port = randomPort();
    await listen(port);
    const input = join(dir, 'quiz.pdf');
    await writeFile(input, randomBytes(1_000));
    const stop = new AbortController();
    const sending = send({
      file: input,
      receivers: [{ host: '127.0.0.41', port, label: 'app' }],
      mss: 500,
      signal: stop.signal,
    });
    await vi.waitFor(() => expect(offersShown()).toHaveLength(1), { timeout: 10_000, interval: 50 });
    // Its sender asks again every second while the user decides; then it is stopped (Ctrl-C, Cancel).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    stop.abort();
    await sending;
    const notes = (): string[] => batches.at(-1)?.receivers['receive']?.snapshot.failures ?? [];
    // Taken down: the stopped sender says so (a cancel); were that lost, once it had been quiet for 5 s.
    await vi.waitFor(() => expect(offersShown()).toEqual([]), { timeout: 30_000, interval: 100 });
    expect(notes()).toContain(
      '127.0.0.1 stopped offering quiz.pdf before it was answered (its sender gave up or was stopped)',
    );
  }, 40_000);

  it("a question replaced by the same host's new offer goes without a note: its sender did not stop", async () => {
    const port = randomPort();
    await listen(port);
    const second = join(dir, 'final.pdf');
    await writeFile(second, randomBytes(1_000));
    const to = [{ host: '127.0.0.41', port, label: 'app' }];
    // A sender that offered draft.pdf once and was not stopped (a stopped one of ours says so: the test above).
    const draft = createSocket('udp4');
    const offer = encodeOffer('standard', {
      id: '0123456789abcdef',
      name: 'draft.pdf',
      size: 1_000,
      sha256: 'a'.repeat(64),
      mss: 500,
      protocol: 'saw',
      profile: 'standard',
    });
    await new Promise<void>((resolve) => draft.send(offer, port, '127.0.0.41', () => resolve()));
    await vi.waitFor(() => expect(offersShown()).toHaveLength(1), { timeout: 10_000, interval: 50 });
    draft.close();
    // The user sends the right file at once: the same host, a new offer.
    const again = new AbortController();
    const resent = send({ file: second, receivers: to, mss: 500, signal: again.signal });
    await vi.waitFor(() => expect(offersShown().map((o) => o.name)).toEqual(['final.pdf']), {
      timeout: 10_000,
      interval: 50,
    });
    expect(batches.at(-1)?.receivers['receive']?.snapshot.failures ?? []).toEqual([]);
    again.abort();
    await resent;
  });

  it('refuses an answer that is not an offer id', async () => {
    expect(await call('receive:answer', { id: '../x', accept: true })).toEqual({
      ok: false,
      error: 'request.id: expected an offer id',
    });
  });
});
