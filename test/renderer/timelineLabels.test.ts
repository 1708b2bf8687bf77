// The diagram's words that must tell things apart: lane names cut to their room keep what differs between lanes
// (30 receivers on 127.0.0.x read "127.…" on every lane before), and the time column never writes one time twice
// (loopback rounds a fraction of a millisecond apart read "1.899 s" three times before).
import { describe, expect, it } from 'vitest';
import { axisTicks } from '../../src/renderer/timeline/axis';
import { laneHeader, receiverNames } from '../../src/renderer/timeline/laneNames';
import { formatTime, type RoundMark } from '../../src/renderer/timeline/layout';

/** A fixed advance per character, as the SVG tests measure. */
const width = (text: string): number => text.length * 6;
/** Every lane the same room per row, px. */
const rooms = (px: number) => (_lane: number, rows: number) => rows * px;

describe('lane names', () => {
  const thirty = Array.from({ length: 30 }, (_, i) => `127.0.0.${i + 2}:7735`);

  it('keeps the end of an address, dropping the start every receiver shares', () => {
    const header = laneHeader(thirty, rooms(30), width);
    expect(header.rows).toBe(1);
    expect(header.names.slice(0, 3)).toEqual(['Send…', '…0.2', '…0.3']);
    expect(header.names[11]).toBe('…0.12');
    expect(new Set(header.names).size).toBe(31);
  });

  it("names receivers as their lanes do (the state line): a port they all share said once, by the sender's lane", () => {
    expect(receiverNames(thirty.slice(0, 2))).toEqual(['127.0.0.2', '127.0.0.3']);
    // Ports that differ tell the receivers apart; a lone receiver keeps its own.
    expect(receiverNames(['127.0.0.2:7735', '127.0.0.2:7736'])).toEqual(['127.0.0.2:7735', '127.0.0.2:7736']);
    expect(receiverNames(['127.0.0.2:7735'])).toEqual(['127.0.0.2:7735']);
  });

  it('writes the whole name where it fits, and only the part that differs where little fits', () => {
    expect(laneHeader(thirty.slice(0, 2), rooms(120), width).names).toEqual([
      'Sender → 7735',
      '127.0.0.2',
      '127.0.0.3',
    ]);
    // In a bold face an ellipsis is about two digits wide.
    const bold = (text: string): number => width(text) + (text.includes('…') ? 6 : 0);
    expect(laneHeader(thirty, rooms(18), bold).names.slice(10, 12)).toEqual(['.11', '.12']);
    expect(laneHeader(thirty, rooms(12), width).names.slice(1, 12)).toEqual([
      '…2',
      '…3',
      '…4',
      '…5',
      '…6',
      '…7',
      '…8',
      '…9',
      '10',
      '11',
      '12',
    ]);
  });

  it('puts the names in two rows when even the part that differs does not fit in one', () => {
    const header = laneHeader(thirty, rooms(10), width);
    expect(header.rows).toBe(2);
    expect(header.names.slice(9, 12)).toEqual(['…10', '…11', '…12']);
  });

  it('never gives two lanes the same name, even where nothing that tells them apart fits', () => {
    // 64 receivers on an 800-px window: a lane is about 10 px wide.
    const twoNets = Array.from({ length: 64 }, (_, i) => `10.0.${i % 2}.${Math.floor(i / 2) + 10}`);
    const header = laneHeader(twoNets, rooms(10), width);
    expect(header.rows).toBe(2);
    expect(new Set(header.names).size).toBe(65);
    // "…10" would be two lanes: each keeps the number before it too.
    expect(header.names.slice(1, 4)).toEqual(['0.10', '1.10', '0.11']);
    const lab = Array.from({ length: 64 }, (_, i) => `lab-pc-${i + 1}.example.edu`);
    expect(new Set(laneHeader(lab, rooms(6), width).names).size).toBe(65);
  });

  it("tells apart Compare's lanes, whose addresses differ only in the last number", () => {
    const compare = ['127.0.11.2:40000', '127.0.11.3:40000', '127.0.11.4:40000'];
    expect(laneHeader(compare, rooms(40), width).names).toEqual(['Sender', '…11.2', '…11.3', '…11.4']);
  });

  it('keeps the start of a name, and the end where the start is what every name shares', () => {
    expect(laneHeader(['Alice laptop', 'Bob laptop'], rooms(36), width).names).toEqual([
      'Sender',
      'Alice…',
      'Bob l…',
    ]);
    expect(laneHeader(['Lab PC 9', 'Lab PC 10'], rooms(36), width).names).toEqual([
      'Sender',
      'Lab…9',
      'Lab…10',
    ]);
    expect(laneHeader(['lab-pc-01', 'lab-pc-02'], rooms(36), width).names).toEqual([
      'Sender',
      'lab…01',
      'lab…02',
    ]);
    expect(laneHeader(['Lab PC 9'], rooms(30), width).names).toEqual(['Send…', 'Lab…']);
  });
});

describe('time column', () => {
  const at = (...ts: number[]) => ts.map((t, i) => ({ t, shown: t, y: 100 + i * 100 }));
  const texts = (rounds: RoundMark[], room = 66): string[] =>
    axisTicks(rounds, 30, 600, 16, room, width).map((tick) => tick.text);

  it('writes real times, to the precision of the time drawn between them (long waits drawn short)', () => {
    // Step mode: rounds 2.5 s apart on the clock, drawn 200 ms apart (squeeze.ts).
    const rounds = [10_369.2, 12_871.4, 15_400.3].map((t, i) => ({
      t,
      shown: 10_369.2 + i * 200,
      y: 100 + i * 100,
    }));
    expect(texts(rounds)).toEqual(['10.37 s', '12.87 s', '15.40 s']);
    // Drawn to scale they would read to a tenth of a second only.
    expect(texts(rounds.map((r) => ({ ...r, shown: r.t })))).toEqual(['10.4 s', '12.9 s', '15.4 s']);
  });

  it('writes rounds a fraction of a millisecond apart to a tenth of one', () => {
    expect(texts(at(1899.1, 1899.4, 1899.7))).toEqual(['1.8991 s', '1.8994 s', '1.8997 s']);
    expect(texts(at(677.8, 678.0, 678.1))).toEqual(['677.8 ms', '678.0 ms', '678.1 ms']);
  });

  it('never writes one time twice: where the finer label does not fit, the round that reads the same is left out', () => {
    expect(texts(at(17_958.2, 17_958.4), 66)).toEqual(['17.9582 s', '17.9584 s']);
    expect(texts(at(17_958.2, 17_958.4), 50)).toEqual(['17.958 s']);
  });

  it('writes rounds far apart with no more decimals than their spacing needs', () => {
    expect(texts(at(19_010, 20_010, 21_010))).toEqual(['19.0 s', '20.0 s', '21.0 s']);
    expect(texts(at(19_010, 19_260, 19_510))).toEqual(['19.01 s', '19.26 s', '19.51 s']);
    expect(texts(at(125_120.4))).toEqual(['2:05.120']);
  });

  it('rounds before choosing the unit, so no time reads "1000.0 ms" or "0:60.000"', () => {
    expect(formatTime(999.96)).toBe('1.000 s');
    expect(formatTime(59_999.7)).toBe('1:00.000');
    expect(formatTime(1899.12, 0.1)).toBe('1.8991 s');
    expect(formatTime(125_120.4, 0.1)).toBe('2:05.1204');
    expect(formatTime(19_010, 100)).toBe('19.0 s');
  });
});
