// Saved receiver groups in the Send view: what is saved, loaded, renamed and deleted is what goes to main in
// settings:update (where the same schema checks it), and a bad name is refused with the reason.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import type { ReceiverGroup, Settings } from '../../src/shared/contract';
import { installFakeApi, type FakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

const ROOM = { name: 'Room 2.14', receivers: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] };
const LAB = { name: 'Lab B', receivers: ['127.0.0.3', '10.0.0.9:7736'] };

async function openSend(settings: Partial<Settings>): Promise<FakeApi> {
  const api = installFakeApi({ mode: 'send', ...settings });
  render(<App />);
  await screen.findByRole('heading', { name: 'Send a file' });
  return api;
}

/** The newest value of a setting sent to main, once it has been sent (changes are saved after a short pause). */
async function sent<K extends keyof Settings>(api: FakeApi, key: K, count: number): Promise<Settings[K]> {
  const patches = (): Partial<Settings>[] =>
    api.calls
      .filter((c) => c.channel === 'settings:update')
      .map((c) => c.payload as Partial<Settings>)
      .filter((p) => key in p);
  await waitFor(() => expect(patches()).toHaveLength(count));
  return patches().at(-1)![key] as Settings[K];
}

const pick = (name: string) =>
  fireEvent.change(screen.getByLabelText('Saved group'), { target: { value: name } });
const receiverValues = (): string[] =>
  screen.getAllByLabelText(/^Receiver \d+$/).map((input) => (input as HTMLInputElement).value);

describe('saved groups', () => {
  it('saves the receivers under a name, and replaces a group saved under the same name', async () => {
    const api = await openSend({ receivers: ROOM.receivers });
    expect(screen.queryByLabelText('Saved group')).toBeNull();
    const name = screen.getByLabelText('Save the receivers as');
    fireEvent.change(name, { target: { value: '  Room 2.14 ' } });
    const saveButton = screen.getByRole('button', { name: 'Save group' });
    saveButton.focus();
    fireEvent.click(saveButton);
    // The button greys out as the name field empties: the keyboard goes back to the field (it fell to the top).
    expect(document.activeElement).toBe(name);
    expect(await sent(api, 'receiverGroups', 1)).toEqual<ReceiverGroup[]>([ROOM]);
    expect(screen.getByText('Saved "Room 2.14" (3 receivers).').getAttribute('role')).toBe('status');
    expect((screen.getByLabelText('Saved group') as HTMLSelectElement).value).toBe('Room 2.14');

    fireEvent.click(screen.getByRole('button', { name: 'Remove receiver 3' }));
    fireEvent.change(name, { target: { value: 'Room 2.14' } });
    fireEvent.keyDown(name, { key: 'Enter' });
    expect(await sent(api, 'receiverGroups', 2)).toEqual([
      { ...ROOM, receivers: ROOM.receivers.slice(0, 2) },
    ]);
  });

  it('refuses a bad name with the reason, and an empty receiver list', async () => {
    const api = await openSend({ receivers: [] });
    const name = screen.getByLabelText('Save the receivers as');
    const save = (): HTMLButtonElement => screen.getByRole('button', { name: 'Save group' });
    fireEvent.change(name, { target: { value: 'Room\u00072' } });
    expect(screen.getByRole('alert').textContent).toBe(
      'a group name is 1-60 printable characters, no spaces at either end',
    );
    fireEvent.change(name, { target: { value: 'x'.repeat(61) } });
    expect(screen.getByRole('alert')).toBeTruthy();
    fireEvent.change(name, { target: { value: 'x'.repeat(60) } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(save().disabled).toBe(true); // no receivers to save
    fireEvent.keyDown(name, { key: 'Enter' });
    expect(api.calls.some((c) => c.channel === 'settings:update')).toBe(false);
  });

  it('refuses a 51st group', async () => {
    const groups = Array.from({ length: 50 }, (_, i) => ({ name: `Room ${i}`, receivers: ['127.0.0.2'] }));
    await openSend({ receivers: ['127.0.0.9'], receiverGroups: groups });
    fireEvent.change(screen.getByLabelText('Save the receivers as'), { target: { value: 'Room 50' } });
    expect(screen.getByRole('alert').textContent).toBe('at most 50 groups: delete one first');
    // An existing name is still saved over.
    fireEvent.change(screen.getByLabelText('Save the receivers as'), { target: { value: 'Room 7' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByRole('button', { name: 'Replace group' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('loads a group in place of the list, or adds it without duplicates', async () => {
    const api = await openSend({ receivers: ['127.0.0.9'], receiverGroups: [ROOM, LAB] });
    expect(screen.queryByRole('button', { name: 'Replace list' })).toBeNull();
    pick('Lab B');
    fireEvent.click(screen.getByRole('button', { name: 'Add to list' }));
    expect(receiverValues()).toEqual(['127.0.0.9', '127.0.0.3', '10.0.0.9:7736']);
    expect(await sent(api, 'receivers', 1)).toEqual(['127.0.0.9', '127.0.0.3', '10.0.0.9:7736']);
    pick('Room 2.14');
    fireEvent.click(screen.getByRole('button', { name: 'Add to list' }));
    expect(receiverValues()).toEqual(['127.0.0.9', '127.0.0.3', '10.0.0.9:7736', '127.0.0.2', '127.0.0.4']);
    expect(screen.getByText('Added 2 receivers from "Room 2.14".')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Replace list' }));
    expect(await sent(api, 'receivers', 2)).toEqual(ROOM.receivers);
    expect(receiverValues()).toEqual(ROOM.receivers);
  });

  it('renames a group from the keyboard, refusing a name in use, and Escape keeps the old one', async () => {
    const api = await openSend({ receivers: [], receiverGroups: [ROOM, LAB] });
    pick('Room 2.14');
    fireEvent.click(screen.getByRole('button', { name: 'Rename…' }));
    const field = screen.getByLabelText('New name for “Room 2.14”') as HTMLInputElement;
    expect(document.activeElement).toBe(field);
    expect(field.value).toBe('Room 2.14');
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryByLabelText('New name for “Room 2.14”')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Saved group'));

    fireEvent.click(screen.getByRole('button', { name: 'Rename…' }));
    const again = screen.getByLabelText('New name for “Room 2.14”');
    fireEvent.change(again, { target: { value: 'Lab B' } });
    expect(screen.getByRole('alert').textContent).toBe('there is a group "Lab B" already');
    fireEvent.change(again, { target: { value: 'Room 2.15' } });
    fireEvent.keyDown(again, { key: 'Enter' });
    expect(await sent(api, 'receiverGroups', 1)).toEqual([{ ...ROOM, name: 'Room 2.15' }, LAB]);
    expect((screen.getByLabelText('Saved group') as HTMLSelectElement).value).toBe('Room 2.15');
  });

  it('deletes a group only once confirmed', async () => {
    const api = await openSend({ receivers: [], receiverGroups: [ROOM, LAB] });
    pick('Lab B');
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    expect(screen.getByText('Delete “Lab B”?')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep group' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep group' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete group' }));
    expect(await sent(api, 'receiverGroups', 1)).toEqual([ROOM]);
    expect(screen.getByText('Deleted "Lab B".')).toBeTruthy();
    expect(screen.queryByRole('option', { name: /Lab B/ })).toBeNull();
  });
});
