// Many receivers at once, as a lab admin types or pastes them: separated by commas, spaces or new lines, with
// ranges of the last IPv4 byte ("10.0.0.10-40", "127.0.0.2-9:7736") and "#" comments (a file of hosts). Pure, so
// the app's list editor, p2mpclient's arguments and its --hosts file read them the same way.

/** More than a lab ever needs, and a bound on what one line can expand to. */
export const MAX_LISTED_RECEIVERS = 1024;

const RANGE = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})-(\d{1,3})(:\d{1,5})?$/;

/** The entries of a list, each "host" or "host:port" (checked later by parseServer), or the problem. */
export function expandReceiverList(text: string): string[] | string {
  const words = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    // A range typed with spaces around its dash, or with a word processor's dash: "10.0.0.10 – 40".
    .replace(/(\d)\s*[-\u2010-\u2015]\s*(?=\d)/g, '$1-')
    .split(/[\s,;]+/)
    .filter((word) => word !== '');
  const entries: string[] = [];
  for (const word of words) {
    const range = RANGE.exec(word);
    if (!range) {
      entries.push(word);
    } else {
      const [, prefix, fromText, toText, port = ''] = range;
      const from = Number(fromText);
      const to = Number(toText);
      if (from > to || to > 255)
        return `"${word}" is not a range: write first-last with first <= last <= 255`;
      for (let last = from; last <= to; last++) entries.push(`${prefix}${last}${port}`);
    }
    if (entries.length > MAX_LISTED_RECEIVERS)
      return `more than ${MAX_LISTED_RECEIVERS} receivers in one list`;
  }
  return entries;
}
