// Each weight's own preprocessing: Pillow-exact BILINEAR and BICUBIC resizes
// (references from Debian's python3-pil, test/fixtures/tools/pillow-resize.py),
// resolveDataConfig (timm's resolve_data_config rules) and createTransform.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { resizeImage, type Interpolation } from '../src/imagenet/resize.js';
import { createTransform } from '../src/imagenet/transform.js';
import { resolveDataConfig } from '../src/pretrained/data-config.js';
import { listPretrained } from '../src/pretrained/catalog.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';

expectNoTensorLeaks();

interface PillowCase {
  kind: string;
  height: number;
  width: number;
  data: string;
  outputs: Array<{ height: number; width: number; interpolation: Interpolation; sha256: string; first: number[] }>;
}
const pillow = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/pillow-resize.json'), 'utf8')) as { pillow: string; cases: PillowCase[] };
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe("resizeImage: Pillow's BILINEAR and BICUBIC byte for byte", () => {
  for (const c of pillow.cases) {
    it(`${c.kind} ${c.height}×${c.width} (Pillow ${pillow.pillow}: ${c.outputs.length} resizes)`, () => {
      const image = { data: new Uint8Array(Buffer.from(c.data, 'base64')), height: c.height, width: c.width };
      for (const o of c.outputs) {
        const out = resizeImage(image, { height: o.height, width: o.width, interpolation: o.interpolation });
        const label = `${o.interpolation} → ${o.height}×${o.width}`;
        expect(Array.from(out.data.subarray(0, 6)), label).toEqual(o.first);
        expect(sha256(out.data), label).toBe(o.sha256);
      }
    });
  }

  it('refuses an unknown filter', () => {
    const image = { data: new Uint8Array(12), height: 2, width: 2 };
    expect(() => resizeImage(image, { height: 1, width: 1, interpolation: 'lanczos' as Interpolation })).toThrow(/interpolation.*bilinear.*bicubic/);
  });
});

describe('resolveDataConfig', () => {
  it("follows torchvision's transforms and timm's crop_pct rule", () => {
    expect(resolveDataConfig('resnet50')).toEqual({
      inputSize: [224, 224],
      interpolation: 'bilinear',
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      cropPct: 224 / 232,
      resizeSize: 232,
    });
    expect(resolveDataConfig('resnet18.tv_in1k').resizeSize).toBe(256);
    // timm: floor(224 / 0.95) = 235; test size 288 at crop_pct 1.0.
    expect(resolveDataConfig('resnet50.a1_in1k')).toMatchObject({ inputSize: [224, 224], interpolation: 'bicubic', cropPct: 0.95, resizeSize: 235 });
    expect(resolveDataConfig('resnet50.a1_in1k', { test: true })).toMatchObject({ inputSize: [288, 288], cropPct: 1, resizeSize: 288 });
    // resnet10t: 176 at 0.875 → 201; test 224 at 0.95 → 235.
    expect(resolveDataConfig('resnet10t')).toMatchObject({ inputSize: [176, 176], resizeSize: 201, interpolation: 'bicubic' });
    expect(resolveDataConfig('resnet10t', { test: true })).toMatchObject({ inputSize: [224, 224], resizeSize: 235 });
    // No test size: the test flag changes nothing.
    expect(resolveDataConfig('resnet50', { test: true })).toEqual(resolveDataConfig('resnet50'));
    expect(resolveDataConfig('resnet32.akamaster_cifar10')).toMatchObject({ inputSize: [32, 32], resizeSize: 32, cropPct: 1 });
  });

  it('resolves every loadable catalog entry to a usable transform; Keras entries and unknown models say why not', () => {
    for (const w of listPretrained({ loadable: true })) {
      for (const test of [false, true]) {
        const config = resolveDataConfig(w.tag, { test });
        expect(config.resizeSize, w.tag).toBeGreaterThanOrEqual(config.inputSize[0]);
        createTransform(config);
      }
    }
    expect(() => resolveDataConfig('resnet50.keras_in1k')).toThrow(/preprocessInput\(x, \{ mode: 'caffe' \}\)/);
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    expect(() => resolveDataConfig(plain)).toThrow(ConfigError);
    plain.dispose();
  });
});

describe('createTransform', () => {
  it('resizes the shorter side with the filter, center crops and normalises as ToTensor + Normalize', () => {
    const c = pillow.cases[1]; // 64×48 gradient
    const image = { data: new Uint8Array(Buffer.from(c.data, 'base64')), height: c.height, width: c.width };
    const config = {
      inputSize: [24, 24] as const,
      interpolation: 'bicubic' as const,
      mean: [0.5, 0.4, 0.3] as const,
      std: [0.2, 0.25, 0.5] as const,
      cropPct: 0.8,
      resizeSize: 30,
    };
    const x = createTransform(config)(image);
    expect(x.shape).toEqual([24, 24, 3]);
    // By hand: 64×48 → shorter side 30: 40×30 (torchvision's int()), crop rows 8.., cols 3.. (round((30-24)/2) = 3).
    const resized = resizeImage(image, { height: 40, width: 30, interpolation: 'bicubic' });
    const got = x.dataSync();
    let worst = 0;
    for (let i = 0; i < 24; i++) {
      for (let j = 0; j < 24; j++) {
        for (let k = 0; k < 3; k++) {
          const pixel = resized.data[((i + 8) * 30 + (j + 3)) * 3 + k];
          const want = (Math.fround(pixel / 255) - config.mean[k]) / config.std[k];
          worst = Math.max(worst, Math.abs(got[(i * 24 + j) * 3 + k] - want));
        }
      }
    }
    expect(worst).toBeLessThan(1e-6);
    x.dispose();
  });

  it('refuses malformed configs', () => {
    const good = resolveDataConfig('resnet50');
    expect(() => createTransform({ ...good, inputSize: [224, 160] })).toThrow(/square/);
    expect(() => createTransform({ ...good, std: [1, 0, 1] })).toThrow(/std must not contain 0/);
    expect(() => createTransform({ ...good, interpolation: 'nearest' as Interpolation })).toThrow(ConfigError);
    expect(() => createTransform({ ...good, mean: [1, 2] as unknown as [number, number, number] })).toThrow(/three finite numbers/);
  });
});
