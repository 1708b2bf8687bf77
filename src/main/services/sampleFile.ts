// The local demo's bundled sample: a deterministic text file, generated on demand so the app ships no data.
import { writeFile } from 'node:fs/promises';

export const SAMPLE_NAME = 'p2mp-sample.txt';
export const SAMPLE_BYTES = 200 * 1024;

export function sampleText(bytes = SAMPLE_BYTES): string {
  const lines: string[] = [];
  let length = 0;
  for (let n = 1; length < bytes; n++) {
    const line = `${String(n).padStart(5, '0')} P2MP-FTP sample: one file, many receivers, stop-and-wait over UDP.\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join('').slice(0, bytes);
}

export async function writeSample(path: string, bytes = SAMPLE_BYTES): Promise<void> {
  await writeFile(path, sampleText(bytes));
}
