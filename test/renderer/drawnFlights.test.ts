// A step waits for the diagrams of its pace to land their packets (src/renderer/timeline/drawnFlights.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  afterLanding,
  ASKED_MS,
  drawnInAir,
  dropStep,
  isQueued,
  onQueued,
} from '../../src/renderer/timeline/drawnFlights';

describe('a step and the packets drawn in the air', () => {
  it('goes at once when nothing is drawn in the air', () => {
    const steps: string[] = [];
    afterLanding('demo', () => steps.push('now'));
    expect(steps).toEqual(['now']);
  });

  it("waits for every diagram of its pace (Compare's three lanes), once, and for no other pace's", () => {
    const lanes = [Symbol('lane 1'), Symbol('lane 2'), Symbol('lane 3')];
    const demo = Symbol('demo');
    for (const lane of lanes) drawnInAir('compare', lane, true);
    drawnInAir('demo', demo, true);
    const steps: string[] = [];
    afterLanding('compare', () => steps.push('first'));
    // A second press meanwhile asks for no more than one round.
    afterLanding('compare', () => steps.push('second'));
    drawnInAir('compare', lanes[0]!, false);
    drawnInAir('compare', lanes[1]!, false);
    expect(steps).toEqual([]);
    drawnInAir('compare', lanes[2]!, false);
    expect(steps).toEqual(['second']);
    // Landing again later runs nothing more.
    drawnInAir('compare', lanes[0]!, true);
    drawnInAir('compare', lanes[0]!, false);
    expect(steps).toEqual(['second']);
    // The demo's diagram still flies: its steps wait; a diagram that goes away lands its step.
    afterLanding('demo', () => steps.push('demo'));
    expect(steps).toEqual(['second']);
    drawnInAir('demo', demo, false);
    expect(steps).toEqual(['second', 'demo']);
  });
});

describe('a step pressed again before its round is drawn', () => {
  afterEach(() => void vi.useRealTimers());

  it('waits for that round to be drawn and to land (two presses 16 ms apart flew two rounds at once)', () => {
    vi.useFakeTimers();
    const diagram = Symbol('send');
    const steps: string[] = [];
    afterLanding('send', () => steps.push('first'));
    // Its events have not come yet: nothing drawn in the air.
    afterLanding('send', () => steps.push('second'));
    expect(steps).toEqual(['first']);
    drawnInAir('send', diagram, true);
    drawnInAir('send', diagram, false);
    expect(steps).toEqual(['first', 'second']);
    // No diagram ever draws it (reduced motion): the next press goes after ASKED_MS.
    afterLanding('send', () => steps.push('third'));
    vi.advanceTimersByTime(ASKED_MS - 1);
    expect(steps).toEqual(['first', 'second']);
    vi.advanceTimersByTime(1);
    expect(steps).toEqual(['first', 'second', 'third']);
    vi.advanceTimersByTime(ASKED_MS);
    afterLanding('send', () => steps.push('fourth'));
    expect(steps).toEqual(['first', 'second', 'third', 'fourth']);
  });
});

describe('a press the class can see was taken', () => {
  it('says a step is queued while it waits, and no longer once it goes', () => {
    const diagram = Symbol('demo');
    const heard: boolean[] = [];
    const stop = onQueued(() => heard.push(isQueued('demo')));
    drawnInAir('demo', diagram, true);
    const steps: string[] = [];
    afterLanding('demo', () => steps.push('first'));
    // A second press while it waits changes nothing anyone sees.
    afterLanding('demo', () => steps.push('second'));
    expect(isQueued('demo')).toBe(true);
    expect(isQueued('send')).toBe(false);
    drawnInAir('demo', diagram, false);
    expect(steps).toEqual(['second']);
    expect(isQueued('demo')).toBe(false);
    expect(heard).toEqual([true, false]);
    stop();
  });

  it('forgets a waiting step when the pace changes: back in step mode, nothing goes that was not asked for again', () => {
    vi.useFakeTimers();
    const diagram = Symbol('send');
    drawnInAir('send', diagram, true);
    const steps: string[] = [];
    afterLanding('send', () => steps.push('asked in step mode'));
    dropStep('send');
    expect(isQueued('send')).toBe(false);
    drawnInAir('send', diagram, false);
    vi.advanceTimersByTime(ASKED_MS);
    expect(steps).toEqual([]);
    vi.useRealTimers();
  });
});
