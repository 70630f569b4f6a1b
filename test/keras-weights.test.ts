// loadKerasWeights: Keras-style weight names and shapes equal keras.applications',
// manifests from model.save and hand-made in the converter's naming, strict rules.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, WeightsError } from '../src/errors.js';
import { resnet } from '../src/models/resnet.js';
import { kerasWeightKey, loadKerasWeights } from '../src/weights/load-keras.js';
import type { WeightsProgress } from '../src/weights/load-options.js';
import { expectSameWeights } from './helpers/weight-compare.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-keras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The weights of keras.applications ResNet50/101/152 (resnet.py: stack1 and
 * block1), derived independently of the builder: name → shape.
 */
function kerasApplicationsWeights(blocks: number[], classes = 1000): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const conv = (name: string, k: number, cin: number, cout: number): void => {
    out.set(`${name}/kernel`, [k, k, cin, cout]);
    out.set(`${name}/bias`, [cout]);
  };
  const bn = (name: string, c: number): void => {
    for (const w of ['gamma', 'beta', 'moving_mean', 'moving_variance']) out.set(`${name}/${w}`, [c]);
  };
  conv('conv1_conv', 7, 3, 64);
  bn('conv1_bn', 64);
  let cin = 64;
  [64, 128, 256, 512].forEach((filters, s) => {
    for (let b = 1; b <= blocks[s]; b++) {
      const name = `conv${s + 2}_block${b}`;
      if (b === 1) {
        conv(`${name}_0_conv`, 1, cin, 4 * filters);
        bn(`${name}_0_bn`, 4 * filters);
      }
      conv(`${name}_1_conv`, 1, cin, filters);
      bn(`${name}_1_bn`, filters);
      conv(`${name}_2_conv`, 3, filters, filters);
      bn(`${name}_2_bn`, filters);
      conv(`${name}_3_conv`, 1, filters, 4 * filters);
      bn(`${name}_3_bn`, 4 * filters);
      cin = 4 * filters;
    }
  });
  out.set('predictions/kernel', [2048, classes]);
  out.set('predictions/bias', [classes]);
  return out;
}

const weightShapes = (model: tf.LayersModel): Map<string, number[]> => new Map(model.weights.map((w) => [w.originalName, w.shape as number[]]));

describe('Keras-style weights are those of keras.applications', () => {
  const cases = [
    { depth: 50, blocks: [3, 4, 6, 3], total: 25_636_712 },
    { depth: 101, blocks: [3, 4, 23, 3], total: 44_707_176 },
    { depth: 152, blocks: [3, 8, 36, 3], total: 60_419_944 },
  ] as const;
  for (const { depth, blocks, total } of cases) {
    it(`ResNet${depth}: every name and shape, ${total.toLocaleString('en')} values`, () => {
      const model = resnet(depth, { style: 'keras', init: 'zeros' });
      const ours = weightShapes(model);
      const expected = kerasApplicationsWeights([...blocks]);
      expect([...ours.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, shape] of expected) expect(ours.get(name), name).toEqual(shape);
      expect(model.countParams()).toBe(total);
      if (depth === 50) {
        expect(ours.get('conv1_conv/kernel')).toEqual([7, 7, 3, 64]);
        expect(ours.get('conv2_block1_0_conv/kernel')).toEqual([1, 1, 64, 256]);
      }
    });
  }
});

describe('loadKerasWeights', () => {
  // A small Keras-style network with random weights, and its saved artifacts.
  const build = (init: 'default' | 'zeros' = 'zeros', classes = 10): tf.LayersModel =>
    resnet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [8, 16, 32, 64], stemWidth: 16 }, { style: 'keras', inputShape: [64, 64, 3], classes, init });
  let source: tf.LayersModel;
  let artifacts: tf.io.ModelArtifacts;
  let data: Uint8Array;
  beforeAll(async () => {
    source = build('default');
    await source.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    data = new Uint8Array(artifacts.weightData as ArrayBuffer);
  });

  it('reads what model.save writes (ModelArtifacts), bit for bit, without leaking tensors', async () => {
    const model = build();
    const before = tf.memory().numTensors;
    const report = await loadKerasWeights(model, { weightSpecs: artifacts.weightSpecs!, weightData: artifacts.weightData! });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.loaded).toHaveLength(model.weights.length);
    expect(report.bytes).toBe(4 * model.countParams());
    expectSameWeights(source, model);
    const x = tf.randomUniform([1, 64, 64, 3]);
    const [ya, yb] = [source, model].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb]);
  });

  it('reads a converter-style model.json with a scope prefix, ":0" suffixes and two shards, from a path and a file:// URL', async () => {
    const specs = artifacts.weightSpecs!.map((s) => ({ ...s, name: `resnet50/${s.name}:0` }));
    const cut = (data.length >> 1) + 6; // two shards of different sizes, cut inside a tensor
    writeFileSync(path.join(dir, 'group1-shard1of2.bin'), data.subarray(0, cut));
    writeFileSync(path.join(dir, 'group1-shard2of2.bin'), data.subarray(cut));
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'keras v2.13.1',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs }],
    };
    const file = path.join(dir, 'model.json');
    writeFileSync(file, JSON.stringify(modelJson));

    const a = build();
    const progress: WeightsProgress[] = [];
    await loadKerasWeights(a, file, { onProgress: (p) => progress.push(p) });
    expectSameWeights(source, a);
    const fetched = progress.filter((p) => p.phase === 'fetch').at(-1)!;
    expect(fetched.loaded).toBeGreaterThan(data.length);

    const b = build();
    await loadKerasWeights(b, pathToFileURL(file));
    expectSameWeights(source, b);

    // sha256 is the model.json's digest; the shards are read without it.
    const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
    const d = build();
    await loadKerasWeights(d, file, { sha256: digest });
    expectSameWeights(source, d);
    await expect(loadKerasWeights(build(), file, { sha256: '0'.repeat(64) })).rejects.toThrow(FetchError);

    const c = build();
    await loadKerasWeights(c, { modelJson: JSON.stringify(modelJson), weightData: [data.subarray(0, cut), data.subarray(cut)] });
    expectSameWeights(source, c);
  });

  it('names: one leading scope and ":0" are dropped', () => {
    expect(kerasWeightKey('resnet50/conv1_conv/kernel:0')).toBe('conv1_conv/kernel');
    expect(kerasWeightKey('conv1_bn/moving_variance')).toBe('conv1_bn/moving_variance');
    expect(kerasWeightKey('a/b/c/d')).toBe('a/b/c/d');
  });

  it('strict: missing and unexpected names throw; non-strict reports them', async () => {
    // Drop the classifier's two weights (and their bytes) and add an extra one.
    const specs = artifacts.weightSpecs!;
    const kept: tf.io.WeightsManifestEntry[] = [];
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const spec of specs) {
      const size = 4 * spec.shape.reduce((a, b) => a * b, 1);
      if (!spec.name.startsWith('predictions/')) {
        kept.push(spec);
        parts.push(data.subarray(offset, offset + size));
      }
      offset += size;
    }
    expect(kept).toHaveLength(specs.length - 2);
    const extra = new Float32Array([1, 2, 3]);
    const renamed = {
      weightSpecs: [...kept, { name: 'extra/w', shape: [3], dtype: 'float32' as const }],
      weightData: [...parts, new Uint8Array(extra.buffer)],
    };
    const model = build();
    await expect(loadKerasWeights(model, renamed)).rejects.toThrow(
      /2 keys of the model are missing from the weights \("predictions\/kernel", "predictions\/bias"\) and 1 key of the weights is unexpected \("extra\/w"\)/,
    );
    const report = await loadKerasWeights(model, renamed, { strict: false });
    expect(report.missing).toEqual(['predictions/kernel', 'predictions/bias']);
    expect(report.unexpected).toEqual(['extra/w']);
    expect(report.loaded).toHaveLength(specs.length - 2);
  });

  it('a shape mismatch throws naming both shapes; data of the wrong size and torchvision-style models are explained', async () => {
    const other = build('zeros', 7);
    await expect(loadKerasWeights(other, artifacts as never, { strict: false })).rejects.toThrow(
      /shape mismatch for "predictions\/kernel": the weights have \[256, 10\], the model expects \[256, 7\]/,
    );
    await expect(loadKerasWeights(build(), { weightSpecs: artifacts.weightSpecs!, weightData: data.subarray(4) })).rejects.toThrow(
      /the manifest describes \d+ bytes of weights but the weight data holds \d+/,
    );
    const torchStyle = resnet(
      { block: 'bottleneck', layers: [1, 1, 1, 1], widths: [8, 16, 32, 64], stemWidth: 16 },
      { inputShape: [64, 64, 3], classes: 10, init: 'zeros' },
    );
    const error = await loadKerasWeights(torchStyle, artifacts as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as Error).message).toMatch(/built in torchvision style.*style: 'keras'/);
    await expect(loadKerasWeights(build(), { weightsManifest: 'nope' as never, weightData: data })).rejects.toThrow(
      /weightsManifest must be an array of groups/,
    );
  });
});
