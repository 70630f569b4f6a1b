// decodeImage's sequential JPEG decoder against libjpeg-turbo's own decoder
// (djpeg, the library Pillow uses): restart intervals, 4:2:0/4:2:2/4:4:4,
// grayscale, non-interleaved scans — pixel for pixel; progressive files,
// left to jpeg-js's inverse DCT, within 3 levels (test/fixtures/jpeg/README.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/imagenet/decode-image.js';
import { fixturePath } from './helpers/golden-numerics.js';

/** The RGB pixels of a binary PPM (P6) or PGM (P5, replicated to RGB). */
function readPnm(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 64)).match(/^(P[56])\s+(\d+)\s+(\d+)\s+255\s/);
  if (header === null) throw new Error('not a binary PNM');
  const [all, kind, w, h] = header;
  const width = Number(w);
  const height = Number(h);
  const body = bytes.subarray(all.length);
  if (kind === 'P6') return { width, height, data: body.slice(0, width * height * 3) };
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.fill(body[i], 3 * i, 3 * i + 3);
  return { width, height, data };
}

describe('JPEG decoding equals libjpeg-turbo', () => {
  it.each(['r420-restart3', 'r422-restart-row', 'r444', 'gray-restart5', 'r420-noninterleaved'])('%s: every pixel', (name) => {
    const expected = readPnm(readFileSync(fixturePath(`jpeg/${name}.pnm`)));
    const decoded = decodeImage(readFileSync(fixturePath(`jpeg/${name}.jpg`)));
    expect([decoded.width, decoded.height]).toEqual([expected.width, expected.height]);
    let differing = 0;
    for (let i = 0; i < expected.data.length; i++) if (decoded.data[i] !== expected.data[i]) differing++;
    expect(differing).toBe(0);
  });

  it('a progressive file (jpeg-js IDCT, libjpeg upsampling and color): within 3 levels', () => {
    const expected = readPnm(readFileSync(fixturePath('jpeg/r420-progressive.pnm')));
    const decoded = decodeImage(readFileSync(fixturePath('jpeg/r420-progressive.jpg')));
    let max = 0;
    for (let i = 0; i < expected.data.length; i++) max = Math.max(max, Math.abs(decoded.data[i] - expected.data[i]));
    expect(max).toBeLessThanOrEqual(3);
  });

  it('a truncated sequential file is an error, not a picture', () => {
    const bytes = readFileSync(fixturePath('jpeg/r420-restart3.jpg'));
    expect(() => decodeImage(bytes.subarray(0, bytes.length - 200))).toThrow(/JPEG data could not be decoded/);
  });
});
