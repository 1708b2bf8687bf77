// Packets in flight. At a teaching pace the diagram animates each packet's flight, and the local demo's relays
// really hold each datagram for that flight (on the demo's slowed clock, see engine/slowClock.ts) and deliver it on
// arrival: a packet drawn in flight is in flight, so a teacher's click can lose exactly that datagram.
import type { Direction } from './impairments.js';
import type { PaceMode } from '../engine/pacer.js';
import type { Timers } from '../engine/timers.js';

/** A packet's flight in step mode, ms on the wall clock: long enough to follow with the eye. */
export const STEP_FLIGHT_MS = 600;

/** How long a packet's flight is drawn (and lasts in the demo's network), wall ms; 0 at full speed. */
export function flightMsOf(mode: PaceMode): number {
  // Slow motion: a third of a round out and a third back, at most a step's flight.
  if (mode.kind === 'slow') return Math.min(STEP_FLIGHT_MS, 1000 / mode.roundsPerSecond / 3);
  return mode.kind === 'step' ? STEP_FLIGHT_MS : 0;
}

/**
 * A flight on the local demo's clock: the wall flight (flightMsOf), but at most a fifth of the retransmission
 * timeout, so a round trip takes at most two fifths of it at every pace and only a loss makes a timer expire.
 */
export function demoFlightMs(mode: PaceMode, timeoutMs: number): number {
  return Math.min(timeoutMs / 5, flightMsOf(mode));
}

/** The demo clock's rate at a pace: its flight (demoFlightMs) lasts flightMsOf(mode) on the wall; 1 at full speed. */
export function demoClockRate(mode: PaceMode, timeoutMs: number): number {
  const wall = flightMsOf(mode);
  return wall > 0 ? demoFlightMs(mode, timeoutMs) / wall : 1;
}

export interface Flights<T> {
  /** Holds `item` for `ms` (on the table's timers), then lands it. */
  launch(direction: Direction, seq: number | null, item: T, ms: number): void;
  /**
   * Loses the datagram carrying `seq` that way while it is in flight (the earliest launched, when copies fly):
   * it never lands. Returns it, or null when none is in flight (it has landed already, or never left).
   */
  lose(direction: Direction, seq: number): T | null;
  readonly size: number;
  /** Forgets every flight: none lands. */
  clear(): void;
}

interface Flying<T> {
  direction: Direction;
  seq: number | null;
  item: T;
  handle: unknown;
}

export function createFlights<T>(timers: Timers, land: (item: T, direction: Direction) => void): Flights<T> {
  let nextId = 0;
  // Insertion order is launch order: the first match is the earliest launched.
  const flying = new Map<number, Flying<T>>();
  return {
    launch(direction, seq, item, ms) {
      const id = ++nextId;
      const handle = timers.setTimeout(() => {
        flying.delete(id);
        land(item, direction);
      }, ms);
      flying.set(id, { direction, seq, item, handle });
    },
    lose(direction, seq) {
      for (const [id, f] of flying)
        if (f.direction === direction && f.seq === seq) {
          timers.clearTimeout(f.handle);
          flying.delete(id);
          return f.item;
        }
      return null;
    },
    get size() {
      return flying.size;
    },
    clear() {
      for (const f of flying.values()) timers.clearTimeout(f.handle);
      flying.clear();
    },
  };
}
