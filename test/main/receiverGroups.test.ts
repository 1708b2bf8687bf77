// The saved receiver groups setting as main checks it: from the renderer (settings:update, refused with the
// field and the reason) and from a hand-edited settings file (a bad list falls back to none, the rest is kept).
import { describe, expect, it } from 'vitest';
import { parseRequest, sanitizeSettings } from '../../src/main/validate.js';
import { DEFAULT_SETTINGS } from '../../src/shared/contract.js';

const room = (name: string, receivers = ['127.0.0.2', 'lab-pc-3:7736']) => ({ name, receivers });
const update = (receiverGroups: unknown) => () => parseRequest('settings:update', { receiverGroups });

describe('receiverGroups in settings:update', () => {
  it('takes named lists of receivers as typed, up to 50 groups of up to 64 receivers', () => {
    const groups = Array.from({ length: 50 }, (_, i) => room(`Room ${i + 1}`));
    expect(parseRequest('settings:update', { receiverGroups: groups })).toEqual({ receiverGroups: groups });
    const full = room(
      'Room 2.14 — Ünïcode 机房',
      Array.from({ length: 64 }, (_, i) => `10.0.0.${i + 1}`),
    );
    expect(update([full, room('x'.repeat(60))])()).toEqual({ receiverGroups: [full, room('x'.repeat(60))] });
    // Entries are checked when a send starts, as for the receiver list itself: a group may hold a draft.
    expect(update([room('Draft', ['10.0.0.'])])()).toEqual({ receiverGroups: [room('Draft', ['10.0.0.'])] });
    expect(update([])()).toEqual({ receiverGroups: [] });
  });

  it.each([
    ['not a list', { name: 'a' }, 'request.receiverGroups: expected a list of at most 50 groups'],
    [
      'a 51st group',
      Array.from({ length: 51 }, (_, i) => room(`Room ${i}`)),
      'request.receiverGroups: expected a list of at most 50 groups',
    ],
    [
      'an empty name',
      [room('')],
      'request.receiverGroups[0].name: a group name is 1-60 printable characters, no spaces at either end',
    ],
    [
      'a 61-character name',
      [room('x'.repeat(61))],
      'request.receiverGroups[0].name: a group name is 1-60 printable characters, no spaces at either end',
    ],
    [
      'a control character',
      [room('ok'), room('Room\u00002')],
      'request.receiverGroups[1].name: a group name is 1-60 printable characters, no spaces at either end',
    ],
    [
      'a line separator',
      [room('Room\u20282')],
      'request.receiverGroups[0].name: a group name is 1-60 printable characters, no spaces at either end',
    ],
    [
      'spaces around the name',
      [room(' Room ')],
      'request.receiverGroups[0].name: a group name is 1-60 printable characters, no spaces at either end',
    ],
    ['a huge name', [room('x'.repeat(100_000))], 'request.receiverGroups[0].name: expected text up to 120'],
    [
      'a name that is no text',
      [{ name: 7, receivers: [] }],
      'request.receiverGroups[0].name: expected text up to 120',
    ],
    [
      'the same name twice',
      [room('Lab'), room('Lab', [])],
      'request.receiverGroups: two groups are named "Lab"',
    ],
    [
      '65 receivers',
      [
        room(
          'Big',
          Array.from({ length: 65 }, (_, i) => `10.0.0.${i + 1}`),
        ),
      ],
      'request.receiverGroups[0].receivers: expected a list of 0-64 items',
    ],
    [
      'a receiver that is no text',
      [room('Lab', [7 as unknown as string])],
      'request.receiverGroups[0].receivers[0]: expected text up to 300',
    ],
    [
      'an extra field',
      [{ ...room('Lab'), colour: 'red' }],
      'request.receiverGroups[0]: unexpected field "colour"',
    ],
    [
      'no receivers field',
      [{ name: 'Lab' }],
      'request.receiverGroups[0].receivers: expected a list of 0-64 items',
    ],
    ['a list for a group', [['Lab', []]], 'request.receiverGroups[0]: expected an object'],
  ])('refuses %s', (_, groups, message) => {
    expect(update(groups)).toThrow(message);
  });

  it('keeps the other settings of a hand-edited file when its groups are bad', () => {
    expect(
      sanitizeSettings({ port: 9000, receiverGroups: [room('Lab'), room('Lab')] }, DEFAULT_SETTINGS),
    ).toEqual({ ...DEFAULT_SETTINGS, port: 9000 });
    expect(sanitizeSettings({ receiverGroups: [room('Lab')] }, DEFAULT_SETTINGS).receiverGroups).toEqual([
      room('Lab'),
    ]);
  });
});
