// The Send view's list of receivers on the network: a discoverer that runs while the view asks for the list
// (it polls) and stops a while after it stopped asking, so an app left in another mode sends no queries.
import type { DiscoveredReceiver } from '../../shared/discovery/roster.js';
import { startDiscoverer, type Discoverer, type DiscoveryOptions } from '../../shared/node/discovery.js';
import { systemTimers, type Timers } from '../../shared/engine/timers.js';

/** Ask the room again this often while the list is shown. */
const QUERY_EVERY_MS = 2000;
/** Stop this long after the last request for the list. */
const IDLE_STOP_MS = 15_000;

export class DiscoveryService {
  private discoverer: Promise<Discoverer> | null = null;
  private idle: unknown;

  constructor(
    private readonly options: DiscoveryOptions,
    private readonly timers: Timers = systemTimers,
    private readonly start: typeof startDiscoverer = startDiscoverer,
  ) {}

  async list(): Promise<DiscoveredReceiver[]> {
    this.discoverer ??= this.start({
      ...this.options,
      timers: this.timers,
      queryEveryMs: QUERY_EVERY_MS,
    });
    const discoverer = this.discoverer;
    this.timers.clearTimeout(this.idle);
    this.idle = this.timers.setTimeout(() => void this.dispose(), IDLE_STOP_MS);
    try {
      return (await discoverer).list();
    } catch (error) {
      if (this.discoverer === discoverer) this.discoverer = null; // a failed start is tried again next time
      throw error;
    }
  }

  async dispose(): Promise<void> {
    this.timers.clearTimeout(this.idle);
    const discoverer = this.discoverer;
    this.discoverer = null;
    (await discoverer?.catch(() => null))?.stop();
  }
}
