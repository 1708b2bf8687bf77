// The narrow API the page gets as window.p2mp: invoke on the contract's channels only, one batch listener,
// and the path of a dropped file. No ipcRenderer, no Node, nothing else crosses the bridge.
import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';
import { BATCH_CHANNEL, CHANNELS, type EventBatch, type P2mpApi, type Result } from '../shared/contract.js';

export function createApi(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  web: WebUtils,
): P2mpApi {
  return {
    invoke: (channel, payload) => {
      if (!CHANNELS.includes(channel)) {
        return Promise.resolve({ ok: false, error: `unknown request "${String(channel)}"` } as Result<never>);
      }
      return ipc.invoke(channel, payload);
    },
    onBatch: (listener) => {
      const handler = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
      ipc.on(BATCH_CHANNEL, handler);
      return () => ipc.removeListener(BATCH_CHANNEL, handler);
    },
    pathForFile: (file) => web.getPathForFile(file as File),
  };
}
