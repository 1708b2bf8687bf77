// The engine's send() as the main-process services see it, answered by a test: each call is recorded, reports
// 'start' (so the service's start() resolves), then holds the transfer until it is cancelled.
import type { SendFn } from '../../src/main/services/senderService.js';
import type { SendOptions } from '../../src/shared/node/sender.js';

export function heldSend(calls: SendOptions[]): SendFn {
  return async (options) => {
    calls.push(options);
    options.onEvent?.({
      type: 'start',
      t: 0,
      fileSize: 1,
      mss: options.mss,
      chunks: 1,
      timeoutMs: 100,
      profile: 'standard',
      receivers: [],
    });
    await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()));
    throw new Error('cancelled');
  };
}
