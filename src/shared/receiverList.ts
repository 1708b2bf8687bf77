// Many receivers at once, as a lab admin types or pastes them: separated by commas, spaces or new lines, with
// ranges of the last IPv4 byte ("10.0.0.10-40", "127.0.0.2-9:7736") and "#" comments (a file of hosts). Pure, so
// the app's list editor, p2mpclient's arguments and its --hosts file read them the same way.

/** More than a lab ever needs, and a bound on what one line can expand to. */
export const MAX_LISTED_RECEIVERS = 1024;

const RANGE = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})-(\d{1,3})(:\d{1,5})?$/;

/** A line without its comment, a range typed with spaces around its dash or a word processor's ("10.0.0.10 – 40") joined. */
const cleanLine = (line: string): string =>
  line.replace(/#.*$/, '').replace(/(\d)\s*[-\u2010-\u2015]\s*(?=\d)/g, '$1-');

const SEPARATORS = /[\s,;]+/;

/** The entries of a list, each "host" or "host:port" (checked later by parseServer), or the problem. */
export function expandReceiverList(text: string): string[] | string {
  const words = text
    .split(/\r?\n/)
    .map(cleanLine)
    .join(' ')
    .split(SEPARATORS)
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

/** A host name alone: a letter in it, and no port, range or IPv6 address's colons. */
const isHostName = (word: string): boolean =>
  /[a-z]/i.test(word) && !word.includes(':') && !word.includes('[');

/** "pc-3:7736", "[::1]:7736": a port given (a bare IPv6 address has colons, and none). */
const HAS_PORT = /^(\[[^\]]*\]|[^:]+):\d+$/;

/**
 * A host name without a port right after a word with a port, only spaces between them ("pc-3:7736 p"): a slip of
 * the keyboard far more often than a receiver on the default port, so it is asked about, not added. A comma between
 * them ("lab-pc-3:7736, p") says it is meant, and so does an address, a range or an IPv6 address ("pc:7736
 * 10.0.0.10-40": nobody types those by accident). Null when there is none.
 */
export function portlessAfterPort(text: string): { word: string; after: string } | null {
  for (const line of text.split(/\r?\n/))
    for (const part of cleanLine(line).split(/[,;]/)) {
      const words = part.split(/\s+/).filter((word) => word !== '');
      for (let i = 1; i < words.length; i++)
        if (HAS_PORT.test(words[i - 1]!) && isHostName(words[i]!))
          return { word: words[i]!, after: words[i - 1]! };
    }
  return null;
}
