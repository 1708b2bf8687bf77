// The Check view's file, through main as the page asks for it: only a file the user picked is read (a page naming
// another gets "choose the file again"), and a receiver checked with its output file has "written once" judged
// from that file, as p2mpcheck server --file does; without it, the check says it cannot see that.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../src/main/ipc.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import type { CheckOutcome } from '../../src/shared/contract.js';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { loopbackDiscovery } from '../helpers/loopback.js';
import { desktopAnswers, fakeDesktop } from './fakeDesktop.js';
import { heldSend } from './fakeSend.js';

vi.mock('electron');

let dir: string;
let services: AppServices;
let handlers: Handlers;
let receiver: ReceiverSession | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-check-file-'));
  services = createServices({
    discovery: loopbackDiscovery,
    userData: dir,
    send: heldSend([]),
    startReceiver: () => Promise.reject(new Error('not in this test')),
    desktop: fakeDesktop(desktopAnswers()),
    emit: () => undefined,
  });
  handlers = createHandlers(services);
});

afterEach(async () => {
  await services.check.cancel();
  await receiver?.stop();
  receiver = null;
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload);

/** Our receiver on 127.0.0.2 writing `output`, checked from the page, with `file` named: the duplicate rule's detail. */
async function checkOwnReceiver(port: number, output: string, file?: string): Promise<string> {
  receiver = await startReceiver({ port, bind: '127.0.0.2', destination: () => output, p: 0 });
  const request = { kind: 'receiver', host: '127.0.0.2', port, ...(file ? { file } : {}) };
  expect(await call('check:start', request)).toMatchObject({ ok: true });
  const result = (await call('check:result', null)) as { ok: true; value: CheckOutcome };
  expect(result.ok).toBe(true);
  if (result.value.kind !== 'receiver') throw new Error('expected a receiver report');
  return result.value.report.verdicts.find((v) => v.id === 'duplicate')!.detail;
}

describe("the Check view's file", () => {
  it('is read only when the user picked it', async () => {
    const secret = join(dir, 'id_ed25519');
    await writeFile(secret, 'private');
    for (const kind of [
      { kind: 'receiver', host: '127.0.0.2', port: 17_946 },
      { kind: 'sender', port: 17_946, receivers: 1 },
    ])
      expect(await call('check:start', { ...kind, file: secret })).toEqual({
        ok: false,
        error: 'choose the file again: the app only reads files you picked or dropped',
      });
    expect(await call('check:result', null)).toEqual({ ok: false, error: 'no check has been started' });
  });

  it("judges a receiver's writing from its output file, picked in the dialog", async () => {
    const output = join(dir, 'out.bin');
    await writeFile(output, '');
    services.granted.grant(output);
    expect(await checkOwnReceiver(17_947, output, output)).toMatch(
      new RegExp(`written once: ${output} holds the \\d+ bytes ACKed in order`),
    );
  }, 60_000);

  it('says what it could not see without the file', async () => {
    expect(await checkOwnReceiver(17_948, join(dir, 'other.bin'))).toMatch(
      /written once is not visible over the network/,
    );
  }, 60_000);

  it("refuses a sender's file larger than the check compares (it would pass on its length alone)", async () => {
    const big = join(dir, 'lecture.mp4');
    await writeFile(big, '');
    await truncate(big, (64 << 20) + 1); // sparse: nothing written
    services.granted.grant(big);
    expect(await call('check:start', { kind: 'sender', port: 17_950, receivers: 1, file: big })).toEqual({
      ok: false,
      error:
        '"lecture.mp4" has 67108865 bytes: the check compares a sent file of at most 64 MiB (67108864 bytes); ' +
        'give a smaller one, or none',
    });
  });

  it("says a sender's file that cannot be read in one line, before anything listens", async () => {
    const gone = join(dir, 'handout.pdf');
    services.granted.grant(gone);
    expect(await call('check:start', { kind: 'sender', port: 17_949, receivers: 1, file: gone })).toEqual({
      ok: false,
      error: 'cannot read "handout.pdf": no such file',
    });
  });
});
