// A FIFO (or a device) picked as the file to send: the main process answers at once with a clear error instead of
// blocking in open() until some writer comes (which would freeze the whole app).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { inspectFile } from '../../src/main/services/fileInfo.js';
import { SenderService } from '../../src/main/services/senderService.js';
import { send } from '../../src/shared/node/sender.js';

const dir = mkdtempSync(join(tmpdir(), 'p2mp-fifo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.skipIf(process.platform === 'win32')(
  'refuses a FIFO in file:inspect and send:start, without blocking',
  async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(inspectFile(fifo)).rejects.toThrow(`${fifo} is not a regular file`);
    const service = new SenderService({ send, onEvent: () => undefined, onFailure: () => undefined });
    await expect(
      service.start(
        { file: fifo, receivers: ['127.0.0.2'], mss: 500, timeoutMs: 100, profile: 'standard' },
        7735,
      ),
    ).rejects.toThrow(`cannot read file "${fifo}": not a regular file`);
    await expect(inspectFile('/dev/zero')).rejects.toThrow('/dev/zero is not a regular file');
  },
);
