// Reporting a host once per try: a sender that gets nothing repeats itself every T, and a user wants one line per
// attempt, not one per datagram, nor one for the receiver's whole life.

/**
 * Whether a datagram from `host` at `now` starts a new try: the host's first, or its first after `quietMs`
 * without any. Bounded: past `max` hosts, new ones are never reported (a flood of sources is reported in part).
 */
export function hostTries(quietMs: number, max: number): (host: string, now: number) => boolean {
  const lastSeen = new Map<string, number>();
  return (host, now) => {
    const last = lastSeen.get(host);
    if (last === undefined && lastSeen.size >= max) return false;
    lastSeen.set(host, now);
    return last === undefined || now - last >= quietMs;
  };
}
