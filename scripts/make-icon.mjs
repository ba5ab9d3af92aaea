// Draws the extension's 128 × 128 icon (docs/images/icon.png) with no image library and no
// download: a navy rounded square, a step input (pale blue) and the identified model's response to
// it (amber, an under-damped second-order step response), anti-aliased by distance to each curve,
// encoded by the small PNG writer below (RGBA, 8 bits, filter 0, zlib from node:zlib).
//   node scripts/make-icon.mjs [OUT]      (default docs/images/icon.png)
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const SIZE = 128;

/** CRC-32 (ISO 3309, as PNG chunks use) of `bytes`. */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG file of an RGBA image (`rgba`: height × width × 4 bytes, rows top to bottom). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, filter method 0, no interlace
  const raw = Buffer.alloc(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + 4 * width)] = 0; // filter type None
    rgba.copy(raw, y * (1 + 4 * width) + 1, y * 4 * width, (y + 1) * 4 * width);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Distance from (px, py) to the polyline `pts` ([x, y] pairs). */
function distanceToPolyline(px, py, pts) {
  let best = Infinity;
  for (let i = 1; i < pts.length; i++) {
    const [ax, ay] = pts[i - 1];
    const [bx, by] = pts[i];
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(
      0,
      Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)),
    );
    best = Math.min(best, Math.hypot(px - ax - t * dx, py - ay - t * dy));
  }
  return best;
}

/** Coverage of a pixel centre at signed distance `d` outside a shape (1 inside, 0 outside). */
const cover = (d) => Math.max(0, Math.min(1, 0.5 - d));

/** Signed distance to the rounded square of the background (negative inside). */
function roundedSquare(x, y) {
  const r = 26;
  const half = SIZE / 2 - 2;
  const qx = Math.abs(x - SIZE / 2) - (half - r);
  const qy = Math.abs(y - SIZE / 2) - (half - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** The icon's pixels: height × width × 4 bytes. */
export function drawIcon() {
  const x0 = 18;
  const x1 = 110;
  const base = 92; // y of the signals' zero
  const top = 42; // y of the step's height
  const stepAt = 30;
  const input = [
    [x0, base],
    [stepAt, base],
    [stepAt, top],
    [x1, top],
  ];
  // y(t) = 1 − e^(−ζωt) (cos(ωd t) + ζ/√(1−ζ²) sin(ωd t)), ζ = 0.25: the overshoot a fit follows.
  const zeta = 0.25;
  const wd = Math.sqrt(1 - zeta * zeta);
  const response = [[x0, base]];
  for (let x = stepAt; x <= x1; x += 0.5) {
    const t = (x - stepAt) / 7;
    const y = 1 - Math.exp(-zeta * t) * (Math.cos(wd * t) + (zeta / wd) * Math.sin(wd * t));
    response.push([x, base - y * (base - top)]);
  }
  const layers = [
    {
      pts: [
        [x0, base + 8],
        [x1, base + 8],
      ],
      width: 1.5,
      rgb: [0x5b, 0x6f, 0x92],
    }, // time axis
    { pts: input, width: 3, rgb: [0x8e, 0xc5, 0xff] },
    { pts: response, width: 5, rgb: [0xff, 0xb3, 0x2e] },
  ];
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      // Background: navy, lighter towards the top.
      const g = y / SIZE;
      let rgb = [0x1f - 10 * g, 0x3a - 20 * g, 0x68 - 30 * g];
      for (const l of layers) {
        const a = cover(distanceToPolyline(cx, cy, l.pts) - l.width / 2);
        rgb = rgb.map((c, i) => c + (l.rgb[i] - c) * a);
      }
      const alpha = cover(roundedSquare(cx, cy));
      rgba.set([...rgb.map((c) => Math.round(c)), Math.round(255 * alpha)], 4 * (y * SIZE + x));
    }
  return rgba;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = path.resolve(process.argv[2] ?? 'docs/images/icon.png');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, encodePng(SIZE, SIZE, drawIcon()));
  console.log(`wrote ${path.relative(process.cwd(), out)} (${SIZE} × ${SIZE})`);
}
