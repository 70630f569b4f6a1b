// Half-size web weights: convert --weights-dtype float16 | uint8 (withWeightsDtype)
// writes tfjs manifests with the `quantization` field that plain
// tf.loadLayersModel expands back to float32; the accuracy cost measured on
// the real CIFAR-10 images (the 1,900 the int8 test evaluates on).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, withWeightsDtype, createModel } from '../src/index.js';
import { runCli, CLI_EXIT_CODES, nodeFileSystem } from '../src/cli/index.js';
import { fixturePath } from './helpers/golden-numerics.js';
import { EVALUATION_INDICES, cifarImages, cifarLabels, percentEqual } from './helpers/cifar-realworld.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';

let dir = '';
let images: tf.Tensor4D;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-web-weights-'));
  images = cifarImages();
});
afterAll(() => {
  images.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function top1(model: tf.LayersModel): Promise<Int32Array> {
  const out: number[] = [];
  for (let i = 0; i < images.shape[0]; i += 250) {
    const p = tf.tidy(() => (model.predict(images.slice(i, 250)) as tf.Tensor).argMax(-1));
    out.push(...(await p.data()));
    p.dispose();
  }
  return Int32Array.from(out);
}

interface Manifest {
  weightsManifest: Array<{ weights: Array<{ name: string; dtype: string; quantization?: { dtype: string; min?: number; scale?: number } }> }>;
}

describe('convert --weights-dtype: manifests plain tf.loadLayersModel reads, accuracy on 1,900 real CIFAR-10 images', () => {
  test('resnet32: float16 within 0.1 points of float32, uint8 within 1; weights.bin ½ and ¼', async () => {
    const weights = fixturePath('realworld/resnet32.th');
    const results: Record<string, { top1: number; agreement: number; bytes: number }> = {};
    let reference: Int32Array | undefined;
    const labels = cifarLabels();
    for (const dtype of ['float32', 'float16', 'uint8'] as const) {
      const out = path.join(dir, dtype);
      let err = '';
      const code = await runCli(['convert', 'resnet32', '--weights', weights, '--out', out, '--logits', '--weights-dtype', dtype], {
        stdout: { write: () => undefined },
        stderr: { write: (t: string) => void (err += t) },
      });
      expect(err).not.toMatch(/error/i);
      expect(code).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as Manifest;
      const specs = manifest.weightsManifest[0].weights;
      for (const s of specs) {
        expect(s.dtype).toBe('float32');
        if (dtype === 'float32') expect(s.quantization).toBeUndefined();
        else expect(s.quantization?.dtype).toBe(dtype);
        if (dtype === 'uint8') expect(Number.isFinite(s.quantization!.min) && s.quantization!.scale! > 0).toBe(true);
      }
      const model = await tf.loadLayersModel(nodeFileSystem(path.join(out, 'model.json')));
      const predicted = await top1(model);
      model.dispose();
      reference ??= predicted;
      results[dtype] = {
        top1: percentEqual(predicted, labels, EVALUATION_INDICES),
        agreement: percentEqual(predicted, reference, EVALUATION_INDICES),
        bytes: statSync(path.join(out, 'weights.bin')).size,
      };
    }
    console.log(
      Object.entries(results)
        .map(([d, r]) => `${d}: top-1 ${r.top1.toFixed(2)}%, agreement with float32 ${r.agreement.toFixed(2)}%, weights.bin ${(r.bytes / 1024).toFixed(0)} kB`)
        .join('; '),
    );
    const { float32, float16, uint8 } = results;
    expect(Math.abs(float16.top1 - float32.top1)).toBeLessThanOrEqual(0.1);
    expect(float16.agreement).toBeGreaterThanOrEqual(99.5);
    expect(Math.abs(uint8.top1 - float32.top1)).toBeLessThanOrEqual(1);
    // Only the running-stat counters or int weights would stay 4 bytes; this model has none.
    expect(float16.bytes).toBe(float32.bytes / 2);
    expect(uint8.bytes).toBe(float32.bytes / 4);
  }, 600_000);
});

describe('withWeightsDtype', () => {
  expectNoTensorLeaks();

  test('float16 and uint8 round trip within their precision; zero stays exact in uint8', async () => {
    const model = await createModel('resnet20', { init: 'default' });
    const original = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    for (const dtype of ['float16', 'uint8'] as const) {
      const out = path.join(dir, `rt-${dtype}`);
      await model.save(withWeightsDtype(nodeFileSystem(out), dtype));
      const again = await tf.loadLayersModel(nodeFileSystem(path.join(out, 'model.json')));
      again.getWeights().forEach((w, i) => {
        const a = original[i];
        const b = w.dataSync() as Float32Array;
        const max = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const range = a.reduce((m, v) => Math.max(m, v), 0) - a.reduce((m, v) => Math.min(m, v), 0);
        let bad = -1;
        for (let j = 0; j < a.length && bad < 0; j++) {
          const ok =
            dtype === 'float16'
              ? Math.abs(a[j] - b[j]) <= Math.max(Math.abs(a[j]) * 2 ** -11, 2 ** -24)
              : Math.abs(a[j] - b[j]) <= range / 255 / 2 + 1e-6 * max && (a[j] !== 0 || b[j] === 0);
          if (!ok) bad = j;
        }
        expect(bad < 0 ? 'all within' : `weight ${i} element ${bad}: ${a[bad]} became ${b[bad]}`).toBe('all within');
      });
      again.dispose();
    }
    model.dispose();
  });

  test('float16: a weight beyond half precision (|v| ≥ 65520) stays float32 instead of becoming Infinity', async () => {
    const input = tf.input({ shape: [3] });
    const output = tf.layers.dense({ units: 2, name: 'wide' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const values = [tf.tensor2d([1e5, -70000, 0.5, 65519, 2, 3], [3, 2]), tf.tensor1d([0.25, -1])];
    model.layers[1].setWeights(values);
    tf.dispose(values);
    const out = path.join(dir, 'f16-range');
    await model.save(withWeightsDtype(nodeFileSystem(out), 'float16'));
    const manifest = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as Manifest;
    expect(manifest.weightsManifest[0].weights.map((w) => w.quantization?.dtype ?? w.dtype)).toEqual(['float32', 'float16']);
    const again = await tf.loadLayersModel(nodeFileSystem(path.join(out, 'model.json')));
    const [kernel, bias] = again.getWeights();
    expect(Array.from(kernel.dataSync())).toEqual([1e5, -70000, 0.5, 65519, 2, 3]);
    expect(Array.from(bias.dataSync())).toEqual([0.25, -1]);
    model.dispose();
    again.dispose();
  });

  test('weight specs that overrun the weight data: a ConfigError naming the weight (was a RangeError)', async () => {
    const saved: tf.io.ModelArtifacts[] = [];
    const handler = withWeightsDtype(
      { save: async (a) => (saved.push(a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) },
      'float16',
    );
    const artifacts = {
      modelTopology: {},
      weightSpecs: [
        { name: 'a', shape: [2], dtype: 'float32' as const },
        { name: 'b', shape: [3, 2], dtype: 'float32' as const },
      ],
      weightData: new ArrayBuffer(16),
    };
    await expect(handler.save!(artifacts)).rejects.toThrow(ConfigError);
    await expect(handler.save!(artifacts)).rejects.toThrow(/weight "b" \[3, 2\] ends at byte 32, the weight data has 16/);
    expect(saved).toEqual([]);
  });

  test('bad dtype: a ConfigError naming the valid ones (also from the CLI)', async () => {
    expect(() => withWeightsDtype(nodeFileSystem(dir), 'int4' as never)).toThrow(ConfigError);
    expect(() => withWeightsDtype(nodeFileSystem(dir), 'int4' as never)).toThrow(/unknown dtype "int4"; valid values are "float32", "float16", "uint8"/);
    let err = '';
    const code = await runCli(['convert', 'resnet20', '--weights', 'w.safetensors', '--out', dir, '--weights-dtype', 'bf16'], {
      stdout: { write: () => undefined },
      stderr: { write: (t: string) => void (err += t) },
    });
    expect(code).toBe(CLI_EXIT_CODES.usage);
    expect(err).toMatch(/unknown --weights-dtype "bf16"; valid values are "float32", "float16", "uint8"/);
  });
});
