// p2mpclient --discover: list the receivers announcing themselves on the local network, then exit. Also the
// shared options of discovery on both CLIs (--discovery-port), and the announcement of p2mpserver --announce.
import { hostname } from 'node:os';
import { DISCOVERY_GROUP, DISCOVERY_PORT } from '../shared/discovery/message.js';
import { compareAddresses, type DiscoveredReceiver } from '../shared/discovery/roster.js';
import { InputError } from '../shared/errors.js';
import { discover, ipv4Interfaces, type DiscoveryOptions } from '../shared/node/discovery.js';
import { EXIT_FAILED, EXIT_OK, integer, seconds } from './cli.js';

export const DISCOVERY_OPTIONS = {
  'discovery-port': { type: 'string' },
  'discovery-interface': { type: 'string' },
} as const;

export const DISCOVERY_HELP = `  --discovery-port N     UDP port of discovery (default ${DISCOVERY_PORT}), multicast group ${DISCOVERY_GROUP}
  --discovery-interface ADDR  discover only through the interface with this IPv4 address (default: all)`;

interface DiscoveryValues {
  'discovery-port'?: string | undefined;
  'discovery-interface'?: string | undefined;
}

/** Where discovery runs: the port, and every IPv4 interface or the one the user named. */
export function discoveryOptions(values: DiscoveryValues): DiscoveryOptions {
  const text = values['discovery-port'];
  const port = text === undefined ? DISCOVERY_PORT : integer(text, '--discovery-port', 1, 65_535);
  const wanted = values['discovery-interface'];
  if (wanted === undefined) return { port };
  const iface = ipv4Interfaces().find((i) => i.address === wanted);
  if (!iface)
    throw new InputError(`--discovery-interface: no IPv4 interface of this machine has address ${wanted}`);
  return { port, interfaces: [iface] };
}

/** A receiver's display name: --name, else this machine's host name. */
export const receiverName = (text: string | undefined): string => text ?? hostname();

/**
 * The command lines that send to the free receivers: one per kind, as each needs its own options (the seed-text
 * profile, the session code they show), ours in the course's profile without a code first.
 */
function sendCommands(free: DiscoveredReceiver[]): string[] {
  const kinds = new Map<string, DiscoveredReceiver[]>();
  for (const r of [...free].sort((a, b) => compareAddresses(a.address, b.address))) {
    const kind = `${r.profile === 'standard' ? '' : ` --profile ${r.profile}`}${r.code ? ' --code CODE' : ''}`;
    kinds.set(kind, [...(kinds.get(kind) ?? []), r]);
  }
  const lines = [...kinds]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([options, group]) => {
      const ports = group.map((r) => r.port);
      // The port most of them share goes last; the others are named with theirs.
      const port = [...ports].sort(
        (a, b) => ports.filter((p) => p === b).length - ports.filter((p) => p === a).length,
      )[0];
      // Two entries naming one address and port (a receiver started again under a new id, or one forged): once.
      const hosts = [...new Set(group.map((r) => (r.port === port ? r.address : `${r.address}:${r.port}`)))];
      const which = [
        group[0]!.profile === 'standard' ? '' : ` speaking ${group[0]!.profile}`,
        group[0]!.code ? ' that need a session code (the one they show)' : '',
      ].join('');
      return `To send to the free ones${which}: p2mpclient ${hosts.join(' ')} ${port} FILE MSS${options}`;
    });
  return lines.length > 0 ? ['', ...lines] : [];
}

/** East Asian wide and fullwidth characters, and emoji: two columns of a terminal each. */
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

/** How many terminal columns a name takes: a host name may be "教室-PC-07", or end in a combining accent. */
export function terminalWidth(text: string): number {
  let width = 0;
  for (const ch of text) if (!/\p{M}/u.test(ch)) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** The list as a table, and the command lines that send to the free receivers. */
export function discoveryTable(found: DiscoveredReceiver[], waitMs: number): string {
  const within = `within ${waitMs / 1000} s`;
  if (found.length === 0)
    return `No receivers answered ${within} (start them with p2mpserver ... --announce or the app's Receive mode, on this network)`;
  const rows = [['NAME', 'ADDRESS', 'PORT', 'PROFILE', 'CODE', 'STATE']].concat(
    found.map((r) => [
      r.name,
      r.address,
      String(r.port),
      r.profile,
      r.code ? 'yes' : 'no',
      r.busy ? 'busy' : 'free',
    ]),
  );
  // Padded to the columns a terminal draws, not to the string's length: a wide name would shift its row.
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => terminalWidth(row[i]!))));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell + ' '.repeat(widths[i]! - terminalWidth(cell)))
      .join('  ')
      .trimEnd(),
  );
  return [
    `${found.length} receiver${found.length === 1 ? '' : 's'} answered ${within}:`,
    ...lines,
    ...sendCommands(found.filter((r) => !r.busy)),
  ].join('\n');
}

export async function runDiscover(
  values: DiscoveryValues & { wait?: string | undefined; json?: boolean | undefined },
): Promise<number> {
  const waitMs = seconds(values.wait, 'wait', 2000, 100);
  const found = await discover({ waitMs, ...discoveryOptions(values) });
  process.stdout.write(
    `${values.json ? JSON.stringify(found.map(({ seenAt: _, source: __, ...r }) => r)) : discoveryTable(found, waitMs)}\n`,
  );
  return found.length > 0 ? EXIT_OK : EXIT_FAILED;
}
