import { describe, expect, it } from 'vitest';
import { IdTable } from '../../src/shared/session/idTable.js';

describe('IdTable: ids found where they sit in a datagram', () => {
  it('finds an id at any offset, by all its bytes, even when ids share the bits that pick a bucket', () => {
    const table = new IdTable<string>();
    const a = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    // The same first 30 bits (one bucket), another last byte; and the same bucket bits but for the two lowest.
    const b = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 9);
    const c = Uint8Array.of(1, 2, 3, 7, 5, 6, 7, 8);
    table.add(a, 'a');
    table.add(b, 'b');
    table.add(c, 'c');
    expect(table.size).toBe(3);
    const datagram = new Uint8Array(30);
    for (const [id, value] of [
      [a, 'a'],
      [b, 'b'],
      [c, 'c'],
    ] as const) {
      datagram.set(id, 22);
      expect(table.find(datagram, 22)).toBe(value);
    }
    datagram.set(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 10), 22);
    expect(table.find(datagram, 22)).toBeUndefined();
    datagram.fill(0xff, 22);
    expect(table.find(datagram, 22)).toBeUndefined();
  });

  it('keeps its own copy of an id, lists values oldest first, and deletes by value', () => {
    const table = new IdTable<number>();
    const ids = Array.from({ length: 5 }, (_, i) => Uint8Array.of(i * 40, i, 0, 0, 9));
    ids.forEach((id, i) => table.add(id, i));
    ids[0]!.fill(0); // the caller's bytes change: the table's do not
    expect(table.find(Uint8Array.of(0, 0, 0, 0, 9), 0)).toBe(0);
    expect([...table.values()]).toEqual([0, 1, 2, 3, 4]);
    table.delete(2);
    table.delete(0);
    expect(table.size).toBe(3);
    expect([...table.values()]).toEqual([1, 3, 4]);
    expect(table.find(Uint8Array.of(80, 2, 0, 0, 9), 0)).toBeUndefined();
    table.delete(7); // not there: nothing happens
    expect(table.size).toBe(3);
  });
});
