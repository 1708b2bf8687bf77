// The bundled sample of the demos (CLI and app): deterministic text, generated on demand so nothing ships as data,
// and readable, so a class can open what arrived and see it is whole.
import { writeFileSync } from 'node:fs';

export const SAMPLE_NAME = 'p2mp-sample.txt';
export const SAMPLE_BYTES = 200 * 1024;

export function sampleContent(size = SAMPLE_BYTES): Buffer {
  const parts: string[] = [];
  let length = 0;
  for (let n = 1; length < size; n++) {
    const line = `${String(n).padStart(5, '0')} P2MP-FTP sample: one file, many receivers, stop-and-wait over UDP.\n`;
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

export function writeSampleFile(path: string, size = SAMPLE_BYTES): void {
  writeFileSync(path, sampleContent(size));
}
