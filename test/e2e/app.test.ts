// The app's renderer in real Chromium against real UDP on loopback: send mode to three receivers with p = 0.2,
// receive mode showing drops live, and the local demo. Screenshots go to test-results/ for review.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { rawPeer } from '../helpers/loopback.js';
import { multicastProblem } from '../helpers/multicast.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';
import { sidewaysOverflow } from './pageScripts.js';
import { fillReceiveForm } from './receive.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)('app in Chromium', () => {
  const browser = useBrowserApp('app');
  const sessions: ReceiverSession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
  });

  async function sourceFile(name: string, bytes: number): Promise<{ path: string; data: Buffer }> {
    const data = randomBytes(bytes);
    const path = join(browser.work(), name);
    await writeFile(path, data);
    return { path, data };
  }

  it('sends from the UI to three receivers at p = 0.2, showing timeouts live, to byte-identical files', async () => {
    // 200 chunks at p = 0.2 to 3: about 10 s of timeouts, so that a loaded machine still looks at it mid-way.
    const source = await sourceFile('send-source.bin', 100_000);
    const port = randomPort();
    const outputs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const dir = join(browser.work(), `send-rx-${i}`);
      await mkdir(dir);
      // The third saves into its folder, where a file of that name already is: it keeps it under another.
      const folder = i === 2 ? dir : undefined;
      if (folder) await writeFile(join(folder, 'send-source.bin'), 'kept before');
      outputs.push(join(dir, folder ? 'send-source (2).bin' : 'received.bin'));
      sessions.push(
        await startReceiver({
          port,
          bind: `127.0.0.${i + 2}`,
          destination: () => join(dir, 'received.bin'),
          ...(folder ? { folder } : {}),
          p: 0.2,
          seed: 1000 + i,
        }),
      );
    }
    const { page, desktop } = await browser.open();
    await page.getByRole('tab', { name: 'Send' }).click();
    desktop.nextOpen = source.path;
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const sha = createHash('sha256').update(source.data).digest('hex');
    await expect.poll(() => page.getByText(sha).count()).toBe(1);

    const newReceiver = page.getByLabel('New receiver');
    await newReceiver.fill('lab-pc-2, not_a_host!');
    await expect
      .poll(() => page.getByText('"not_a_host!" is not a valid host name', { exact: false }).count())
      .toBe(1);
    for (let i = 0; i < 3; i++) {
      await newReceiver.fill(`127.0.0.${i + 2}:${port}`);
      await newReceiver.press('Enter');
    }
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    // Live: every receiver row shows timeouts while the transfer is still short of 100%.
    // Counts are read before the bar, so "> 0 while < 100%" means they were on screen mid-transfer.
    const liveView = async (): Promise<string> => {
      const counts = await page
        .locator('[data-testid^=receiver-row-] [data-testid=timeouts]')
        .allTextContents();
      const pct = Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'));
      if (pct >= 100) return 'finished too soon';
      return counts.length === 3 && counts.every((c) => Number(c) > 0) ? 'live timeouts' : 'waiting';
    };
    await expect.poll(liveView, { timeout: 30_000, interval: 50 }).toMatch(/live timeouts|finished/);
    expect(await liveView()).toBe('live timeouts');
    await page.screenshot({ path: join(SHOTS, 'send-live.png'), fullPage: true });

    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('.badge.state-done').count()).toBe(3);
    // A remote send's timeline has only the sender's view: timeouts and retransmissions, no drops.
    const totals = page.getByTestId('timeline-totals');
    await expect.poll(async () => Number(await totals.getAttribute('data-timeouts'))).toBeGreaterThan(0);
    expect(Number(await totals.getAttribute('data-resends'))).toBeGreaterThan(0);
    expect(Number(await totals.getAttribute('data-drops'))).toBe(0);
    // The receiver that kept the file under another name says which, on its row and in the summary.
    const row = page.getByRole('rowheader', { name: new RegExp(`^127\\.0\\.0\\.4:${port}`) });
    expect(await row.textContent()).toContain('kept as send-source (2).bin');
    expect(await page.getByRole('list', { name: 'Kept under another name' }).textContent()).toBe(
      `127.0.0.4:${port} kept it as "send-source (2).bin"`,
    );
    await page.screenshot({ path: join(SHOTS, 'send.png'), fullPage: true });
    for (const [width, height] of [
      [1920, 1080],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `send-kept-${width}.png`) });
      await page.getByRole('list', { name: 'Kept under another name' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `send-kept-summary-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 980 });

    desktop.saveTo = join(browser.work(), 'summary.txt');
    await page.getByRole('button', { name: 'Save…' }).click();
    await expect
      .poll(async () => (await readFile(desktop.saveTo!, 'utf8').catch(() => '')).length)
      .toBeGreaterThan(0);
    expect(await readFile(desktop.saveTo, 'utf8')).toContain('P2MP-FTP transfer complete');

    const results = await Promise.all(sessions.map((s) => s.done));
    expect(results.every((r) => r.ok)).toBe(true);
    for (const output of outputs) expect((await readFile(output)).equals(source.data)).toBe(true);
  }, 90_000);

  it('while the offer is out: each receiver listed with its answer so far, and Cancel stops the transfer', async () => {
    const source = await sourceFile('slides.pdf', 30_000);
    const port = randomPort();
    const dir = join(browser.work(), 'offer-rx');
    await mkdir(dir);
    // One receiver whose user never decides, one that accepts at once.
    for (const [i, decide] of [() => new Promise<never>(() => {}), undefined].entries())
      sessions.push(
        await startReceiver({
          port,
          bind: `127.0.0.${71 + i}`,
          destination: (n) => join(dir, `r${i}-${n}.bin`),
          folder: dir,
          p: 0,
          keepListening: true,
          ...(decide ? { decide } : {}),
        }),
      );
    const { page, desktop } = await browser.open();
    await page.getByRole('tab', { name: 'Send' }).click();
    desktop.nextOpen = source.path;
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const newReceiver = page.getByLabel('New receiver');
    // And a third where nothing listens: silent, as a course receiver would be.
    await newReceiver.fill(`127.0.0.71:${port}, 127.0.0.72:${port}, 127.0.0.73:${port}`);
    await newReceiver.press('Enter');
    const start = page.getByRole('button', { name: 'Start', exact: true });
    const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
    await start.click();
    const status = page.getByRole('status').filter({ hasText: 'Offering the file' });
    await expect
      .poll(() => status.textContent(), { timeout: 10_000 })
      .toMatch(
        /^Offering the file \(29\.3 KiB\): 1 of 3 answered, 1 asked to wait \(deciding, or busy with another sender's transfer\), 1 silent \(course mode, if anything is there\)\./,
      );
    expect(
      await page
        .getByText(
          "asked to wait: its user is deciding whether to accept, or it is busy with another sender's transfer",
        )
        .count(),
    ).toBe(1);
    expect(
      await page
        .getByText(
          'accepted: the data starts once the others have answered, or stayed silent through every offer',
        )
        .count(),
    ).toBe(1);
    expect(
      await page
        .getByText('no answer to the offer: a course receiver, or nothing there (its ACKs will tell)')
        .count(),
    ).toBe(1);
    // None is said to be in course mode yet: one is deciding, one accepted, one has not answered.
    expect(await page.getByText('course mode, unverified').count()).toBe(0);
    expect(await start.isDisabled()).toBe(true);
    expect(await cancel.isDisabled()).toBe(false);
    for (const [width, height] of [
      [1920, 1080],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(SHOTS, `send-offering-${width}.png`) });
    }
    await cancel.click();
    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.panel.live').textContent()).toContain('P2MP-FTP transfer cancelled');
    // The bar says none of them got the file.
    expect(await page.locator('.progress-row').textContent()).toBe(
      '0/3receivers got the whole file3 did not',
    );
    expect(await page.locator('.summary-failures li').allTextContents()).toEqual([
      `127.0.0.71:${port} failed: cancelled`,
      `127.0.0.72:${port} failed: cancelled`,
      `127.0.0.73:${port} failed: cancelled`,
    ]);
    await page.getByRole('heading', { name: 'Summary' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'send-offering-cancelled-1024.png') });
    expect(await start.isDisabled()).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  }, 60_000);

  it('sends Selective Repeat from the UI with the Multicast switch off and on: the rows say how segments went', async () => {
    const source = await sourceFile('sr-source.bin', 30_000);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await page.getByRole('tab', { name: 'Send' }).click();
    desktop.nextOpen = source.path;
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const newReceiver = page.getByLabel('New receiver');
    for (let i = 0; i < 2; i++) {
      await newReceiver.fill(`127.0.0.${i + 12}:${port}`);
      await newReceiver.press('Enter');
    }
    await page.getByLabel('Protocol').selectOption('sr');
    const multicast = page.getByRole('checkbox', { name: 'Multicast' });
    expect(await multicast.isChecked()).toBe(true);
    await page.setViewportSize({ width: 800, height: 600 });
    await multicast.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'send-multicast-small.png') });
    // Loopback may have no multicast here: then "on" is only checked to fall back to unicast, and say so.
    const groupWorks = (await multicastProblem()) === null;
    for (const on of [false, true]) {
      const outputs = [0, 1].map((i) => join(browser.work(), `sr-${on}-${i}.bin`));
      for (let i = 0; i < 2; i++)
        sessions.push(
          await startReceiver({
            port,
            bind: `127.0.0.${i + 12}`,
            destination: () => outputs[i]!,
            p: 0.1,
            seed: 70 + i,
            multicast: true,
          }),
        );
      await multicast.setChecked(on);
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      expect((await Promise.all(sessions.map((s) => s.done))).every((r) => r.ok)).toBe(true);
      // The receivers are done, so this transfer started: Start enabled again means its result is in.
      const start = page.getByRole('button', { name: 'Start', exact: true });
      await expect.poll(() => start.isEnabled(), { timeout: 30_000 }).toBe(true);
      await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 30_000 });
      const how = (): Promise<string[]> =>
        page.locator('[data-testid^=receiver-row-] .course-mode').allTextContents();
      await expect
        .poll(how, { timeout: 30_000 })
        .toEqual(
          !on
            ? []
            : groupWorks
              ? ['multicast', 'multicast']
              : Array(2).fill('unicast: the group did not get through'),
        );
      for (const output of outputs) expect((await readFile(output)).equals(source.data)).toBe(true);
      await Promise.all(sessions.splice(0).map((s) => s.stop()));
    }
  }, 90_000);

  it('receive mode shows drops as they happen and the completed file', async () => {
    const source = await sourceFile('receive-source.bin', 30_000);
    const folder = join(browser.work(), 'receive-folder');
    await mkdir(folder);
    // Left by a receiver killed mid-transfer: said once, as it starts, and left alone.
    await writeFile(join(folder, 'old.iso.part'), Buffer.alloc(2048));
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await fillReceiveForm(page, desktop, { port, bind: '127.0.0.5', folder });
    await page.getByLabel(/Loss probability p/).fill('0.3');
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect.poll(() => page.getByText(`Listening on 127.0.0.5:${port}`).count()).toBe(1);
    const leftover = page.getByText(
      'An unfinished file from a transfer that never ended is here: old.iso.part (2.00 KiB; partial data, ' +
        'never complete): delete it once no receiver is writing to it',
    );
    await expect.poll(() => leftover.count()).toBe(1);
    for (const [width, height] of [
      [1920, 1080],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      await leftover.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `receive-leftover-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 980 });

    let sending = true;
    const sent = send({
      file: source.path,
      receivers: [{ host: '127.0.0.5', port, label: 'ui' }],
      mss: 500,
    }).finally(() => (sending = false));
    // Our sender offers the file first: the user sees who sends what, and accepts.
    const prompt = page.getByRole('group', { name: 'Offer of receive-source.bin' });
    await expect
      .poll(() => prompt.textContent(), { timeout: 10_000 })
      .toMatch(/^127\.0\.0\.1(?: \(.+\))? wants to send receive-source\.bin, 29\.3 KiB/);
    // In a small window too, the offer is where the user looks, without scrolling: the live side comes first.
    await page.setViewportSize({ width: 800, height: 600 });
    const box = await prompt.getByRole('button', { name: 'Accept' }).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(600);
    await page.screenshot({ path: join(SHOTS, 'receive-offer-800.png') });
    await page.setViewportSize({ width: 1400, height: 980 });
    await prompt.getByRole('button', { name: 'Accept' }).click();
    // A drop is on screen while the sender is still at work.
    await expect
      .poll(async () => Number(await page.getByTestId('counter-dropped').textContent()), {
        timeout: 20_000,
        interval: 50,
      })
      .toBeGreaterThan(0);
    expect(sending).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'receive-live.png'), fullPage: true });

    const result = await sent;
    expect(result.ok).toBe(true);
    expect(result.receivers[0]!.mode).toBe('verified');
    const sha = createHash('sha256').update(source.data).digest('hex');
    await expect.poll(() => page.getByText(`SHA-256 ${sha}`).count(), { timeout: 10_000 }).toBe(1);
    // Saved under the name it was offered as, verified against the offer's SHA-256.
    expect(await page.getByText('✓ Verified: its SHA-256 matches the one the sender offered').count()).toBe(
      1,
    );
    expect(await page.getByText('receive-source.bin', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Show in folder' }).click();
    await expect.poll(() => desktop.shown.length).toBe(1);
    expect((await readFile(desktop.shown[0]!)).equals(source.data)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'receive.png'), fullPage: true });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByText('Not listening').count()).toBe(1);
  }, 60_000);

  it('receive mode keeps a file offered under a long unbroken name inside the window', async () => {
    // A handout named without spaces, as exports are: the name wraps in Completed files, never widens the page.
    const name = `Week_12_${'lab_handout_'.repeat(14)}final.pdf`;
    const source = await sourceFile(name, 5_000);
    const folder = join(browser.work(), 'long-name-folder');
    await mkdir(folder);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1024, height: 640 });
    await fillReceiveForm(page, desktop, { port, bind: '127.0.0.8', folder });
    await page.getByLabel('Accept files without asking').check();
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect.poll(() => page.getByText(`Listening on 127.0.0.8:${port}`).count()).toBe(1);
    const result = await send({
      file: source.path,
      receivers: [{ host: '127.0.0.8', port, label: 'ui' }],
      mss: 1000,
    });
    expect(result.ok).toBe(true);
    const completed = page.getByRole('region', { name: 'Completed files' });
    await expect.poll(() => completed.getByText(name, { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await page.locator('summary', { hasText: 'Received files history' }).click();
    await page.getByRole('list', { name: 'Received files history' }).waitFor();
    for (const width of [1024, 800]) {
      await page.setViewportSize({ width, height: 640 });
      expect({ width, overflow: await page.evaluate<number>(sidewaysOverflow) }).toEqual({
        width,
        overflow: 0,
      });
    }
    await completed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'receive-long-name-800.png') });
  }, 60_000);

  it('receive mode asks about a course sender (no offer) by its address, and takes its file once accepted', async () => {
    const source = await sourceFile('course-source.bin', 20_000);
    const folder = join(browser.work(), 'course-folder');
    await mkdir(folder);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await fillReceiveForm(page, desktop, { port, bind: '127.0.0.6', folder });
    // From the keyboard: Start listening disables itself, and focus goes to Stop, not to the top of the page.
    await page.getByRole('button', { name: 'Start listening' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText(`Listening on 127.0.0.6:${port}`).count()).toBe(1);
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Stop');

    // The course protocol, as the reference client speaks it: no offer, segment 1 again every T until ACKed.
    const sent = send({
      file: source.path,
      receivers: [{ host: '127.0.0.6', port, label: 'course' }],
      mss: 500,
      offer: false,
    });
    const prompt = page.getByRole('group', { name: 'Course sender 127.0.0.1' });
    await expect
      .poll(() => prompt.textContent(), { timeout: 10_000 })
      .toMatch(/^127\.0\.0\.1 is sending a file with the course protocol: no name, size or checksum/);
    await page.screenshot({ path: join(SHOTS, 'receive-course-sender.png') });
    // Nothing is taken while the user decides: the sender is still at segment 1.
    expect(await page.getByTestId('counter-bytes').textContent()).toBe('0 B');
    await prompt.getByRole('button', { name: 'Accept' }).click();
    const result = await sent;
    expect(result.receivers[0]).toMatchObject({ state: 'done', mode: 'course' });
    // Saved under a numbered name (a course sender names nothing), byte for byte.
    const saved = async (): Promise<Buffer[]> =>
      Promise.all(
        (await readdir(folder)).filter((n) => n.endsWith('.bin')).map((n) => readFile(join(folder, n))),
      );
    await expect.poll(async () => (await saved()).map((d) => d.equals(source.data))).toEqual([true]);
    await page.getByRole('button', { name: 'Stop' }).click();
  }, 60_000);

  it('receive mode says who was told to wait while a transfer is on, and forgets them when it ends', async () => {
    const folder = join(browser.work(), 'busy-folder');
    await mkdir(folder);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await fillReceiveForm(page, desktop, { port, bind: '127.0.0.7', folder });
    await page.getByLabel('Accept files without asking').check();
    // p = 0: a lost segment 1 would leave the receiver free, and the offer would be taken.
    await page.getByLabel(/Loss probability p/).fill('0');
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect.poll(() => page.getByText(`Listening on 127.0.0.7:${port}`).count()).toBe(1);
    // A course client mid-file, making progress (a segment every 200 ms): the receiver is busy with it.
    const first = await rawPeer('127.0.0.1');
    let seq = 0;
    const segment = (): void =>
      first.socket.send(standard.encodeData(++seq, Buffer.from('x')), port, '127.0.0.7');
    segment();
    const ticking = setInterval(segment, 200);
    const second = new AbortController();
    const held = send({
      file: (await sourceFile('lab-handout.pdf', 4_200)).path,
      receivers: [{ host: '127.0.0.7', port, label: 'busy' }],
      mss: 500,
      bind: '127.0.0.9',
      signal: second.signal,
    });
    const note = page.getByText(/^127\.0\.0\.9 wants to send lab-handout\.pdf \(4\.10 KiB\): told to wait/);
    try {
      await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(1);
      await page.setViewportSize({ width: 1024, height: 640 });
      await page.screenshot({ path: join(SHOTS, 'receive-held-1024.png') });
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.screenshot({ path: join(SHOTS, 'receive-held-1920.png') });
    } finally {
      clearInterval(ticking);
      second.abort();
    }
    expect((await held).receivers[0]!.failure).toBe('cancelled');
    // The course file ends (its empty end marker): the note goes with it.
    first.socket.send(standard.encodeData(++seq, Buffer.alloc(0)), port, '127.0.0.7');
    await expect.poll(() => note.count(), { timeout: 10_000 }).toBe(0);
    first.close();
    await page.getByRole('button', { name: 'Stop' }).click();
  }, 60_000);

  it('runs the local demo (the first-start screen) with the bundled sample', async () => {
    const { page } = await browser.open();
    expect(await page.getByRole('tab', { name: 'Local demo' }).getAttribute('aria-selected')).toBe('true');
    await page.getByLabel('MSS (bytes)').fill('1000');
    await page.getByLabel('Port').fill(String(randomPort()));
    await page.getByRole('button', { name: 'Start demo' }).click();
    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => page.getByText('✓ file complete').count(), { timeout: 10_000 }).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'demo.png'), fullPage: true });

    // The projector look: dark theme, large type.
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Large type').check();
    await page.screenshot({ path: join(SHOTS, 'demo-dark-large.png'), fullPage: true });
  }, 90_000);
});
