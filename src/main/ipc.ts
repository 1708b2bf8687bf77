// The thin IPC layer: maps each contract channel to a service call. Every payload is validated first, every
// sender frame checked, and every failure comes back as { ok: false, error } in words the user can act on.
// Files are read only when the user granted them in this run (services/grantedFiles.ts).
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  CHANNELS,
  type Channel,
  type Req,
  type Res,
  type Result,
  type SenderSource,
} from '../shared/contract.js';
import { InputError } from '../shared/errors.js';
import { encodeRecording, RECORDING_EXTENSION } from '../shared/live/recording.js';
import { networkInterfaces } from 'node:os';
import type { AppServices } from './services/index.js';
import { localAddresses } from '../shared/node/localAddresses.js';
import { inspectFile } from './services/fileInfo.js';
import type { GrantedFiles } from './services/grantedFiles.js';
import { readRecording } from './services/recordingFile.js';
import { parsePreloadNote, parseRequest } from './validate.js';

export type Handlers = { [C in Channel]: (payload: Req<C>) => Promise<Res<C>> };

export function createHandlers(s: AppServices): Handlers {
  const port = async (): Promise<number> => (await s.settings.get()).port;
  const senderOf = (source: SenderSource) => (source === 'send' ? s.sender : s.demoSender);
  /** A file a request names (null: none, e.g. the bundled sample) must be one the user granted. */
  const requireGranted = (file: string | null): void => {
    if (file !== null) s.granted.check(file);
  };
  return {
    'settings:get': () => s.settings.get(),
    'settings:update': (patch) => s.settings.update(patch),
    'file:choose': async () => {
      const path = await s.desktop.chooseFile();
      if (path === null) return null;
      s.granted.grant(path);
      return inspectFile(path);
    },
    'file:inspect': ({ path }) => inspectFile(s.granted.check(path)),
    'folder:choose': async () => {
      const folder = await s.desktop.chooseFolder();
      if (folder !== null) await s.settings.update({ saveFolder: folder });
      return folder;
    },
    'file:show': async ({ path }) => {
      if (!s.written.has(path)) throw new Error('only files this app received can be shown');
      s.desktop.showInFolder(path);
      return null;
    },
    'send:start': async (request) => {
      requireGranted(request.file);
      await s.sender.start(request, await port());
      return null;
    },
    'send:cancel': async () => {
      await s.sender.cancel();
      return null;
    },
    'receive:start': (request) => s.receiver.start(request),
    'receive:stop': async () => {
      await s.receiver.stop();
      return null;
    },
    'receive:history': () => s.history.list(),
    'receive:answer': async ({ id, accept }) => {
      s.receiver.answer(id, accept);
      return null;
    },
    'receive:set-loss': async ({ p }) => {
      s.receiver.setLoss(p);
      return null;
    },
    'demo:start': (request) => {
      requireGranted(request.file);
      return s.demo.start(request);
    },
    'demo:stop': async () => {
      await s.demo.stop();
      return null;
    },
    'demo:set-loss': async ({ index, p }) => {
      s.demo.setLoss(index, p);
      return null;
    },
    'demo:set-network': async (change) => {
      s.demo.setNetwork(change);
      return null;
    },
    'demo:lose': async ({ index, direction, seq }) => {
      s.demo.lose(index, direction, seq);
      return null;
    },
    'demo:lose-in-flight': async ({ index, direction, seq }) => ({
      lost: s.demo.loseInFlight(index, direction, seq),
    }),
    'net:addresses': async () => localAddresses(networkInterfaces()),
    'net:discover': () => s.discovery.list(),
    'summary:copy': async ({ text }) => {
      await s.desktop.copy(text);
      return null;
    },
    'summary:save': ({ text }) => s.desktop.saveText(text, 'p2mp-summary.txt'),
    'pace:set': async ({ source, pace }) => {
      // The demo's pace also sets its network's flights and clock.
      if (source === 'demo') s.demo.setPace(pace);
      else s.sender.setPace(pace);
      return null;
    },
    'pace:step': async ({ source }) => {
      senderOf(source).step();
      return null;
    },
    'recording:save': async ({ source }) => {
      const recording = s.recording(source);
      if (!recording) throw new InputError('nothing recorded yet: run a transfer first');
      const name = `p2mp-${source}-timeline.${RECORDING_EXTENSION}`;
      return s.desktop.saveText(encodeRecording(recording), name, 'Save recording');
    },
    'recording:open': async () => {
      const path = await s.desktop.chooseRecording();
      return path === null ? null : readRecording(path);
    },
    'lab:start': async (request) => {
      requireGranted(request.file);
      await s.lab.start(request);
      return null;
    },
    'lab:cancel': async () => {
      await s.lab.cancel();
      return null;
    },
    'lab:records': async () => s.lab.records(),
    'lab:record': async ({ id }) => s.lab.savedRecord(id),
    'lab:export': async (request) => {
      const file = await s.lab.exportFile(request);
      const csv = request.format === 'csv';
      return s.desktop.saveFile(file.data, file.name, csv ? 'Save study as CSV' : 'Save chart as PNG', [
        csv ? { name: 'CSV', extensions: ['csv'] } : { name: 'PNG image', extensions: ['png'] },
      ]);
    },
    'compare:start': (request) => {
      requireGranted(request.file);
      return s.compare.start(request);
    },
    'compare:stop': async () => {
      await s.compare.stop();
      return null;
    },
    'compare:set-pace': async ({ pace }) => {
      s.compare.setPace(pace);
      return null;
    },
    'compare:step': async () => {
      s.compare.step();
      return null;
    },
    'check:start': (request) => {
      requireGranted(request.file ?? null);
      return s.check.start(request);
    },
    'check:result': () => s.check.result(),
    'check:cancel': async () => {
      await s.check.cancel();
      return null;
    },
    'diagram:save': async ({ format, data }) => {
      // It must start as the image it claims to be (a check on the format, not on the content: the page chose the
      // bytes). What keeps it harmless is the user: only where they choose in the native dialog, and one dialog
      // at a time (saveFile).
      const bytes = format === 'png' ? Buffer.from(data, 'base64') : null;
      if (bytes ? !bytes.subarray(0, 8).equals(PNG_SIGNATURE) : !/^<svg[\s>]/.test(data))
        throw new InputError(`not a ${format.toUpperCase()} image`);
      return s.desktop.saveFile(bytes ?? data, `p2mp-sequence-diagram.${format}`, 'Save diagram', [
        bytes ? { name: 'PNG image', extensions: ['png'] } : { name: 'SVG image', extensions: ['svg'] },
      ]);
    },
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** Validates and runs one request; never throws. */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  payload: unknown,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: `unknown request "${String(channel)}"` };
  try {
    const valid = parseRequest(channel, payload) as never;
    return { ok: true, value: await (handlers[channel] as (p: never) => Promise<unknown>)(valid) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A drop the preload vouches for: the page asks 'file:inspect' for a path, and the preload's note says webUtils
 * gave exactly that path for a File the page held (see PreloadNote). The page cannot add a note (its invoke takes
 * channel and payload only, and context isolation keeps ipcRenderer from it), and a page holds a File with a path
 * only for a file the user dropped or picked (a file input opens the system's picker). Residual risk: code running
 * in the renderer process beyond the page's JavaScript (a Chromium exploit) can send any IPC message, notes
 * included, and so name any file; Electron does not tell main which files the browser process gave the renderer.
 */
function grantDrop(granted: Pick<GrantedFiles, 'grant'>, payload: unknown, note: unknown): void {
  const dropped = parsePreloadNote(note)?.dropped;
  if (dropped !== undefined && dropped === (payload as { path?: unknown } | null)?.path)
    granted.grant(dropped);
}

/** Registers every channel on ipcMain; returns a function that removes them. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: Handlers,
  isTrustedUrl: (url: string | undefined) => boolean,
  granted: Pick<GrantedFiles, 'grant'>,
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown, note?: unknown) => {
      if (!isTrustedUrl(event.senderFrame?.url)) {
        return { ok: false, error: 'request refused: it did not come from the app page' };
      }
      if (channel === 'file:inspect') grantDrop(granted, payload, note);
      return dispatch(handlers, channel, payload);
    });
  }
  return () => CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}
