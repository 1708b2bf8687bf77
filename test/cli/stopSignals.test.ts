// Ctrl-C as the CLIs take it: the first stops cleanly; the same request again within 2 s (npx passes Ctrl-C on
// to its child while the terminal signals the whole group, so the child gets it twice) is ignored instead of
// killing the command mid-stop; one after that ends the process at once, saying so. On a fake clock.
import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import { onOutputClosed, onStopSignal, REPEAT_MS, type SignalHost } from '../../src/cli/stopSignals.js';

function fakeHost() {
  const signals = new EventEmitter();
  const host: SignalHost & { t: number; said: string[]; exits: number[] } = {
    t: 0,
    said: [],
    exits: [],
    on: (signal, handler) => signals.on(signal, handler),
    now: () => host.t,
    say: (line) => host.said.push(line),
    exit: (code) => host.exits.push(code),
  };
  const send = (signal: NodeJS.Signals, at: number): void => {
    host.t = at;
    signals.emit(signal, signal);
  };
  return { host, send };
}

it('stops once for a Ctrl-C and a SIGTERM on its heels; a signal 2 s on ends the process at once', () => {
  const { host, send } = fakeHost();
  let stops = 0;
  onStopSignal('p2mpserver', () => stops++, host);
  send('SIGINT', 1_000);
  send('SIGINT', 1_005); // npx's copy
  send('SIGTERM', 1_000 + REPEAT_MS - 1);
  expect([stops, host.said, host.exits]).toEqual([1, [], []]);
  send('SIGINT', 1_000 + REPEAT_MS);
  send('SIGTERM', 1_000 + REPEAT_MS);
  expect(stops).toBe(1);
  expect(host.said).toEqual([
    'p2mpserver: SIGINT again: ending at once, without cleaning up',
    'p2mpserver: SIGTERM again: ending at once, without cleaning up',
  ]);
  expect(host.exits).toEqual([130, 143]);
});

it('a broken stdout or stderr (its reader went away) is one stop request, and no unhandled error', () => {
  const stdout = new EventEmitter();
  const stderr = new EventEmitter();
  let stops = 0;
  onOutputClosed(() => stops++, [stdout, stderr]);
  // Without a listener, emit('error') throws: the stack trace a user saw.
  stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  stderr.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  stdout.emit('error', new Error('write after end'));
  expect(stops).toBe(1);
});
