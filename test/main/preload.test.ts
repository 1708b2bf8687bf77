// The preload's bridge with electron mocked: only the contract's channels, one batch channel, nothing else, and
// a note of its own for a dropped file.
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/preload/api.js';
import { BATCH_CHANNEL } from '../../src/shared/contract.js';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
}));

vi.mock('electron', () => {
  const module = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
    ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    webUtils: { getPathForFile: () => '/dropped/file.bin' },
  };
  return { ...module, default: module };
});

describe('preload', () => {
  it('exposes exactly invoke, onBatch and pathForFile as window.p2mp', async () => {
    await import('../../src/preload/index.js');
    const api = electron.exposed.get('p2mp') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onBatch', 'pathForFile']);
    expect((api['pathForFile'] as (f: unknown) => string)({})).toBe('/dropped/file.bin');
  });

  it('forwards known channels only and subscribes to the batch channel', async () => {
    const ipc = {
      invoke: vi.fn(async () => ({ ok: true, value: null })),
      on: vi.fn(),
      removeListener: vi.fn(),
    };
    const api = createApi(ipc as never, { getPathForFile: () => '' } as never);
    await api.invoke('demo:stop', null);
    expect(ipc.invoke).toHaveBeenCalledWith('demo:stop', null);
    expect(await api.invoke('shell:openExternal' as never, null as never)).toEqual({
      ok: false,
      error: 'unknown request "shell:openExternal"',
    });
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
    const listener = vi.fn();
    const off = api.onBatch(listener);
    const handler = ipc.on.mock.calls[0]![1] as (event: unknown, batch: unknown) => void;
    expect(ipc.on.mock.calls[0]![0]).toBe(BATCH_CHANNEL);
    handler({}, { senders: {}, receivers: {} });
    expect(listener).toHaveBeenCalledWith({ senders: {}, receivers: {} });
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith(BATCH_CHANNEL, handler);
  });

  it('vouches for a dropped file: the path webUtils gave, with file:inspect of that path only', async () => {
    const ipc = {
      invoke: vi.fn(async () => ({ ok: true, value: null })),
      on: vi.fn(),
      removeListener: vi.fn(),
    };
    const path = '/home/u/report.pdf';
    const api = createApi(ipc as never, { getPathForFile: () => path } as never);
    await api.invoke('file:inspect', { path });
    expect(api.pathForFile(new Blob(['report']))).toBe(path);
    await api.invoke('file:inspect', { path });
    await api.invoke('file:inspect', { path: '/etc/passwd' });
    await api.invoke('file:show', { path });
    expect(ipc.invoke.mock.calls).toEqual([
      ['file:inspect', { path }],
      ['file:inspect', { path }, { dropped: path }],
      ['file:inspect', { path: '/etc/passwd' }],
      ['file:show', { path }],
    ]);
  });
});
