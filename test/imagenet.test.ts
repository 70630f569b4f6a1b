import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, FetchError, ShapeError } from '../src/errors.js';
import {
  centerCrop,
  decodePredictions,
  DEFAULT_TOP,
  IMAGENET_CLASSES,
  imagenetEvalTransform,
  imageToTensor,
  preprocessInput,
  resizeImage,
  shorterSideSize,
  tensorToImage,
  type RgbImage,
} from '../src/imagenet/index.js';
import { decodeImage, loadImage, sniffImageFormat } from '../src/imagenet/node.js';

// ---------------------------------------------------------------- helpers

/** Runs `fn` and checks that it leaves no tensor behind. */
async function noLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** An image whose pixel (x, y) channel c is `f(x, y, c)`. */
function makeImage(height: number, width: number, f: (x: number, y: number, c: number) => number): RgbImage {
  const data = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = f(x, y, c);
  return { data, height, width };
}

/** A smooth gradient: R along x, G along y, B diagonal. */
const gradient = (height: number, width: number): RgbImage =>
  makeImage(height, width, (x, y, c) =>
    c === 0 ? Math.round((x * 255) / (width - 1)) : c === 1 ? Math.round((y * 255) / (height - 1)) : Math.round(((x + y) * 255) / (width + height - 2)),
  );

/** The pattern the Pillow reference values below were computed on. */
const pillowPattern = (height: number, width: number): RgbImage => makeImage(height, width, (x, y, c) => (x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 5) % 256);

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A hand-built PNG (any color type / bit depth pngjs's writer cannot make). */
function rawPng(width: number, height: number, colorType: number, bitDepth: number, rows: number[][], extra: Array<[string, number[]]> = []): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const scanlines = Buffer.from(rows.flatMap((row) => [0, ...row])); // filter type 0 per row
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      ...extra.map(([type, data]) => chunk(type, Uint8Array.from(data))),
      chunk('IDAT', deflateSync(scanlines)),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

// ---------------------------------------------------------------- labels

describe('IMAGENET_CLASSES', () => {
  it('lists the 1000 torchvision category names in class-index order', () => {
    expect(IMAGENET_CLASSES).toHaveLength(1000);
    expect(IMAGENET_CLASSES[0]).toBe('tench');
    expect(IMAGENET_CLASSES[1]).toBe('goldfish');
    expect(IMAGENET_CLASSES[107]).toBe('jellyfish');
    expect(IMAGENET_CLASSES[207]).toBe('golden retriever');
    expect(IMAGENET_CLASSES[281]).toBe('tabby');
    expect(IMAGENET_CLASSES[999]).toBe('toilet tissue');
  });

  it('disambiguates the two duplicated synsets as torchvision does', () => {
    expect(IMAGENET_CLASSES[134]).toBe('crane bird');
    expect(IMAGENET_CLASSES[517]).toBe('crane');
    expect(IMAGENET_CLASSES[638]).toBe('maillot');
    expect(IMAGENET_CLASSES[639]).toBe('maillot tank suit');
  });

  it('has unique, trimmed, non-empty labels and is frozen', () => {
    expect(new Set(IMAGENET_CLASSES).size).toBe(1000);
    for (const label of IMAGENET_CLASSES) {
      expect(typeof label).toBe('string');
      expect(label.length).toBeGreaterThan(0);
      expect(label).toBe(label.trim());
      expect(label).not.toContain(',');
    }
    expect(Object.isFrozen(IMAGENET_CLASSES)).toBe(true);
  });
});

// ---------------------------------------------------------------- preprocessInput

describe('preprocessInput', () => {
  // One orange pixel (255, 128, 0) and one black pixel.
  const pixels = [
    [255, 128, 0],
    [0, 0, 0],
  ];

  async function run(mode?: 'caffe' | 'tf' | 'torch', rank4 = false): Promise<number[]> {
    return noLeak(() => {
      const x = rank4 ? tf.tensor4d([[pixels]]) : tf.tensor3d([pixels]);
      const y = mode === undefined ? preprocessInput(x) : preprocessInput(x, { mode });
      expect(y.shape).toEqual(x.shape);
      expect(y.dtype).toBe('float32');
      expect(x.isDisposed).toBe(false);
      const values = Array.from(y.dataSync());
      tf.dispose([x, y]);
      return values;
    });
  }

  it("'caffe' (the default) swaps to BGR and subtracts the BGR means, unscaled", async () => {
    const expected = [0 - 103.939, 128 - 116.779, 255 - 123.68, -103.939, -116.779, -123.68];
    for (const got of [await run(), await run('caffe'), await run('caffe', true)]) {
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    }
  });

  it("'tf' scales to -1..1", async () => {
    const expected = [1, 128 / 127.5 - 1, -1, -1, -1, -1];
    (await run('tf')).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it("'torch' scales to 0..1 and normalizes with the ImageNet mean and std", async () => {
    const expected = [(1 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, (0 - 0.406) / 0.225, -0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225];
    (await run('torch', true)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('accepts integer tensors', async () => {
    await noLeak(() => {
      const x = tf.tensor3d([[[255, 0, 0]]], [1, 1, 3], 'int32');
      const y = preprocessInput(x, { mode: 'tf' });
      expect(y.dtype).toBe('float32');
      expect(Array.from(y.dataSync())).toEqual([1, -1, -1]);
      tf.dispose([x, y]);
    });
  });

  it('rejects an unknown mode with a ConfigError listing the valid ones', async () => {
    await noLeak(() => {
      const x = tf.zeros([2, 2, 3]);
      expect(() => preprocessInput(x, { mode: 'keras' as never })).toThrow(ConfigError);
      expect(() => preprocessInput(x, { mode: 'keras' as never })).toThrow(/"caffe", "tf", "torch"/);
      x.dispose();
    });
  });

  it('rejects ranks other than 3 and 4 and channels other than 3 with a ShapeError', async () => {
    await noLeak(() => {
      const bad = [tf.zeros([4, 3]), tf.zeros([1, 2, 2, 2, 3]), tf.zeros([2, 2, 4]), tf.zeros([1, 3, 2, 2])];
      for (const x of bad) {
        expect(() => preprocessInput(x)).toThrow(ShapeError);
        expect(() => preprocessInput(x)).toThrow(/\[height, width, 3\]/);
      }
      tf.dispose(bad);
    });
  });
});

// ---------------------------------------------------------------- decodePredictions

describe('decodePredictions', () => {
  /** Row `b` scores class (b * 7 + k) % 1000 with 0.5 / 2^k for k < 8, others 0. */
  function rows(batch: number): number[][] {
    return Array.from({ length: batch }, (_, b) => {
      const row = new Array<number>(1000).fill(0);
      for (let k = 0; k < 8; k++) row[(b * 7 + k * 101) % 1000] = 0.5 / 2 ** k;
      return row;
    });
  }

  it('ranks classes highest first, with labels, top 5 by default', async () => {
    const scores = rows(2);
    const fromArray = decodePredictions(scores);
    const tensor = tf.tensor2d(scores);
    const fromTensor = await noLeak(() => decodePredictions(tensor));
    tensor.dispose();
    for (const result of [fromArray, fromTensor]) {
      expect(result).toHaveLength(2);
      result.forEach((preds, b) => {
        expect(preds).toHaveLength(DEFAULT_TOP);
        preds.forEach((p, k) => {
          expect(p.index).toBe((b * 7 + k * 101) % 1000);
          expect(p.label).toBe(IMAGENET_CLASSES[p.index]);
          expect(p.probability).toBeCloseTo(0.5 / 2 ** k, 7);
        });
      });
    }
    expect(fromArray[0][0]).toEqual({ index: 0, label: 'tench', probability: 0.5 });
  });

  it('honours top, up to all 1000 classes, breaking ties by lower index', () => {
    const [one] = decodePredictions(rows(1), { top: 1 });
    expect(one).toEqual([{ index: 0, label: 'tench', probability: 0.5 }]);
    const [all] = decodePredictions(rows(1), { top: 1000 });
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((p) => p.index)).size).toBe(1000);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].probability).toBeGreaterThanOrEqual(all[i].probability);
    // The 992 zero scores come in class order.
    const zeros = all.slice(8).map((p) => p.index);
    expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
  });

  it('ranks NaN last', () => {
    const row = new Array<number>(1000).fill(0);
    row[0] = Number.NaN;
    row[5] = -1;
    const [preds] = decodePredictions([row], { top: 1000 });
    expect(preds[998].index).toBe(5);
    expect(preds[999].index).toBe(0);
  });

  it('rejects a bad top with a ConfigError', () => {
    for (const top of [0, -1, 1001, 2.5, Number.NaN]) {
      expect(() => decodePredictions(rows(1), { top })).toThrow(ConfigError);
      expect(() => decodePredictions(rows(1), { top })).toThrow(/integer in 1\.\.1000/);
    }
  });

  it('rejects scores not shaped [batch, 1000] with a ShapeError', async () => {
    await noLeak(() => {
      const bad = [tf.zeros([2, 999]), tf.zeros([1000]), tf.zeros([1, 1, 1000])];
      for (const x of bad) expect(() => decodePredictions(x)).toThrow(ShapeError);
      expect(() => decodePredictions(bad[0])).toThrow(/\[batch, 1000\].*\[2, 999\]/);
      tf.dispose(bad);
    });
    expect(() => decodePredictions([new Array(1000).fill(0), [1, 2, 3]])).toThrow(/3 numbers in row 1/);
    expect(() => decodePredictions(42 as never)).toThrow(ShapeError);
  });
});

// ---------------------------------------------------------------- decoding files

describe('decodeImage', () => {
  const image = gradient(30, 40);

  it('decodes an RGBA PNG written by pngjs exactly, dropping alpha', () => {
    const png = new PNG({ width: 40, height: 30 });
    for (let i = 0; i < 40 * 30; i++) {
      png.data.set(image.data.subarray(i * 3, i * 3 + 3), i * 4);
      png.data[i * 4 + 3] = i % 3 === 0 ? 0 : 200; // some fully transparent pixels keep their RGB
    }
    const bytes = new Uint8Array(PNG.sync.write(png));
    expect(sniffImageFormat(bytes)).toBe('png');
    const decoded = decodeImage(bytes);
    expect(decoded.height).toBe(30);
    expect(decoded.width).toBe(40);
    expect(decoded.data).toEqual(image.data);
  });

  it('expands grayscale, gray+alpha, 16-bit and palette PNGs to RGB', () => {
    const gray = decodeImage(rawPng(3, 1, 0, 8, [[0, 100, 255]]));
    expect(Array.from(gray.data)).toEqual([0, 0, 0, 100, 100, 100, 255, 255, 255]);

    const grayAlpha = decodeImage(rawPng(2, 1, 4, 8, [[7, 0, 9, 255]]));
    expect(Array.from(grayAlpha.data)).toEqual([7, 7, 7, 9, 9, 9]);

    // 16-bit RGB: 0xFFFF → 255, 0x8080 → 128, 0x0101 → 1.
    const deep = decodeImage(rawPng(1, 1, 2, 16, [[0xff, 0xff, 0x80, 0x80, 0x01, 0x01]]));
    expect(Array.from(deep.data)).toEqual([255, 128, 1]);

    // 2-bit palette, two rows of two pixels.
    const palette: Array<[string, number[]]> = [['PLTE', [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]]];
    const pal = decodeImage(rawPng(2, 2, 3, 2, [[0b0001_0000], [0b1011_0000]], palette));
    expect(pal.height).toBe(2);
    expect(Array.from(pal.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
  });

  it('decodes a JPEG written by jpeg-js close to the source', () => {
    const bytes = new Uint8Array(encodeJpeg({ data: Buffer.from(gradientRgba(image)), width: 40, height: 30 }, 95).data);
    expect(sniffImageFormat(bytes)).toBe('jpeg');
    const decoded = decodeImage(bytes);
    expect([decoded.height, decoded.width, decoded.data.length]).toEqual([30, 40, 30 * 40 * 3]);
    let maxDiff = 0;
    for (let i = 0; i < image.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(decoded.data[i] - image.data[i]));
    expect(maxDiff).toBeLessThanOrEqual(8);
  });

  it('decodes a 4:2:0 JPEG exactly as Pillow (libjpeg-turbo: islow IDCT, fancy upsampling)', () => {
    // A 24×20 JPEG saved by Pillow 9.4 (quality 90, subsampling 4:2:0) from
    // pillowPattern(20, 24), and the pixels Pillow decodes from it.
    const jpeg = new Uint8Array(Buffer.from(PIL_JPEG_BASE64, 'base64'));
    const expected = new Uint8Array(Buffer.from(PIL_JPEG_PIXELS_BASE64, 'base64'));
    const decoded = decodeImage(jpeg);
    expect([decoded.height, decoded.width]).toEqual([20, 24]);
    let maxDiff = 0;
    let sum = 0;
    for (let i = 0; i < expected.length; i++) {
      const d = Math.abs(decoded.data[i] - expected[i]);
      maxDiff = Math.max(maxDiff, d);
      sum += d;
    }
    expect(maxDiff).toBe(0);
    expect(sum).toBe(0);
  });

  it('rejects other formats with a ConfigError naming JPEG and PNG', () => {
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    expect(sniffImageFormat(gif)).toBeUndefined();
    expect(() => decodeImage(gif)).toThrow(ConfigError);
    expect(() => decodeImage(gif)).toThrow(/47 49 46 38.*JPEG.*PNG/);
    expect(() => decodeImage(new Uint8Array(0))).toThrow(/accepted formats are JPEG .* and PNG/);
  });

  it('wraps a corrupt file in a ConfigError', () => {
    const truncated = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2]);
    expect(() => decodeImage(truncated)).toThrow(ConfigError);
    expect(() => decodeImage(truncated)).toThrow(/PNG data could not be decoded/);
    expect(() => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toThrow(/JPEG data could not be decoded/);
  });
});

function gradientRgba(image: RgbImage): Uint8Array {
  const rgba = new Uint8Array(image.height * image.width * 4);
  for (let i = 0; i < image.height * image.width; i++) {
    rgba.set(image.data.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

describe('loadImage', () => {
  it('reads a file path or takes bytes, and reports a missing file as a FetchError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-resnet-img-'));
    try {
      const png = new PNG({ width: 2, height: 1 });
      png.data.set([1, 2, 3, 255, 4, 5, 6, 255]);
      const bytes = new Uint8Array(PNG.sync.write(png));
      const file = path.join(dir, 'two.png');
      await writeFile(file, bytes);
      for (const source of [file, bytes]) {
        const image = await loadImage(source);
        expect([image.height, image.width, Array.from(image.data)]).toEqual([1, 2, [1, 2, 3, 4, 5, 6]]);
      }
      await expect(loadImage(path.join(dir, 'missing.jpg'))).rejects.toThrow(FetchError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- resize, crop, eval transform

describe('resizeImage', () => {
  it('keeps a constant image constant, down and up', () => {
    const flat = makeImage(30, 40, (_x, _y, c) => [17, 128, 250][c]);
    for (const [height, width] of [
      [256, 341],
      [7, 9],
      [1, 1],
      [30, 41],
      [61, 83],
      [30, 40],
    ]) {
      const out = resizeImage(flat, { height, width });
      expect([out.height, out.width, out.data.length]).toEqual([height, width, height * width * 3]);
      const off = out.data.findIndex((v, i) => v !== [17, 128, 250][i % 3]);
      expect(off, `${height}×${width}`).toBe(-1);
    }
  });

  it('is the identity at the same size, on a copy', () => {
    const image = gradient(30, 40);
    const out = resizeImage(image, { height: 30, width: 40 });
    expect(out.data).toEqual(image.data);
    expect(out.data).not.toBe(image.data);
  });

  it("matches Pillow's Image.resize(BILINEAR) byte for byte", () => {
    // sha256 of Pillow 9.4's `img.resize((w, h), Image.BILINEAR).tobytes()`
    // for img = pillowPattern(30, 40).
    const reference: Array<[number, number, string]> = [
      [256, 341, '9a849861fab6c302132b80f590bde0f44bb12927b681e63f5e8849342ef351bc'],
      [12, 16, '09c53a6956edd64e7b027961afca22f8dac75edfe7c61b858579d7aeff18bdc0'],
      [7, 9, '8d1f5aa5654d3f5091d633b1d8b95c4b775f89cd51b6ec06fb5e687fea0ad62e'],
      [30, 41, '73f8ea5f9f483f3806b7b3aba942e50dc25a6e3daa6887cc9d568161a7be20a3'],
      [61, 83, '5b074ce48fd98b2e83f72be6c76d78b415ab746b3b8c87c0d013b3c90d2a3d49'],
    ];
    const image = pillowPattern(30, 40);
    expect(Array.from(resizeImage(image, { height: 12, width: 16 }).data.subarray(0, 6))).toEqual([105, 130, 140, 117, 126, 137]);
    for (const [height, width, digest] of reference) {
      expect(sha256(resizeImage(image, { height, width }).data), `${height}×${width}`).toBe(digest);
    }
  });

  it('antialiases: a 1-pixel checkerboard halved becomes flat grey', () => {
    const checker = makeImage(8, 8, (x, y) => ((x + y) % 2 ? 255 : 0));
    const out = resizeImage(checker, { height: 4, width: 4 });
    // Interior pixels average the pattern exactly; edges see a truncated kernel.
    for (const y of [1, 2]) for (const x of [1, 2]) expect(out.data[(y * 4 + x) * 3]).toBe(128);
  });

  it('validates its arguments', () => {
    const image = gradient(4, 4);
    expect(() => resizeImage(image, { height: 0, width: 4 })).toThrow(ConfigError);
    expect(() => resizeImage(image, { height: 2.5, width: 4 })).toThrow(ConfigError);
    expect(() => resizeImage({ data: new Uint8Array(5), height: 2, width: 2 }, { height: 1, width: 1 })).toThrow(ShapeError);
  });
});

describe('centerCrop', () => {
  /** Pixel (x, y) stores x in R (mod 256), y in G. */
  const coords = (height: number, width: number): RgbImage => makeImage(height, width, (x, y, c) => (c === 0 ? x % 256 : c === 1 ? y : 0));

  it("rounds the offset like torchvision (Python's round half to even)", () => {
    const crop = centerCrop(coords(256, 341), { height: 224, width: 224 });
    // top = round(32 / 2) = 16; left = round(117 / 2) = round(58.5) = 58, not 59.
    expect([crop.data[0], crop.data[1]]).toEqual([58, 16]);
    const last = (224 * 224 - 1) * 3;
    expect([crop.data[last], crop.data[last + 1]]).toEqual([(58 + 223) % 256, 16 + 223]);
    // round(57.5) = 58 too (even).
    expect(centerCrop(coords(1, 339), { height: 1, width: 224 }).data[0]).toBe(58);
  });

  it('pads with black when the crop is larger than the image, as torchvision', () => {
    const crop = centerCrop(coords(2, 3), { height: 4, width: 6 });
    // Padding: left (6 - 3) // 2 = 1, top (4 - 2) // 2 = 1.
    const px = (x: number, y: number): number[] => Array.from(crop.data.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3));
    expect(px(0, 0)).toEqual([0, 0, 0]);
    expect(px(1, 1)).toEqual([0, 0, 0]); // source (0, 0) is itself black: R = x = 0, G = y = 0
    expect(px(2, 1)).toEqual([1, 0, 0]);
    expect(px(3, 2)).toEqual([2, 1, 0]);
    expect(px(4, 2)).toEqual([0, 0, 0]);
    expect(px(3, 3)).toEqual([0, 0, 0]);
  });
});

describe('imagenetEvalTransform', () => {
  it('sizes the shorter side to 256 with int() on the longer side', () => {
    expect(shorterSideSize(300, 400, 256)).toEqual({ height: 256, width: 341 });
    expect(shorterSideSize(400, 300, 256)).toEqual({ height: 341, width: 256 });
    expect(shorterSideSize(500, 500, 256)).toEqual({ height: 256, width: 256 });
    expect(shorterSideSize(30, 40, 232)).toEqual({ height: 232, width: 309 });
  });

  it('resizes to 256×341 and center-crops 224×224 from a 300×400 image', async () => {
    const image = makeImage(300, 400, (x, y, c) => (c === 0 ? (x * 255) / 399 : c === 1 ? (y * 255) / 299 : 77));
    const expected = centerCrop(resizeImage(image, { height: 256, width: 341 }), { height: 224, width: 224 });
    await noLeak(() => {
      const x = imagenetEvalTransform(image);
      expect(x.shape).toEqual([224, 224, 3]);
      expect(x.dtype).toBe('float32');
      const values = x.dataSync();
      expect(values.length).toBe(expected.data.length);
      expect(values.findIndex((v, i) => v !== expected.data[i])).toBe(-1);
      x.dispose();
    });
  });

  it("equals torchvision's Resize(256) + CenterCrop(224) on Pillow byte for byte", async () => {
    await noLeak(() => {
      const x = imagenetEvalTransform(pillowPattern(30, 40));
      expect(sha256(Uint8Array.from(x.dataSync()))).toBe('10f5e4d6337c6acf3cd04e50a4b3e78af758c006189484ba899dd03a176ce9a7');
      x.dispose();
    });
  });

  it('keeps a constant image constant and accepts a tensor (e.g. fromPixels)', async () => {
    await noLeak(() => {
      const pixels = tf.fill([120, 90, 3], 200, 'int32');
      const x = imagenetEvalTransform(pixels, { resize: 64, crop: 56 });
      expect(x.shape).toEqual([56, 56, 3]);
      expect(new Set(x.dataSync()).size).toBe(1);
      expect(x.dataSync()[0]).toBe(200);
      expect(pixels.isDisposed).toBe(false);
      tf.dispose([x, pixels]);
    });
  });

  it('feeds preprocessInput without leaking', async () => {
    await noLeak(() => {
      const y = tf.tidy(() => preprocessInput(imagenetEvalTransform(gradient(30, 40)), { mode: 'torch' }).expandDims(0));
      expect(y.shape).toEqual([1, 224, 224, 3]);
      y.dispose();
    });
  });

  it('validates resize, crop and the image', () => {
    const image = gradient(4, 4);
    expect(() => imagenetEvalTransform(image, { resize: 0 })).toThrow(ConfigError);
    expect(() => imagenetEvalTransform(image, { crop: 22.5 })).toThrow(ConfigError);
    expect(() => imagenetEvalTransform({ data: new Uint8Array(3), height: 2, width: 2 })).toThrow(ShapeError);
    const wrong = tf.zeros([4, 4]);
    expect(() => imagenetEvalTransform(wrong)).toThrow(ShapeError);
    wrong.dispose();
  });
});

describe('imageToTensor / tensorToImage', () => {
  it('round-trip the pixels as float32 0..255', async () => {
    const image = gradient(3, 5);
    await noLeak(() => {
      const x = imageToTensor(image);
      expect(x.shape).toEqual([3, 5, 3]);
      expect(x.dtype).toBe('float32');
      expect(tensorToImage(x)).toEqual(image);
      x.dispose();
      const y = tf.tensor3d([[[-3, 127.6, 300]]]);
      expect(Array.from(tensorToImage(y).data)).toEqual([0, 128, 255]);
      y.dispose();
    });
  });
});

const PIL_JPEG_BASE64 = [
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU',
  'FRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU',
  'FBQUFBQUFBT/wAARCAAUABgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF',
  'BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW',
  'V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi',
  '4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC',
  'AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm',
  'Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq',
  '8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDK11otGSfS3mhtbZABLpNtasUNuMSIx05SsccZA3hr1mcxZYmMqK6BfDz39ifDsdtd6tHM',
  'qNqOnxwx39zYT7rjzVgCNHZ27xvHIiglnCkEbcgBkFrDb28Vg1wNNI2KLW9uvJsljEsTxmPT7eRp7rIlZg0uxtrKz55xU1HUrW51',
  'rRdO+wz6wzWDabeWH2OOcwN5iyndYwP5KfvEiYmZmZiR8reXkzSqTxXtKdOEpOOqbj8TsndaaS6yg2udJSSXNG2FOpGjy4bnjFpt',
  'NyTgveinF9+X3bK6XLze77raVtdLh16Gaw+y6hdmx+0PHIkv21bXAyWN5KFt7ZNrp/qVeUBBhgQFooGlzXWp2ls2nas2vWzREyTa',
  'RHNqKEyROoWJEWxthtkY7neQEYYBXyKKKGeZZlS5MzxMKMpJSSaupJ6uUW1flk3ez1UuZNXTbmWcRp1G40JyTSf8ScGr62dm+a17',
  'Kbs5Rs2rtkPifVJ/DXhz4prp7vDZaHcPZG0Mrt/aAaZVeS4mLeeXYMQTHIgOTkcnOBpPiG5sfhTfG2WO0tLvVLixSytAYI7eJYLg',
  'gK0ZWRx8oBWV3VgSGDcYKKtwjLAVZtatNt9W4ypqLfnFaJ9FojowkILHUqaS5VVWnTWGunnZX79Te1HQobT4QaZeXD/2h9j1w6XZ',
  'W8sEMMNqkhIaRUhSMM+YkbEm9dwztooor6CLeHxVanR92N07LRXkrydl1k223u27vU93IsJh8XRl9YpxnytpcyTsueeivsvJaH//',
  '2Q==',
].join('');
const PIL_JPEG_PIXELS_BASE64 = [
  'ADpaLWJ0bHh0mJ+Nrce6ttPXT1d8LCdHX05EhXVbqZ+VrKOa2Mm0YlNAPDEvY0tbnmGLzJOkvqlw0MuTZVhsPy5YXkpVkX54ZpOw',
  'lbrMsMPBSFZHHjQnRVBSi3mfu6LKwbrCUE1GfHJwX1JKi3xpuKyctKuuVUdYi2qHWTpCemw/XlcrhHiEo5i4tbHARENLxMHUVl5r',
  'KEZIWXhwmaWXybO1eDBYml2WSFOBHjhZZV1sn4qHzb+y1M3Dbm56RE1ea4OHSV1UkY57vrGezcK8WFtkNExoTG+VQz0xbnNtjamt',
  'p8TIUV1RTzMwoUtofjVieIOwnsDl1s7lg2x0WUpDPTYwamh1lZurp7q+pbi2wsjIaWFfXEpAioB/orTKgKHCf6dhor+TU1xjO0JV',
  'boSBXFxSy4+R3qGoXVtex9jgc2uDaFRtpJGVh3hzvbGx59HdlmWDbEdmPEhWeIOJ17O17Ly8z7q3XFRRs/GmGEcTYXFno6m1hZyi',
  'rra5fFhaYTo1MzYlbHxyvbrLn5KszL3QbWJmVVJDTDQosGh2jk9qnqa9tMfWfWRqeVBMWjotnoNwK2dLZZx8pNGoiqeRT1puR0Jq',
  'MyNAfXeFrsi9jKub0NbSLys5ZmKHXGF3l6yLmZxl466GzJSFUkpiPE1rJzk7c3tuy761u6Wah7S5ueTdHkYrHzgibG92a1x5vafO',
  'RDtYttTSHEUzXXVlYW1ttrrXnKe5uNy4vNaViHoziWc5ellgsaO8lqmvtdLNu8W8bG5jQU9pSFJtmJy5lZScz8uozbidklp3imCI',
  'XXB0RHRmlcW3lLWqQkhEztjPIkgxFEUWaJJGg4Y/15J1l0lJYU5iTF1tNllSgq+aZlF4uaTNt6TSSkBJTVQQXFoQcEdDsYedm5qi',
  'utjYn9LVIUpGODUmjn9shpGAqMqvnNehob6EomtEqWJOfmpsYnZ9gbWxj9LJ4ajVdkhtcllvb3JdVnsek75TnLBztK+Ze1tmfGmF',
  'X4GmW3mVlHR36a+k16iYhXNnEjAyFT08f4lwh4xkt8uaq9OxD0pQCk1nfFBhgmNpe3NorMGWptyGpuR/KlsAOkwOZ0M3uZqsl7HS',
  'pL7fcU5kjkhQoFdOm3Flc4eOZZegq9jVtt7DMlobOWkvK2dffL7OaHlNssqYrM6Ss+CnIVotM20yS3oaobtaxLp/vbaau9rULElZ',
  'W0xzf1N07a2uzKeNqcifpN7FJFJqNVtuSXNFm8qGk8abmNCtnbyDIT4GNk4cQ2I2RXdUisKVpNOLvNyRR04bYWhJYIJxZomPiJXB',
  'SkFwZkdZfm5eFT0BIFUri6XIobbjk7Wlp9SdH1IHLmQQdHRcm42CvJajzbW1osKQsOuxLmNRT3Z7coCNjpynkbi3grG5DThbH0Nz',
  'QVqDWHV9bZtqhKV6Wk1pb16SHjNOJFE6RHoamNROh4R92MjScEl1hG19LlQLPXMlYH96hZW5oK3aV2uOGENMLmFiSXqBbJmsgafL',
  'osjboc+1x+O9cWRUkXeAmJK0sMHJoMqIrON9q8G+P1VgW3GYeJudjctqo85j38uwd1RsLCpbOlKAT32Mc6GUoLyUqbmV1N7dTF5s',
  'FztHNFpBorpa19N8dEVLi2KKOEVYR293Ij87S2pvXYGZirmzjtB5ueCFgWFKVCM2Xld5bYWph7TJjrmw0eWyaGcvRTMfal1me4iq',
  'mLi3ocxy1ueLhVVRWyRMaWaRdIu3i5uRsby2xsfJU2NYE0YdTHhVko2Uxa/Ex8XKSltjFjtYQWp8do1zwbmU5LGcgUpNQCdOP0hv',
  'FEFGOmJajoiMwKuyu7a6TFBRy9PGbGxgVkg9eXpsjLWlmcbBRk5lOTFGYmJYO0hBU3WYd56/qsK1TUQlq2lTgzc5nnScWViRcJ7S',
  'ms/xvcrTbWlgVU4+gHlm',
].join('');
