import { defineConfig } from 'vitest/config';

// Two projects: engine, CLI and main-process tests under Node; renderer tests under happy-dom.

// expect.poll waits for what real sockets, processes and Chromium do: a busy machine can take seconds where an idle
// one takes milliseconds (the default, 1 s, failed a click's answer under load). A test still goes on as soon as
// its condition holds.
const expectations = { poll: { timeout: 15_000 } };
export default defineConfig({
  test: {
    // Two test files at a time: most of the suite waits on sockets, timers and Chromium rather than on the CPU,
    // and no test depends on the machine being idle (vitest's default is one worker on a 2-CPU machine).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**'],
          testTimeout: 60_000,
          expect: expectations,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          testTimeout: 30_000,
          expect: expectations,
        },
      },
    ],
  },
});
