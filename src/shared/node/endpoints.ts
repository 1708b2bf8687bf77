// Turning what the user typed into UDP endpoints: "host", "host:port" or "[v6]:port", resolved and de-duplicated.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InputError } from '../errors.js';
import type { ReceiverEndpoint } from '../events.js';

export interface ReceiverSpec {
  host: string;
  port: number;
  /** What the user typed; shown in every table and event. */
  label: string;
}

export function portProblem(port: number, allowZero = false): string | null {
  if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535)
    return `port must be a whole number from ${allowZero ? 0 : 1} to 65535, got ${port}`;
  return null;
}

/** Parses "host", "host:port" or "[v6addr]:port"; a bare host takes `defaultPort`. */
export function parseServer(text: string, defaultPort: number): ReceiverSpec {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  const hostPort = /^([^:\s]+):(\d+)$/.exec(trimmed);
  let host = trimmed;
  let port = defaultPort;
  if (bracketed) [host, port] = [bracketed[1]!, bracketed[2] ? Number(bracketed[2]) : defaultPort];
  else if (hostPort) [host, port] = [hostPort[1]!, Number(hostPort[2])];
  else if (/:\d+$/.test(trimmed) && isIP(trimmed) !== 6) throw new InputError(`bad server "${text}"`);
  if (host === '' || /\s/.test(host)) throw new InputError(`bad server "${text}": no host name`);
  const problem = portProblem(port);
  if (problem) throw new InputError(`bad server "${text}": ${problem}`);
  return { host, port, label: trimmed };
}

/** Resolves every receiver; refuses unknown hosts, two names for one endpoint, and a mix of IPv4 and IPv6. */
export async function resolveReceivers(specs: ReceiverSpec[]): Promise<ReceiverEndpoint[]> {
  if (specs.length === 0) throw new InputError('no receivers given');
  const endpoints = await Promise.all(
    specs.map(async (spec, id) => {
      try {
        const { address } = await lookup(spec.host, { verbatim: true });
        return { id, label: spec.label, address, port: spec.port };
      } catch {
        throw new InputError(`unknown host "${spec.host}"`);
      }
    }),
  );
  const seen = new Map<string, string>();
  for (const ep of endpoints) {
    const key = `${ep.address}:${ep.port}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new InputError(`duplicate server "${ep.label}" (same as "${earlier}": ${key})`);
    seen.set(key, ep.label);
  }
  const families = new Set(endpoints.map((ep) => isIP(ep.address)));
  if (families.size > 1) throw new InputError('receivers mix IPv4 and IPv6 addresses; use one family');
  return endpoints;
}
