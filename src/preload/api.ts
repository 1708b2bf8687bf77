// The narrow API the page gets as window.p2mp: invoke on the contract's channels only, one batch listener,
// and the path of a dropped file. No ipcRenderer, no Node, nothing else crosses the bridge.
import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';
import {
  BATCH_CHANNEL,
  CHANNELS,
  type EventBatch,
  type P2mpApi,
  type PreloadNote,
  type Result,
} from '../shared/contract.js';

export function createApi(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  web: WebUtils,
): P2mpApi {
  // Paths webUtils gave for Files the page held: files the user dropped (or picked). Kept here, in the preload's
  // isolated world, where the page cannot add to them.
  const dropped = new Set<string>();
  return {
    invoke: (channel, payload) => {
      if (!CHANNELS.includes(channel)) {
        return Promise.resolve({ ok: false, error: `unknown request "${String(channel)}"` } as Result<never>);
      }
      const path: unknown =
        channel === 'file:inspect' ? (payload as { path?: unknown } | null)?.path : undefined;
      if (typeof path === 'string' && dropped.has(path)) {
        const note: PreloadNote = { dropped: path };
        return ipc.invoke(channel, payload, note);
      }
      return ipc.invoke(channel, payload);
    },
    onBatch: (listener) => {
      const handler = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
      ipc.on(BATCH_CHANNEL, handler);
      return () => ipc.removeListener(BATCH_CHANNEL, handler);
    },
    pathForFile: (file) => {
      // '' for a File not read from disk (e.g. built by the page): nothing to vouch for.
      const path = web.getPathForFile(file as File);
      if (path !== '') dropped.add(path);
      return path;
    },
  };
}
