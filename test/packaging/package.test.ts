// `npm run dist` as far as it can run here: electron-builder itself, with our electron-builder.yml and
// package.json, packages the built app for Linux and prepares the deb. The Electron zip and fpm cannot be
// downloaded here, so electronDist points at a stand-in Electron folder (its "binary" carries the fuse wire
// the real one does) and the deb step stops right before fpm, with the arguments it would have run.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { execFileSync } from 'node:child_process';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from '../helpers/appBuild.js';
import { root } from '../helpers/processes.js';

// Electron's fuse wire: a sentinel, a version byte, a length byte, then one '0'/'1' per fuse (all enabled here).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = 9;
// FuseState's values (the package exports the enum as a type only): the wire's own characters.
const DISABLE = '0'.charCodeAt(0);
const ENABLE = '1'.charCodeAt(0);

let work = '';
let fpmArgs: string[] = [];
let desktopEntry = '';

beforeAll(async () => {
  ensureAppBuilt();
  work = mkdtempSync(join(tmpdir(), 'p2mp-dist-'));
  const electronDist = join(work, 'electron');
  mkdirSync(electronDist);
  writeFileSync(
    join(electronDist, 'electron'),
    Buffer.concat([
      Buffer.from(`\x7fELF stand-in ${SENTINEL}`),
      Buffer.from([1, FUSES]),
      Buffer.from('1'.repeat(FUSES)),
    ]),
  );
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'version'), 'v45.4.1');
  mkdirSync(join(electronDist, 'resources'));
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget(['deb']),
    config: { electronDist, directories: { output: join(work, 'release') } },
    // Called by the deb target with fpm's arguments and the .desktop file, just before it would run fpm.
    effectiveOptionComputed: async (options: unknown) => {
      if (Array.isArray(options) && Array.isArray(options[0])) {
        fpmArgs = options[0] as string[];
        desktopEntry = readFileSync(options[1] as string, 'utf8');
        return true;
      }
      return false;
    },
  });
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const unpacked = (): string => join(work, 'release', 'linux-unpacked');
const arg = (name: string): string | undefined => fpmArgs[fpmArgs.indexOf(name) + 1];

describe('packaging (electron-builder, Linux)', () => {
  it('gives the deb its metadata: homepage, maintainer with email, desktop entry', () => {
    expect(arg('--url')).toBe('https://p2mpftp.org');
    expect(arg('--maintainer')).toBe('P2MP-FTP Desktop team <team@p2mpftp.org>');
    expect(arg('--name')).toBe('p2mp-ftp-desktop');
    expect(arg('--license')).toBe('MIT');
    expect(desktopEntry).toMatch(/^Name=P2MP-FTP Desktop$/m);
    expect(desktopEntry).toMatch(/^Exec=.*p2mp-ftp-desktop/m);
    expect(desktopEntry).toMatch(/^Categories=Network;$/m);
  });

  it('flips the security fuses in the packaged binary', async () => {
    const wire = await getCurrentFuseWire(join(unpacked(), 'p2mp-ftp-desktop'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
  });

  it('puts the built app and its runtime modules in app.asar, and nothing of the renderer libraries', () => {
    const files = listPackage(join(unpacked(), 'resources', 'app.asar'), { isPack: false }).map((f) =>
      f.replaceAll('\\', '/'),
    );
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.js',
      '/out/renderer/index.html',
    ])
      expect(files).toContain(file);
    expect(files.some((f) => f.startsWith('/node_modules/@resvg/resvg-js/'))).toBe(true);
    // libsodium (the session code's AEAD): its desktop binaries, unpacked from the archive so they can load.
    const sodium = files.filter((f) => f.startsWith('/node_modules/sodium-native/prebuilds/'));
    expect(sodium).toContain('/node_modules/sodium-native/prebuilds/linux-x64/sodium-native.node');
    expect(sodium.filter((f) => /prebuilds\/(android|ios)-|\.bare$/.test(f))).toEqual([]);
    expect(
      existsSync(
        join(
          unpacked(),
          'resources',
          'app.asar.unpacked',
          'node_modules',
          'sodium-native',
          'prebuilds',
          'linux-x64',
        ),
      ),
    ).toBe(true);
    for (const lib of ['react', 'react-dom', 'zustand', 'electron', 'vite'])
      expect(files.filter((f) => f.startsWith(`/node_modules/${lib}/`))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it("loads every runtime dependency from the package itself, as the app's main process does at start", () => {
    // Electron cannot load a native binary from inside the archive: every one must be unpacked beside it.
    const archive = join(unpacked(), 'resources', 'app.asar');
    const natives = listPackage(archive, { isPack: false }).filter((f) => f.endsWith('.node'));
    expect(natives.length).toBeGreaterThan(0);
    const packed = (f: string): boolean =>
      (statFile(archive, f.slice(1)) as { unpacked?: boolean }).unpacked !== true;
    expect(natives.filter(packed)).toEqual([]);
    // The archive extracted (its unpacked files merged in) and each dependency required from there alone, under
    // this Node (not Electron's): one that needs a module the package lacks (node-gyp-build for sodium-native,
    // resvg's binary for this platform) throws here as it would when the app starts.
    const app = join(work, 'app-extracted');
    extractAll(archive, app);
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // Any module resolved outside the extracted package (a node_modules further up) is an error, not a rescue.
    const script = `
      const Module = require('node:module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, parent, ...rest) {
        const found = resolve.call(this, request, parent, ...rest);
        if (!Module.isBuiltin(found) && !found.startsWith(${JSON.stringify(app)}))
          throw new Error(request + ' resolved outside the package: ' + found);
        return found;
      };
      for (const name of ${JSON.stringify(Object.keys(dependencies))})
        require(require.resolve(name, { paths: [${JSON.stringify(app)}] }));`;
    expect(
      execFileSync(process.execPath, ['-e', `${script} console.log('loaded')`], { cwd: work }).toString(),
    ).toBe('loaded\n');
  });
});
