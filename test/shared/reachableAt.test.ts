// Where senders reach a receiver: the addresses Receive mode shows large and p2mpserver prints, for each kind of
// bind address (every address, IPv4's only or both, one of this machine's, a typo).
import { describe, expect, it } from 'vitest';
import type { LocalAddress } from '../../src/shared/contract';
import { reachLine } from '../../src/cli/report';
import { endpointText, reachableAt } from '../../src/shared/reachableAt';

const lan4: LocalAddress = { address: '192.168.1.23', family: 4, interface: 'eth0', internal: false };
const lan6: LocalAddress = { address: 'fd00::23', family: 6, interface: 'eth0', internal: false };
const loop4: LocalAddress = { address: '127.0.0.1', family: 4, interface: 'lo', internal: true };
const loop6: LocalAddress = { address: '::1', family: 6, interface: 'lo', internal: true };
const machine = [lan4, lan6, loop4, loop6];
const shown = (addresses: LocalAddress[], bind: string) =>
  reachableAt(addresses, bind).shown.map((a) => endpointText(a, 7735));

describe('reachableAt', () => {
  it('bound to every address: the LAN ones a sender can use (IPv4 only on 0.0.0.0), loopback when alone', () => {
    expect(shown(machine, '0.0.0.0')).toEqual(['192.168.1.23:7735']);
    expect(shown(machine, '')).toEqual(['192.168.1.23:7735']);
    for (const any6 of ['::', '0:0:0:0:0:0:0:0', '::0'])
      expect(shown(machine, any6), any6).toEqual(['192.168.1.23:7735', '[fd00::23]:7735']);
    expect(shown([loop4, loop6], '0.0.0.0')).toEqual(['127.0.0.1:7735']);
    expect(reachableAt(machine, '0.0.0.0')).toMatchObject({ any: true, ours: false });
  });

  it('bound to one address: that one if it is this machine’s, none for a typo', () => {
    expect(shown(machine, '127.0.0.5')).toEqual(['127.0.0.5:7735']);
    expect(shown(machine, ' 192.168.1.23 ')).toEqual(['192.168.1.23:7735']);
    expect(shown(machine, 'fd00::23')).toEqual(['[fd00::23]:7735']);
    expect(reachableAt(machine, '192.168.1.32')).toEqual({ shown: [], any: false, ours: false });
  });
});

describe("p2mpserver's line", () => {
  it('names what to type, says when only this machine can, and is left out with nothing to give', () => {
    expect(reachLine(reachableAt(machine, '0.0.0.0').shown, 7735)).toBe(
      'Senders reach this machine at 192.168.1.23:7735',
    );
    expect(reachLine(reachableAt([loop4], '0.0.0.0').shown, 7735)).toBe(
      'Senders on this machine reach it at 127.0.0.1:7735 (no network address found)',
    );
    expect(reachLine([], 7735)).toBeNull();
  });
});
