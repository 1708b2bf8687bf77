// This machine's addresses, for the Receive view to show large and copyable, so a teacher can read them out to a
// class. The LAN addresses first (IPv4, then IPv6), loopback last; link-local IPv6 left out (useless to type).
import type { NetworkInterfaceInfo } from 'node:os';
import type { LocalAddress } from '../contract.js';

export function localAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): LocalAddress[] {
  const all: LocalAddress[] = [];
  for (const [name, infos] of Object.entries(interfaces))
    for (const info of infos ?? []) {
      if (info.family === 'IPv6' && info.address.toLowerCase().startsWith('fe80:')) continue;
      all.push({
        address: info.address,
        family: info.family === 'IPv4' ? 4 : 6,
        interface: name,
        internal: info.internal,
      });
    }
  const rank = (a: LocalAddress): number => (a.internal ? 2 : 0) + (a.family === 6 ? 1 : 0);
  return all.sort((a, b) => rank(a) - rank(b));
}
