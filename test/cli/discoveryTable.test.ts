// What p2mpclient --discover suggests: a command line per kind of free receiver, each with the options that kind
// needs, so that pasting it works.
import { describe, expect, it } from 'vitest';
import { discoveryTable, terminalWidth } from '../../src/cli/discover.js';
import type { DiscoveredReceiver } from '../../src/shared/discovery/roster.js';

const receiver = (n: number, more: Partial<DiscoveredReceiver> = {}): DiscoveredReceiver => ({
  id: `id-${n}`,
  name: `pc-${n}`,
  address: `127.0.0.${n}`,
  addresses: [`127.0.0.${n}`],
  port: 7735,
  profile: 'standard',
  code: false,
  busy: false,
  seenAt: 0,
  source: `127.0.0.${n}`,
  ...more,
});

const commands = (found: DiscoveredReceiver[]): string[] =>
  discoveryTable(found, 2000)
    .split('\n')
    .filter((line) => line.startsWith('To send'));

describe('the commands --discover prints', () => {
  it('one per kind, each with the options it needs (--code, --profile), the course profile without a code first', () => {
    expect(
      commands([
        receiver(2),
        receiver(3, { profile: 'seed-text' }),
        receiver(4, { code: true }),
        receiver(5, { port: 7736 }),
        receiver(6, { busy: true }),
      ]),
    ).toEqual([
      'To send to the free ones: p2mpclient 127.0.0.2 127.0.0.5:7736 7735 FILE MSS',
      'To send to the free ones that need a session code (the one they show): p2mpclient 127.0.0.4 7735 FILE MSS --code CODE',
      'To send to the free ones speaking seed-text: p2mpclient 127.0.0.3 7735 FILE MSS --profile seed-text',
    ]);
  });

  it('a lone receiver that needs a code still gets its command; busy ones none', () => {
    expect(commands([receiver(4, { code: true })])).toEqual([
      'To send to the free ones that need a session code (the one they show): p2mpclient 127.0.0.4 7735 FILE MSS --code CODE',
    ]);
    expect(commands([receiver(6, { busy: true })])).toEqual([]);
  });

  it('names an address and port once, however many entries name it', () => {
    expect(commands([receiver(5), receiver(5, { id: 'id-again', name: 'other' }), receiver(6)])).toEqual([
      'To send to the free ones: p2mpclient 127.0.0.5 127.0.0.6 7735 FILE MSS',
    ]);
  });

  // A lab review named a receiver "教室 PC 1": its row's ADDRESS began two columns right of the others', as each
  // cell was padded by its length, where a terminal draws a CJK character two columns wide.
  it('lines the columns up in a terminal whatever the names: wide characters, combining accents', () => {
    const table = discoveryTable(
      [
        receiver(9, { name: '教室 PC 1' }),
        receiver(10, { name: 'PC 2' }),
        receiver(11, { name: 'Cafe\u0301 3' }),
      ],
      2000,
    ).split('\n');
    const addressColumn = (line: string): number => terminalWidth(line.slice(0, line.indexOf('127.0.0.')));
    const rows = table.filter((line) => line.includes('  127.0.0.'));
    expect(rows).toHaveLength(3);
    expect(rows.map(addressColumn)).toEqual([11, 11, 11]);
    expect(terminalWidth(table[1]!.slice(0, table[1]!.indexOf('ADDRESS')))).toBe(11);
  });
});
