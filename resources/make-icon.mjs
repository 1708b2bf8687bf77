// Draws the app icon (resources/icon.png, 512x512): one sender fanning out to three receivers, in the app's
// Okabe-Ito colours. Plain Node, no image libraries: shapes are rasterised with 4x4 supersampling and written
// as an RGBA PNG. Run `npm run icon` after changing it; the PNG is committed.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SUB = 4;

const background = [27, 29, 35];
const sender = [0, 114, 178]; // blue
const receivers = [
  [0, 158, 115], // bluish green
  [230, 159, 0], // orange
  [86, 180, 233], // sky blue
];
const link = [236, 238, 242];

const from = { x: 140, y: 256 };
const to = [
  { x: 380, y: 128 },
  { x: 390, y: 256 },
  { x: 380, y: 384 },
];

function segmentDistance(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

function insideRoundedSquare(px, py) {
  const r = 96;
  const cx = Math.min(Math.max(px, r), SIZE - r);
  const cy = Math.min(Math.max(py, r), SIZE - r);
  return Math.hypot(px - cx, py - cy) <= r;
}

/** The colour at one sample point, or null for transparent. Later shapes paint over earlier ones. */
function sample(px, py) {
  if (!insideRoundedSquare(px, py)) return null;
  let colour = background;
  for (const target of to) {
    if (segmentDistance(px, py, from, target) <= 14) colour = link;
  }
  if (Math.hypot(px - from.x, py - from.y) <= 70) colour = sender;
  to.forEach((target, i) => {
    if (Math.hypot(px - target.x, py - target.y) <= 50) colour = receivers[i];
  });
  return colour;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SUB; sy++) {
      for (let sx = 0; sx < SUB; sx++) {
        const c = sample(x + (sx + 0.5) / SUB, y + (sy + 0.5) / SUB);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    }
    const o = (y * SIZE + x) * 4;
    if (a > 0) {
      rgba[o] = Math.round(r / a);
      rgba[o + 1] = Math.round(g / a);
      rgba[o + 2] = Math.round(b / a);
    }
    rgba[o + 3] = Math.round((a / (SUB * SUB)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
