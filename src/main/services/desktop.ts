// The desktop integrations the renderer may ask for: native open/save dialogs, the clipboard and "show in
// folder". Injected Electron modules (type-only here), so tests pass fakes and no window is ever referenced.
import { writeFile } from 'node:fs/promises';
import type { Clipboard, Dialog, FileFilter, OpenDialogOptions, Shell } from 'electron';
import { InputError } from '../../shared/errors.js';
import { RECORDING_EXTENSION } from '../../shared/live/recording.js';

export interface DesktopDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  shell: Pick<Shell, 'showItemInFolder'>;
  clipboard: Pick<Clipboard, 'writeText'>;
}

export class DesktopService {
  private dialogOpen = false;

  constructor(private readonly deps: DesktopDeps) {}

  /** One native dialog at a time: a page cannot stack dozens of them in front of the user. */
  private async oneDialog<T>(show: () => Promise<T>): Promise<T> {
    if (this.dialogOpen) throw new InputError('a file dialog is already open');
    this.dialogOpen = true;
    try {
      return await show();
    } finally {
      this.dialogOpen = false;
    }
  }

  private async open(options: OpenDialogOptions): Promise<string | null> {
    const result = await this.oneDialog(() => this.deps.dialog.showOpenDialog(options));
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }

  chooseFile(): Promise<string | null> {
    return this.open({ title: 'File to send', properties: ['openFile'] });
  }

  chooseFolder(): Promise<string | null> {
    return this.open({ title: 'Save received files in', properties: ['openDirectory', 'createDirectory'] });
  }

  chooseRecording(): Promise<string | null> {
    return this.open({
      title: 'Open a recorded transfer',
      properties: ['openFile'],
      filters: [{ name: 'P2MP-FTP recording', extensions: [RECORDING_EXTENSION] }],
    });
  }

  /** Asks where to save `text`, writes it there, and returns the path (null if the user cancelled). */
  async saveText(text: string, defaultName: string, title = 'Save summary'): Promise<string | null> {
    return this.saveFile(text, defaultName, title);
  }

  /** Asks where to save `data` (text or bytes), writes it there, and returns the path (null: cancelled). */
  async saveFile(
    data: string | Uint8Array,
    defaultName: string,
    title: string,
    filters?: FileFilter[],
  ): Promise<string | null> {
    const result = await this.oneDialog(() =>
      this.deps.dialog.showSaveDialog({ title, defaultPath: defaultName, ...(filters ? { filters } : {}) }),
    );
    if (result.canceled || !result.filePath) return null;
    await writeFile(result.filePath, data);
    return result.filePath;
  }

  async copy(text: string): Promise<void> {
    await this.deps.clipboard.writeText(text);
  }

  showInFolder(path: string): void {
    this.deps.shell.showItemInFolder(path);
  }
}
