// The Send view's discovery runs only while the view asks: started on the first request, stopped 15 s after
// the last one (default timings on a manual clock), restarted when asked again.
import { describe, expect, it } from 'vitest';
import { DiscoveryService } from '../../src/main/services/discoveryService.js';
import type { Discoverer } from '../../src/shared/node/discovery.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';

describe('DiscoveryService', () => {
  it('stops asking the network 15 s after the list was last wanted, and starts again when it is', async () => {
    const clock = virtualClock();
    const log: string[] = [];
    const start = async (options?: { queryEveryMs?: number }): Promise<Discoverer> => {
      log.push(`start, query every ${options?.queryEveryMs} ms`);
      return { list: () => [], query: () => undefined, stop: () => log.push(`stop at ${clock.now()}`) };
    };
    const service = new DiscoveryService({}, clock, start);
    await service.list();
    clock.advance(10_000);
    await service.list(); // still wanted: the 15 s count again from here
    clock.advance(14_999);
    expect(log).toEqual(['start, query every 2000 ms']);
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start, query every 2000 ms', 'stop at 25000']);
    await service.list();
    await service.dispose();
    expect(log).toEqual([
      'start, query every 2000 ms',
      'stop at 25000',
      'start, query every 2000 ms',
      'stop at 25000',
    ]);
  });

  it('tries again after a failed start', async () => {
    let tries = 0;
    const start = async (): Promise<Discoverer> => {
      if (++tries === 1) throw new Error('cannot listen for discovery on port 7780: permission denied');
      return { list: () => [], query: () => undefined, stop: () => undefined };
    };
    const service = new DiscoveryService({}, virtualClock(), start);
    await expect(service.list()).rejects.toThrow('permission denied');
    await expect(service.list()).resolves.toEqual([]);
    await service.dispose();
  });
});
