// The architecture's one hard line, as the linter enforces it: the renderer-safe part of src/shared (every
// folder but node/ and simulation/) and the renderer never import Node built-ins or Node-only modules, so the
// page never bundles them. Checked with the project's own ESLint config on code placed where it would live.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const NODE_IMPORT = "import { randomBytes } from 'node:crypto';\nexport const bytes = randomBytes;\n";
const NODE_ONLY_MODULE = "import { nodeUdp } from '../node/udp.js';\nexport const udp = nodeUdp;\n";

describe('layers', () => {
  it.each([
    'src/shared/session/x.ts',
    'src/shared/protocol/x.ts',
    'src/shared/engine/x.ts',
    'src/shared/live/x.ts',
    'src/shared/network/x.ts',
    'src/shared/x.ts',
  ])('refuses a Node built-in and a Node-only module in %s', async (path) => {
    expect(await problems(NODE_IMPORT, path)).toEqual([
      expect.stringMatching(/^no-restricted-imports: 'node:crypto' import is restricted/),
    ]);
    expect(await problems(NODE_ONLY_MODULE, path)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*Node-only modules/),
    ]);
  });

  it('allows them in src/shared/node, where sockets and files live', async () => {
    expect(await problems(NODE_IMPORT, 'src/shared/node/x.ts')).toEqual([]);
  });

  it('keeps Electron out of all of src/shared', async () => {
    expect(
      await problems("import { app } from 'electron';\nexport const a = app;\n", 'src/shared/node/x.ts'),
    ).toEqual([expect.stringMatching(/^no-restricted-imports: 'electron' import is restricted/)]);
  });
});
