import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

describe('App', () => {
  it('opens on the local demo on first start', async () => {
    installFakeApi();
    render(<App />);
    const tab = await screen.findByRole('tab', { name: 'Local demo' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('heading', { name: 'Local demo' })).toBeTruthy();
  });

  it('moves between modes with the arrow keys and remembers the mode', async () => {
    const api = installFakeApi();
    render(<App />);
    const demo = await screen.findByRole('tab', { name: 'Local demo' });
    fireEvent.keyDown(demo, { key: 'ArrowRight' });
    expect(await screen.findByRole('heading', { name: 'Compare protocols' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Compare' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Send' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Send' }));
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Send' }), { key: 'End' });
    expect(await screen.findByRole('heading', { name: 'Check an implementation' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Check an implementation' }), { key: 'ArrowLeft' });
    expect(await screen.findByRole('heading', { name: 'Experiments' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Experiments' }), { key: 'ArrowLeft' });
    expect(screen.getByRole('heading', { name: 'Replay a transfer' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Replay' }), { key: 'ArrowLeft' });
    expect(screen.getByRole('heading', { name: 'Receive files' })).toBeTruthy();
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'settings:update', payload: { mode: 'receive' } }),
    );
  });

  it('applies large type and theme to the document', async () => {
    installFakeApi({ largeType: true, theme: 'dark' });
    render(<App />);
    await screen.findByRole('tab', { name: 'Local demo' });
    expect(document.documentElement.classList.contains('large-type')).toBe(true);
    expect(document.documentElement.dataset['theme']).toBe('dark');
    fireEvent.click(screen.getByLabelText('Large type'));
    expect(document.documentElement.classList.contains('large-type')).toBe(false);
  });
});
