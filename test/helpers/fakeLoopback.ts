// A loopback that has only some addresses, as macOS has only 127.0.0.1: the probe binds those for real and
// refuses every other address the way the OS does there, so the fallback runs on a Linux machine too.
import { bindProbe, type BindProbe } from '../../src/shared/node/loopback.js';

export function loopbackWith(...local: string[]): BindProbe {
  return (address) =>
    local.includes(address)
      ? bindProbe(address)
      : Promise.reject(Object.assign(new Error(`bind EADDRNOTAVAIL ${address}`), { code: 'EADDRNOTAVAIL' }));
}

/** The loopback of macOS. */
export const onlyLocalhost = loopbackWith('127.0.0.1');
