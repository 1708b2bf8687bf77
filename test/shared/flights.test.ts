// Packets in flight on a virtual clock: each lands after its flight unless lost while flying; a loss names one
// datagram (direction and sequence number, the earliest of its copies) and comes too late once it has landed.
import { describe, expect, it } from 'vitest';
import {
  createFlights,
  demoClockRate,
  demoFlightMs,
  flightMsOf,
  STEP_FLIGHT_MS,
} from '../../src/shared/network/flights.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import { slowClock } from '../../src/shared/engine/slowClock.js';

describe('packets in flight', () => {
  it('lands each packet after its flight, except the one lost while it flew', () => {
    const clock = virtualClock();
    const landed: string[] = [];
    const flights = createFlights<string>(clock, (item, direction) => landed.push(`${item} ${direction}`));
    flights.launch('forward', 3, 'chunk 3 to r1', 100);
    flights.launch('forward', 3, 'chunk 3 to r1 (copy)', 100);
    flights.launch('backward', 3, 'ACK 3 from r1', 100);
    flights.launch('forward', null, 'unreadable', 100);
    clock.advance(50);
    expect(flights.size).toBe(4);
    // The earliest copy of chunk 3 is lost; the same number the other way is another datagram.
    expect(flights.lose('forward', 3)).toBe('chunk 3 to r1');
    expect(flights.lose('forward', 4)).toBeNull();
    clock.advance(49);
    expect(landed).toEqual([]);
    clock.advance(1);
    expect(landed).toEqual(['chunk 3 to r1 (copy) forward', 'ACK 3 from r1 backward', 'unreadable forward']);
    expect(flights.size).toBe(0);
    // Landed: too late to lose.
    expect(flights.lose('backward', 3)).toBeNull();
  });

  it('lands nothing once cleared', () => {
    const clock = virtualClock();
    const landed: string[] = [];
    const flights = createFlights<string>(clock, (item) => landed.push(item));
    flights.launch('forward', 1, 'a', 10);
    flights.clear();
    clock.advance(100);
    expect(landed).toEqual([]);
    expect(flights.size).toBe(0);
  });

  it('at a teaching pace a flight on the demo clock lasts as long on the wall as the diagram draws it', () => {
    const wall = virtualClock();
    const timeoutMs = 100;
    const step = { kind: 'step' } as const;
    const clock = slowClock(wall, demoClockRate(step, timeoutMs));
    const landed: number[] = [];
    const flights = createFlights<null>(clock, () => landed.push(wall.now()));
    expect(demoFlightMs(step, timeoutMs)).toBe(20);
    flights.launch('forward', 1, null, demoFlightMs(step, timeoutMs));
    wall.advance(STEP_FLIGHT_MS);
    expect(landed).toEqual([STEP_FLIGHT_MS]);
    expect(flightMsOf({ kind: 'slow', roundsPerSecond: 1 })).toBeCloseTo(1000 / 3);
    expect(demoClockRate({ kind: 'full' }, timeoutMs)).toBe(1);
    // A long timeout: the flight is the wall's, at the wall's pace.
    expect(demoFlightMs(step, 10_000)).toBe(STEP_FLIGHT_MS);
    expect(demoClockRate(step, 10_000)).toBe(1);
    expect(flightMsOf({ kind: 'full' })).toBe(0);
  });
});
