// loadPyTorchWeights and registerWeightMapping: sources, layouts, strict and
// shape rules, custom layer classes, tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, WeightsError, SafetensorsError, FetchError } from '../src/errors.js';
import { resnet } from '../src/models/resnet.js';
import { exportPyTorchWeights } from '../src/weights/export-pytorch.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { readSafetensors, writeSafetensors } from '../src/weights/safetensors.js';
import { pytorchStateDictSpec } from '../src/weights/state-dict.js';
import { registerWeightMapping } from '../src/weights/weight-mapping.js';
import type { WeightsProgress } from '../src/weights/load-options.js';
import { hashStateDictTensors, torchvisionStateDict } from './helpers/golden-numerics.js';
import { expectSameWeights, sameBytes, weightValues } from './helpers/weight-compare.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-pt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ResNet-18's layout and names at 1/8 of its widths: fast, same state-dict keys. */
const TINY18 = { block: 'basic', layers: [2, 2, 2, 2], widths: [8, 16, 32, 64], stemWidth: 8 } as const;
const small = (options: Parameters<typeof resnet>[1] = {}): tf.LayersModel =>
  resnet(
    { ...TINY18, layers: [...TINY18.layers], widths: [...TINY18.widths] },
    { inputShape: [32, 32, 3], classes: 10, classifierActivation: 'linear', ...options },
  );

describe('loadPyTorchWeights', () => {
  let bytes: Uint8Array;
  beforeAll(() => {
    const list = pytorchStateDictSpec(small({ init: 'zeros' })).map((e): [string, number[], string] => [e.key, e.shape, e.dtype]);
    expect(list.map(([key]) => key)).toEqual(torchvisionStateDict('resnet18').map(([key]) => key));
    bytes = writeSafetensors(hashStateDictTensors('dev', list));
  });

  it('skipKeys leaves those weights as they are and reports the entries ignored; a non-array is a ConfigError', async () => {
    const model = small({ init: 'zeros' });
    const report = await loadPyTorchWeights(model, bytes, { skipKeys: ['fc.weight', 'fc.bias'] });
    expect(report.ignored).toEqual(expect.arrayContaining(['fc.weight', 'fc.bias']));
    expect(report.loaded).not.toContain('fc.weight');
    const fc = model.getLayer('fc').getWeights();
    expect(fc.every((w) => w.abs().max().dataSync()[0] === 0)).toBe(true);
    fc.forEach((w) => w.dispose());
    for (const bad of ['fc.weight', [1], null]) {
      await expect(loadPyTorchWeights(small({ init: 'zeros' }), bytes, { skipKeys: bad as never })).rejects.toThrow(ConfigError);
    }
  });

  it('loads bytes, ArrayBuffers and paths identically, without leaking tensors', async () => {
    const a = small({ init: 'zeros' });
    const before = tf.memory().numTensors;
    const progress: WeightsProgress[] = [];
    const report = await loadPyTorchWeights(a, bytes, { onProgress: (p) => progress.push(p) });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.loaded).toHaveLength(102);
    expect(report.ignored).toHaveLength(20);
    expect(report.ignored.every((k) => k.endsWith('.num_batches_tracked'))).toBe(true);
    expect(report.bytes).toBe(4 * a.countParams());
    expect(report.ms).toBeGreaterThan(0);
    expect(progress).toHaveLength(102);
    expect(progress.at(-1)).toEqual({ phase: 'assign', loaded: report.bytes, total: report.bytes });

    const b = small({ init: 'zeros' });
    await loadPyTorchWeights(b, bytes.slice().buffer);
    expectSameWeights(a, b);

    const file = path.join(dir, 'r18.safetensors');
    writeFileSync(file, bytes);
    const c = small({ init: 'zeros' });
    const fileProgress: WeightsProgress[] = [];
    await loadPyTorchWeights(c, file, { onProgress: (p) => fileProgress.push(p) });
    expect(fileProgress[0]).toEqual({ phase: 'fetch', loaded: bytes.length, total: bytes.length });
    expectSameWeights(a, c);
  });

  it('converts layouts: conv [out,in,kh,kw] → [kh,kw,in,out], linear [out,in] → [in,out], BN in tfjs order', async () => {
    const model = small({ init: 'zeros' });
    await loadPyTorchWeights(model, bytes);
    const { tensors } = readSafetensors(bytes);
    const conv = model.getLayer('conv1').getWeights()[0];
    expect(conv.shape).toEqual([7, 7, 3, 8]);
    // element [o=5, i=2, kh=1, kw=3] of the PyTorch kernel
    expect((conv.arraySync() as number[][][][])[1][3][2][5]).toBe(tensors['conv1.weight'].data[((5 * 3 + 2) * 7 + 1) * 7 + 3]);
    const fc = model.getLayer('fc').getWeights()[0].arraySync() as number[][];
    expect(fc[7][3]).toBe(tensors['fc.weight'].data[3 * 64 + 7]);
    const [gamma, beta, mean, variance] = model
      .getLayer('bn1')
      .getWeights()
      .map((t) => Array.from(t.dataSync()));
    expect(gamma).toEqual(Array.from(tensors['bn1.weight'].data));
    expect(beta).toEqual(Array.from(tensors['bn1.bias'].data));
    expect(mean).toEqual(Array.from(tensors['bn1.running_mean'].data));
    expect(variance).toEqual(Array.from(tensors['bn1.running_var'].data));
  });

  it('loads a Map or a record of tf.Tensors, leaving them undisposed', async () => {
    const { tensors } = readSafetensors(bytes);
    const map = new Map(Object.entries(tensors).map(([k, t]) => [k, tf.tensor(t.data, t.shape, t.dtype === 'I64' ? 'int32' : 'float32')]));
    const a = small({ init: 'zeros' });
    await loadPyTorchWeights(a, map);
    const b = small({ init: 'zeros' });
    const before = tf.memory().numTensors;
    await loadPyTorchWeights(b, Object.fromEntries(map));
    expect(tf.memory().numTensors).toBe(before);
    expect([...map.values()].every((t) => !t.isDisposed)).toBe(true);
    const c = small({ init: 'zeros' });
    await loadPyTorchWeights(c, bytes);
    expectSameWeights(a, c);
    expectSameWeights(b, c);
    tf.dispose([...map.values()]);
    // the model still owns its weights after the source tensors are gone
    expect(() => a.getLayer('bn1').getWeights()[0].dataSync()).not.toThrow();
  });

  it('strict: missing and unexpected keys throw, listing the first few and the count', async () => {
    const { tensors } = readSafetensors(bytes);
    const partial: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(tensors)) {
      if (!k.startsWith('layer4.')) partial[k.startsWith('fc.') ? `head.${k}` : k] = tf.tensor(t.data, t.shape, 'float32');
    }
    const model = small({ init: 'zeros' });
    const fc = weightValues(model).get('fc/kernel');
    const error = await loadPyTorchWeights(model, partial).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsError);
    const message = (error as Error).message;
    expect(message).toMatch(/27 keys of the model are missing from the weights \("layer4\.0\.conv1\.weight", .* and 22 more\)/);
    expect(message).toMatch(/2 keys of the weights are unexpected \("head\.fc\.bias", "head\.fc\.weight"\)/);
    expect(message).toMatch(/strict: false/);
    expect(sameBytes(weightValues(model).get('fc/kernel')!, fc!)).toBe(true); // nothing written

    const report = await loadPyTorchWeights(model, partial, { strict: false });
    expect(report.missing).toHaveLength(27);
    expect(report.unexpected).toEqual(['head.fc.bias', 'head.fc.weight']); // in the source's order
    expect(report.loaded).toHaveLength(102 - 27);
    expect(sameBytes(weightValues(model).get('fc/kernel')!, fc!)).toBe(true); // fc untouched
    tf.dispose(Object.values(partial));
  });

  it('a shape mismatch always throws, naming the key and both shapes', async () => {
    const model = small({ classes: 1000, init: 'zeros' }); // the file has 10
    for (const strict of [true, false]) {
      const error = await loadPyTorchWeights(model, bytes, { strict }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WeightsError);
      expect((error as Error).message).toMatch(
        /shape mismatch for "fc\.weight": the weights have \[10, 64\], the model expects \[1000, 64\] \(PyTorch layout of the tfjs weight "fc\/kernel" of shape \[64, 1000\]\) \(2 shape mismatches in all: "fc\.weight", "fc\.bias"\)/,
      );
    }
  });

  it('accepts a 1×1-conv-shaped [out, in, 1, 1] weight for a Dense layer (timm ResNetV2 head.fc)', async () => {
    const input = tf.input({ shape: [4] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, name: 'head.fc' }).apply(input) as tf.SymbolicTensor });
    const w = tf.tensor4d(
      Array.from({ length: 12 }, (_, i) => i),
      [3, 4, 1, 1],
    );
    const b = tf.tensor1d([1, 2, 3]);
    await loadPyTorchWeights(model, { 'head.fc.weight': w, 'head.fc.bias': b });
    expect(model.getLayer('head.fc').getWeights()[0].arraySync()).toEqual([
      [0, 4, 8],
      [1, 5, 9],
      [2, 6, 10],
      [3, 7, 11],
    ]);
    tf.dispose([w, b]);
  });

  it('refuses Keras-style models and bad sources with WeightsError, malformed files with SafetensorsError, missing files with FetchError', async () => {
    const keras = resnet({ block: 'basic', layers: [1] }, { style: 'keras', inputShape: [32, 32, 3], init: 'zeros' });
    await expect(loadPyTorchWeights(keras, bytes)).rejects.toThrow(/style 'keras'.*loadKerasWeights/);
    const model = small({ init: 'zeros' });
    await expect(loadPyTorchWeights(model, 42 as never)).rejects.toThrow(WeightsError);
    await expect(loadPyTorchWeights(model, new Uint8Array(3))).rejects.toThrow(SafetensorsError);
    await expect(loadPyTorchWeights(model, path.join(dir, 'nope.safetensors'))).rejects.toThrow(FetchError);
  });
});

describe('registerWeightMapping', () => {
  it('maps depthwise convolutions and BatchNorms without scale or center', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    let y = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw', useBias: true }).apply(input) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({ name: 'bn', scale: false, center: false }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: y });
    const spec = pytorchStateDictSpec(model);
    expect(spec.map((e) => [e.key, e.shape])).toEqual([
      ['dw.weight', [6, 1, 3, 3]],
      ['dw.bias', [6]],
      ['bn.running_mean', [6]],
      ['bn.running_var', [6]],
      ['bn.num_batches_tracked', []],
    ]);
    const torchKernel = tf.tensor4d(
      Array.from({ length: 54 }, (_, i) => i),
      [6, 1, 3, 3],
    );
    await loadPyTorchWeights(model, { 'dw.weight': torchKernel, 'dw.bias': tf.zeros([6]), 'bn.running_mean': tf.zeros([6]), 'bn.running_var': tf.ones([6]) });
    const k = model.getLayer('dw').getWeights()[0]; // [kh, kw, in, multiplier]
    expect(k.shape).toEqual([3, 3, 3, 2]);
    // PyTorch output channel o = c·multiplier + m, element [o, 0, kh, kw]
    expect((k.arraySync() as number[][][][])[2][1][1][1]).toBe(((1 * 2 + 1) * 3 + 2) * 3 + 1);
    const back = readSafetensors(await exportPyTorchWeights(model)).tensors;
    expect(Array.from(back['dw.weight'].data)).toEqual(Array.from(torchKernel.dataSync()));
    tf.dispose(torchKernel);
  });

  it('plugs in custom layer classes; unmapped classes with weights are refused', async () => {
    class Scale extends tf.layers.Layer {
      static className = 'TestScale';
      private gamma!: tf.LayerVariable;
      override build(inputShape: tf.Shape): void {
        this.gamma = this.addWeight('gamma', [inputShape[inputShape.length - 1] as number], 'float32', tf.initializers.ones());
        this.built = true;
      }
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.gamma.read());
      }
    }
    tf.serialization.registerClass(Scale);
    const input = tf.input({ shape: [4] });
    const model = tf.model({ inputs: input, outputs: new Scale({ name: 'ls' }).apply(input) as tf.SymbolicTensor });
    expect(() => pytorchStateDictSpec(model)).toThrow(/"ls" is a TestScale with weights.*registerWeightMapping\('TestScale'/);
    registerWeightMapping('TestScale', { params: [{ tfjs: 'gamma', torch: 'scale' }] });
    expect(pytorchStateDictSpec(model)).toEqual([{ key: 'ls.scale', shape: [4], dtype: 'float32' }]);
    const scale = tf.tensor1d([1, 2, 3, 4]);
    await loadPyTorchWeights(model, new Map([['ls.scale', scale]]));
    expect(Array.from(model.getLayer('ls').getWeights()[0].dataSync())).toEqual([1, 2, 3, 4]);
    expect(() => registerWeightMapping('X', { params: [{ tfjs: 'a', torch: 'b', layout: 'nope' as never }] })).toThrow(
      /valid layouts are "identity", "conv", "linear", "depthwise"/,
    );
    tf.dispose(scale);
  });
});
