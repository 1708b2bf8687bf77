// The files the user handed to the app in this run: picked in the open dialog, or dropped on the window. Main
// reads (inspects, sends) no other file on the renderer's word, so a compromised page cannot make the app read
// /etc/shadow or a private key and send it away. Paths are kept as given (no normalizing): "/a/../etc/shadow"
// is granted only if the dialog or the drop gave exactly that.
import { InputError } from '../../shared/errors.js';

export class GrantedFiles {
  private paths = new Set<string>();

  grant(path: string): void {
    this.paths.add(path);
  }

  /** The path when it was granted; otherwise what the user should do. */
  check(path: string): string {
    if (!this.paths.has(path))
      throw new InputError('choose the file again: the app only reads files you picked or dropped');
    return path;
  }
}
