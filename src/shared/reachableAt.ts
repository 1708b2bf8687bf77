// Where senders reach a receiver, from this machine's addresses (node/localAddresses.ts lists them) and the
// address it is bound to: what Receive mode shows large to read out to a class, and p2mpserver prints.
import type { LocalAddress } from './contract.js';

/** IPv6's unspecified address however spelled ("::", "0:0:0:0:0:0:0:0", "::0"): every address, both families. */
const isUnspecified6 = (bound: string): boolean => bound.includes(':') && /^[0:]+$/.test(bound);
/** Bound to one of these, a receiver listens on every address (0.0.0.0: IPv4's only). */
const isAny = (bound: string): boolean => bound === '' || bound === '0.0.0.0' || isUnspecified6(bound);

export interface Reachable {
  /** The addresses to give senders: LAN ones (loopback only when there is nothing else), or the bind address. */
  shown: LocalAddress[];
  /** Bound to every address (0.0.0.0, ::), not to one. */
  any: boolean;
  /** Bound to one address, and it is this machine's (any 127.x is, on loopback). */
  ours: boolean;
}

export function reachableAt(addresses: readonly LocalAddress[], bind: string): Reachable {
  const bound = bind.trim();
  const any = isAny(bound);
  // Bound to 0.0.0.0 (the default), a receiver listens on IPv4 only (as it announces itself): an IPv6 address
  // shown there reaches nothing. Bound to ::, it takes both.
  const reachable = addresses.filter((a) => isUnspecified6(bound) || a.family === 4);
  const lan = reachable.filter((a) => !a.internal);
  // A bind address is shown only where it is one of this machine's: a typo must never sit there large and
  // copyable for a class to write down.
  const ours =
    !any && (/^127\./.test(bound) || bound === '::1' || addresses.some((a) => a.address === bound));
  const single: LocalAddress = {
    address: bound,
    family: bound.includes(':') ? 6 : 4,
    interface: 'bind address',
    internal: false,
  };
  const shown = !any ? (ours ? [single] : []) : lan.length > 0 ? lan : reachable;
  return { shown, any, ours };
}

/** An address and port as a sender types it: "192.168.1.23:7735", "[fd00::2]:7735". */
export const endpointText = (a: Pick<LocalAddress, 'address' | 'family'>, port: number): string =>
  a.family === 6 ? `[${a.address}]:${port}` : `${a.address}:${port}`;
