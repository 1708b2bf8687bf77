// Another dialect is named only on evidence: a run of segments it reads, one sent again, as a real sender does.
import { expect, it } from 'vitest';
import { checksumEvidence } from '../../src/shared/node/checksumEvidence.js';

const le = (seq: number) => ({ dialect: 'le', seq });

it('a stop-and-wait sender sending segment 1 again is named at its third copy', () => {
  const evidence = checksumEvidence(64);
  expect([1, 1, 1, 1].map((seq) => evidence('a', le(seq)))).toEqual([false, false, true, true]);
});

it('a Go-Back-N window is named once it comes round again', () => {
  const evidence = checksumEvidence(64);
  const said = [1, 2, 3, 4, 5, 6, 7, 8, 1].map((seq) => evidence('a', le(seq)));
  expect(said.indexOf(true)).toBe(8);
});

it('chance matches are not: numbers that never repeat, junk between them, another dialect between them', () => {
  const evidence = checksumEvidence(64);
  expect([9, 4_000_000, 77].map((seq) => evidence('a', le(seq)))).toEqual([false, false, false]);
  evidence('b', le(5));
  evidence('b', undefined); // junk: no dialect reads it
  expect([5, 5].map((seq) => evidence('b', le(seq)))).toEqual([false, false]);
  evidence('c', le(5));
  evidence('c', { dialect: 'sum-payload', seq: 5 });
  expect(evidence('c', le(5))).toBe(false);
});

it('remembers at most maxHosts hosts, forgetting the one heard from least recently', () => {
  const evidence = checksumEvidence(2);
  evidence('a', le(1));
  evidence('a', le(1));
  evidence('b', le(1));
  evidence('c', le(1)); // forgets a
  expect(evidence('a', le(1))).toBe(false);
});
