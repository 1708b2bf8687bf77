// The received files history: kept across runs, newest first, bounded, and a damaged file never trusted.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_MAX, ReceivedHistory } from '../../src/main/services/receivedHistory.js';
import type { CompletedFile } from '../../src/shared/events.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'p2mp-history-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const completed = (name: string, offered: boolean): CompletedFile => ({
  path: `/inbox/${name}`,
  bytes: 1234,
  sha256: 'ef'.repeat(32),
  durationMs: 10,
  from: '10.0.0.7:4000',
  endedBy: 'marker',
  verified: true,
  ...(offered ? { offeredName: name } : {}),
});

describe('the received files history', () => {
  it('survives a restart, newest first, verified files marked as checked', async () => {
    const file = join(dir, 'received.json');
    const first = new ReceivedHistory(file, () => new Date('2026-12-01T10:00:00Z'));
    await first.add(completed('a.pdf', true));
    await first.add(completed('b.bin', false));
    const again = new ReceivedHistory(file);
    expect((await again.list()).map((e) => [e.name, e.checked, e.at])).toEqual([
      ['b.bin', false, '2026-12-01T10:00:00.000Z'],
      ['a.pdf', true, '2026-12-01T10:00:00.000Z'],
    ]);
  });

  // A lab review received report.pdf twice: the history listed "report.pdf" and "report (2).pdf", the second
  // without the name its sender offered, which Completed files shows until the app quits.
  it('keeps the offered name of a file kept under another', async () => {
    const file = join(dir, 'received.json');
    const history = new ReceivedHistory(file);
    await history.add(completed('report.pdf', true));
    await history.add({ ...completed('report (2).pdf', true), offeredName: 'report.pdf' });
    expect((await new ReceivedHistory(file).list()).map((e) => [e.name, e.offeredAs])).toEqual([
      ['report (2).pdf', 'report.pdf'],
      ['report.pdf', undefined],
    ]);
  });

  it(`keeps the newest ${HISTORY_MAX}`, async () => {
    const history = new ReceivedHistory(join(dir, 'received.json'));
    for (let i = 0; i < HISTORY_MAX + 5; i++) await history.add(completed(`f${i}.bin`, true));
    const list = await new ReceivedHistory(join(dir, 'received.json')).list();
    expect(list).toHaveLength(HISTORY_MAX);
    expect(list[0]!.name).toBe(`f${HISTORY_MAX + 4}.bin`);
  });

  it('drops what a damaged file holds instead of trusting it', async () => {
    const file = join(dir, 'received.json');
    const good = {
      ...(await (async () => {
        const h = new ReceivedHistory(file);
        await h.add(completed('ok.bin', true));
        return JSON.parse(await readFile(file, 'utf8'))[0];
      })()),
    };
    await writeFile(
      file,
      JSON.stringify([good, { ...good, bytes: -1 }, { ...good, sha256: 'x' }, 'junk', null]),
    );
    expect((await new ReceivedHistory(file).list()).map((e) => e.name)).toEqual(['ok.bin']);
    await writeFile(file, '{ not json');
    expect(await new ReceivedHistory(file).list()).toEqual([]);
  });
});
