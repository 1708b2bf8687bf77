// Received files carry the Mark of the Web on Windows, as a browser's downloads do: a Zone.Identifier stream
// saying they came from the Internet zone, so SmartScreen, Office's Protected View and the "This file came from
// another computer" prompt treat them as what they are, a file any host on the network may have sent. Written on
// the .part file as soon as it exists: the stream belongs to the file, so it stays through the rename (and the
// link of a rename that never replaces), and no received file is ever seen without it. macOS (a quarantine
// extended attribute) and Linux have nothing Node can set.
import { writeFileSync } from 'node:fs';

/** The stream's content: zone 3, the Internet, as browsers mark downloads (a LAN host is not vouched for either). */
export const ZONE_IDENTIFIER = '[ZoneTransfer]\r\nZoneId=3\r\n';

/** Marks `path` as received from the network where the platform has such a mark; best effort (FAT has no streams). */
export function markFromNetwork(
  path: string,
  platform: NodeJS.Platform = process.platform,
  write: (target: string, content: string) => void = writeFileSync,
): void {
  if (platform !== 'win32') return;
  try {
    write(`${path}:Zone.Identifier`, ZONE_IDENTIFIER);
  } catch {
    // A file system without alternate data streams (FAT32, exFAT, a network share): the file is kept unmarked.
  }
}
