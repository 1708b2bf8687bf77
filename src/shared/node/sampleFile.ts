// A deterministic sample file for demos: readable text, so a class can open what arrived and see it is whole.
import { writeFileSync } from 'node:fs';

export function sampleContent(size: number): Buffer {
  const line = (n: number): string =>
    `${String(n).padStart(6, '0')} P2MP-FTP sample: every byte of this file arrived through stop-and-wait over UDP.\n`;
  const parts: string[] = [];
  let length = 0;
  for (let n = 1; length < size; n++) {
    const text = line(n);
    parts.push(text);
    length += text.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

export function writeSampleFile(path: string, size: number): void {
  writeFileSync(path, sampleContent(size));
}
