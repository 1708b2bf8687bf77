// The request schemas: their inferred types are the contract's request types and the shapes the engine and the
// services take (checked by the type checker: expectTypeOf, so a schema that drifts fails `tsc`), and what they
// refuse at run time where the wire allows more than JSON (arrays for objects, undefined, Infinity).
import type * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseRequest } from '../../src/main/validate.js';
import type {
  Channel,
  DemoNetwork,
  LabGrid,
  PaceState,
  Profile,
  Req,
  SendRequest,
  Settings,
} from '../../src/shared/contract.js';
import type { StudyId } from '../../src/shared/lab/studies.js';
import { NO_IMPAIRMENTS, type Impairments } from '../../src/shared/network/impairments.js';
import type { PaceMode } from '../../src/shared/engine/pacer.js';
import type { REQUESTS } from '../../src/shared/requests.js';

describe('request types come from the schemas', () => {
  it('Req<C> is the schema of C as valibot infers it', () => {
    expectTypeOf<Req<'send:start'>>().toEqualTypeOf<v.InferOutput<(typeof REQUESTS)['send:start']>>();
    expectTypeOf<SendRequest>().toEqualTypeOf<{
      file: string;
      receivers: string[];
      names?: (string | null)[] | undefined;
      mss: number;
      timeoutMs: number;
      profile: Profile;
      dialect?: string | undefined;
      protocol?: 'saw' | 'gbn' | 'sr' | undefined;
      window?: number | undefined;
      multicast?: boolean | undefined;
      code?: string | undefined;
    }>();
    expectTypeOf<Req<'settings:get'>>().toEqualTypeOf<null>();
  });

  it('the shapes the engine takes: pace modes, impairments, study grids', () => {
    expectTypeOf<PaceState['mode']>().toEqualTypeOf<PaceMode>();
    expectTypeOf<DemoNetwork['forward']>().toEqualTypeOf<Impairments>();
    expectTypeOf<LabGrid>().toEqualTypeOf<Partial<Record<`${StudyId}`, number[]>>>();
  });

  it('a settings patch: any editable field, never the save folder or the lab grid', () => {
    expectTypeOf<Req<'settings:update'>>().toEqualTypeOf<Partial<Omit<Settings, 'saveFolder' | 'labGrid'>>>();
  });
});

describe('payloads main refuses', () => {
  const message = (channel: Channel, payload: unknown): string => {
    try {
      parseRequest(channel, payload);
      return 'accepted';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const imp = { ...NO_IMPAIRMENTS };

  it.each([
    ['file:inspect', ['/etc/passwd'], 'request: expected an object'],
    ['file:inspect', {}, 'request.path: expected text up to 4096'],
    [
      'settings:update',
      { mode: undefined },
      'request.mode: expected one of send, receive, demo, compare, replay, experiments, check',
    ],
    [
      'send:start',
      { file: '/f', receivers: ['a'], mss: Infinity, timeoutMs: 100, profile: 'standard' },
      'request.mss: expected a number',
    ],
    [
      'send:start',
      { file: '/f', receivers: ['a'], mss: 500, timeoutMs: 100, profile: 'standard', dialect: 'seq0,seq1' },
      'request.dialect: unknown dialect "seq1": use standard or a comma-separated list of le, sum-payload, seq0, bytes, ack-next, eof-none, eof-type0, eof-fin',
    ],
    [
      'send:start',
      { file: '/f', receivers: ['a'], mss: 500, timeoutMs: 100, profile: 'standard', multicast: 'false' },
      'request.multicast: expected true/false',
    ],
    [
      'send:start',
      { file: '/f', receivers: ['a'], mss: 500, timeoutMs: 100, profile: 'standard', multicast: 0 },
      'request.multicast: expected true/false',
    ],
    ['settings:update', { multicast: null }, 'request.multicast: expected true/false'],
    [
      'receive:start',
      {
        port: 7735,
        bind: '0.0.0.0',
        p: 0,
        seed: null,
        profile: 'seed-text',
        dialect: 'le',
        announce: false,
        name: null,
        autoAccept: false,
      },
      'request: dialect tokens le and sum-payload apply to the standard profile only (seed-text spells its header in ASCII bits, big-endian, with the checksum over sequence number, type and payload)',
    ],
    [
      'pace:set',
      { source: 'send', pace: { mode: { kind: 'slow' }, paused: false } },
      'request.pace.mode.roundsPerSecond: expected a number',
    ],
    [
      'demo:set-network',
      { forward: { ...imp, toString: 1 }, backward: imp },
      'request.forward.toString: unknown impairment',
    ],
  ] as const)('%s %j', (channel, payload, error) => {
    expect(message(channel, payload)).toBe(error);
  });

  it('returns exactly the fields of the contract (burst copied field by field)', () => {
    const burst = { pGoodToBad: 0.1, pBadToGood: 0.5, lossInBad: 1, lossInGood: 0 };
    const change = parseRequest('demo:set-network', {
      forward: { ...imp, burst: { ...burst, extra: 1 } },
      backward: imp,
    });
    expect(change).toEqual({ forward: { ...imp, burst }, backward: imp });
  });
});
