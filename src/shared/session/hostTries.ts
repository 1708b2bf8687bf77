// Reporting a host once per try: a sender that gets nothing repeats itself every T, and a user wants one line per
// attempt, not one per datagram, nor one for the receiver's whole life.

/**
 * Whether a datagram from `host` at `now` starts a new try: the host's first, or its first after `quietMs`
 * without any. Bounded to `max` hosts: past them, new ones are never reported (a flood of sources is reported in
 * part), or, with `evict`, the host heard from least recently is forgotten if it has been quiet for quietMs.
 */
export function hostTries(
  quietMs: number,
  max: number,
  evict = false,
): (host: string, now: number) => boolean {
  const lastSeen = new Map<string, number>();
  return (host, now) => {
    const last = lastSeen.get(host);
    if (last === undefined && lastSeen.size >= max) {
      // Only a host quiet for quietMs is forgotten: one still asking keeps its place (else more than `max`
      // hosts asking at once would push each other out and each be reported again and again).
      const [oldest, at] = lastSeen.entries().next().value!;
      if (!evict || now - at < quietMs) return false;
      lastSeen.delete(oldest);
    }
    // Kept in the order last heard from: the first is the one to forget.
    lastSeen.delete(host);
    lastSeen.set(host, now);
    return last === undefined || now - last >= quietMs;
  };
}
