// Turning what the user typed into UDP endpoints: "host", "host:port" or "[v6]:port", resolved and de-duplicated.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InputError } from '../errors.js';
import type { ReceiverEndpoint } from '../events.js';
import { parseServer as parseServerText, type ServerAddress } from '../limits.js';
import { broadcastAddress, ipv4Interfaces } from './discovery.js';

export type ReceiverSpec = ServerAddress;

/** Parses "host", "host:port" or "[v6addr]:port"; a bare host takes `defaultPort`. */
export function parseServer(text: string, defaultPort: number): ReceiverSpec {
  const parsed = parseServerText(text, defaultPort);
  if (typeof parsed === 'string') throw new InputError(`bad server "${text}": ${parsed}`);
  return parsed;
}

/** Resolves every receiver; refuses unknown hosts, two names for one endpoint, and a mix of IPv4 and IPv6. */
export async function resolveReceivers(specs: ReceiverSpec[]): Promise<ReceiverEndpoint[]> {
  if (specs.length === 0) throw new InputError('no receivers given');
  const endpoints = await Promise.all(
    specs.map(async (spec, id) => {
      // An address needs no lookup (and no trip through libuv's thread pool).
      if (isIP(spec.host)) return { id, label: spec.label, address: spec.host, port: spec.port };
      try {
        const { address } = await lookup(spec.host, { verbatim: true });
        return { id, label: spec.label, address, port: spec.port };
      } catch {
        throw new InputError(`unknown host "${spec.host}"`);
      }
    }),
  );
  for (const ep of endpoints) {
    // One machine per receiver: each has its own ACKs and its own retransmissions, which a group has not.
    const first = Number(ep.address.split('.')[0]);
    if (ep.address === '255.255.255.255' || (isIP(ep.address) === 4 && first >= 224 && first <= 239))
      throw new InputError(
        `"${ep.label}" is a ${first >= 240 ? 'broadcast' : 'multicast'} address: name each receiver (p2mpclient --discover lists them)`,
      );
    // The broadcast address of a network of this machine (a range such as 10.0.0.0-255 holds it): every machine
    // there would get the data, and none answers from that address. /31 and /32 have none.
    const network = ipv4Interfaces().find(
      (iface) => broadcastAddress(iface) === ep.address && broadcastAddress(iface) !== iface.address,
    );
    if (network)
      throw new InputError(
        `"${ep.label}" is the broadcast address of this machine's network ${network.address}/${network.netmask}: ` +
          'name each receiver (p2mpclient --discover lists them)',
      );
  }
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
