// Pre-activation ResNets (v2): timm's resnetv2_50/101/50d (parameter counts,
// state-dict keys, feature_info, float64 reference numerics) and Keras
// Applications' ResNet50V2/101V2/152V2 (countParams, layer names), save→load
// round trips, invalid configurations.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { preactBasicBlock, preactBottleneckBlock } from '../src/blocks/preact.js';
import { resnet101v2, resnet152v2, resnet50v2, resnetV2 } from '../src/models/resnetv2.js';
import { RESNETV2_MODELS } from '../src/models/catalogs/resnetv2.js';
import type { ModelCatalog } from '../src/models/catalogs/define.js';
import { modelInfo } from '../src/models/model-info.js';
import type { ResNetOptions } from '../src/models/options.js';
import { ConfigError, ShapeError } from '../src/errors.js';
import { createModel, getModel, listModels } from '../src/models/registry.js';
import { featuresOnly } from '../src/features/index.js';
import { hashValue } from './helpers/hash-init.js';
import { hashStateDictTensors } from './helpers/golden-numerics.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { writeSafetensors } from '../src/weights/safetensors.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';
import { saveAndLoad } from './helpers/round-trip.js';

type Entry = [key: string, shape: number[], dtype: string];
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
const TIMM_STATE = fixture<Record<string, Entry[]>>('timm-state-dicts.json');
interface TimmArch {
  trainable_params: number;
  buffers: number;
  state_dict_keys: number;
  feature_info: { channels: number[]; reduction: number[]; module: string[] };
}
const TIMM_ARCH = fixture<Record<string, TimmArch>>('timm-arch.json');
interface GoldenStage {
  shape_nchw: number[];
  absmax: number;
  probe_index_nchw: number[];
  probe_value: number[];
}
interface Golden {
  salt: string;
  input_shape_nchw: number[];
  stages: Record<string, GoldenStage>;
  logits: number[][];
}
const GOLDEN = fixture<Record<string, Golden>>('timm-golden-dev.json');

const size = (shape: readonly (number | null)[]): number => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
const sum = (vars: readonly tf.LayerVariable[]): number => vars.reduce((a, v) => a + size(v.shape), 0);
const timm = (name: string, options: ResNetOptions = {}): tf.LayersModel => (RESNETV2_MODELS as ModelCatalog)[name].build({ init: 'zeros', ...options });

// A PyTorch key's tfjs layer and weight index; shape in tfjs layout.
const TFJS_INDEX: Record<string, number> = { weight: 0, bias: 1, running_mean: 2, running_var: 3 };
function locate(model: tf.LayersModel, key: string, shape: number[]): { layer: tf.layers.Layer; index: number; tfjsShape: number[]; perm?: number[] } {
  const dot = key.lastIndexOf('.');
  const layer = model.getLayer(key.slice(0, dot));
  const param = key.slice(dot + 1);
  if (layer.getClassName() === 'Dense') {
    // timm's classifier is a 1×1 conv [out, in, 1, 1]; a Dense kernel is [in, out].
    return param === 'weight' ? { layer, index: 0, tfjsShape: [shape[1], shape[0]], perm: [1, 0] } : { layer, index: 1, tfjsShape: shape };
  }
  if (shape.length === 4) return { layer, index: 0, tfjsShape: [shape[2], shape[3], shape[1], shape[0]], perm: [2, 3, 1, 0] };
  return { layer, index: TFJS_INDEX[param], tfjsShape: shape };
}

type HashedStateDict = ReturnType<typeof hashStateDictTensors>;
const hashed = new Map<string, HashedStateDict>();
/** The hash-init state dict of a timm model (computed once per model and salt). */
function timmHashStateDict(model: string, salt: string): HashedStateDict {
  const id = `${model}:${salt}`;
  if (!hashed.has(id)) hashed.set(id, hashStateDictTensors(salt, TIMM_STATE[model]));
  return hashed.get(id)!;
}

/** Sets every weight to its timm key's tensor of a state dict in timm's own shapes (independent of src/weights). */
function setTorchWeights(model: tf.LayersModel, state: HashedStateDict): void {
  const byLayer = new Map<tf.layers.Layer, tf.Tensor[]>();
  for (const [key, { shape, data, dtype }] of Object.entries(state)) {
    if (dtype !== 'F32') continue; // num_batches_tracked
    const { layer, index, perm } = locate(model, key, shape);
    const t = tf.tidy(() => {
      const raw = tf.tensor(data as Float32Array, shape);
      return perm === undefined ? raw : tf.transpose(raw.reshape(shape.slice(0, perm.length === 2 ? 2 : 4)), perm);
    });
    const list = byLayer.get(layer) ?? [];
    list[index] = t;
    byLayer.set(layer, list);
  }
  for (const [layer, tensors] of byLayer) {
    expect(tensors.filter(Boolean)).toHaveLength(layer.weights.length);
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}

/** Runs `model` with its probe layers as outputs on the hash input; relative errors vs the golden file. */
function goldenErrors(model: tf.LayersModel, golden: Golden, probes: Record<string, string>): Record<string, number> {
  const names = Object.keys(probes);
  const probe = tf.model({ inputs: model.inputs, outputs: [...names.map((k) => model.getLayer(probes[k]).output as tf.SymbolicTensor), model.outputs[0]] });
  const errors: Record<string, number> = {};
  tf.tidy(() => {
    const nchw = golden.input_shape_nchw as [number, number, number, number];
    const x = tf.transpose(tf.tensor4d(hashValue(golden.salt, 'input', nchw), nchw), [0, 2, 3, 1]);
    const outs = probe.predict(x) as tf.Tensor[];
    names.forEach((name, i) => {
      const stage = golden.stages[name];
      const [n, c, sh, sw] = stage.shape_nchw;
      expect(outs[i].shape, name).toEqual(stage.shape_nchw.length === 2 ? [n, c] : [n, sh, sw, c]);
      const data = outs[i].dataSync();
      const nhwc = (idx: number): number => {
        if (stage.shape_nchw.length === 2) return idx;
        const wi = idx % sw;
        const hi = Math.floor(idx / sw) % sh;
        const ci = Math.floor(idx / (sw * sh)) % c;
        const ni = Math.floor(idx / (sw * sh * c));
        return ((ni * sh + hi) * sw + wi) * c + ci;
      };
      const worst = Math.max(...stage.probe_index_nchw.map((idx, k) => Math.abs(data[nhwc(idx)] - stage.probe_value[k])));
      errors[name] = worst / stage.absmax;
    });
    const logits = outs[names.length].dataSync();
    const ref = golden.logits.flat();
    const scale = Math.max(...ref.map(Math.abs));
    errors.logits = Math.max(...ref.map((r, i) => Math.abs(logits[i] - r))) / scale;
  });
  return errors;
}

expectNoTensorLeaks();

describe('timm ResNetV2 (BatchNorm): architecture equals timm', () => {
  it.each(['resnetv2_50', 'resnetv2_101', 'resnetv2_50d'])('%s: parameters, state-dict keys and shapes, feature_info', (name) => {
    const ref = TIMM_ARCH[name];
    const model = timm(name);
    try {
      expect(sum(model.trainableWeights)).toBe(ref.trainable_params);
      expect(sum(model.nonTrainableWeights)).toBe(ref.buffers);
      expect((RESNETV2_MODELS as ModelCatalog)[name].reference).toEqual({ trainableParams: ref.trainable_params, buffers: ref.buffers });
      // One tfjs weight per state-dict entry except num_batches_tracked; every key names a layer weight of its shape.
      const entries = TIMM_STATE[name].filter(([k]) => !k.endsWith('num_batches_tracked'));
      expect(model.weights).toHaveLength(entries.length);
      for (const [key, shape] of entries) {
        const { layer, index, tfjsShape } = locate(model, key, shape);
        expect(layer.weights[index]?.shape, key).toEqual(tfjsShape);
      }
      // No conv has a bias (BN follows, or the next block's pre-activation).
      expect(model.layers.filter((l) => l.getClassName() === 'Conv2D').every((l) => l.weights.length === 1)).toBe(true);
      const info = modelInfo(model)!;
      expect(info.style).toBe('torchvision');
      expect(info.features.map((f) => f.name)).toEqual(ref.feature_info.module);
      expect(info.features.map((f) => f.channels)).toEqual(ref.feature_info.channels);
      expect(info.features.map((f) => f.reduction)).toEqual(ref.feature_info.reduction);
      expect(info.features.map((f) => model.getLayer(f.layer).outputShape.at(-1))).toEqual(ref.feature_info.channels);
    } finally {
      model.dispose();
    }
  });

  it("stride on the 3×3 of each stage's first block; downsample fed by the pre-activation", () => {
    const model = timm('resnetv2_50');
    try {
      expect(model.getLayer('stages.1.blocks.0.conv2').getConfig().strides).toEqual([2, 2]);
      expect(model.getLayer('stages.1.blocks.0.conv2_pad').getConfig().padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(model.getLayer('stages.1.blocks.0.conv1').getConfig().strides).toEqual([1, 1]);
      expect(model.getLayer('stages.1.blocks.0.downsample.conv').getConfig().strides).toEqual([2, 2]);
      const inbound = (name: string): string =>
        model
          .getLayer(name)
          .inboundNodes[0].inboundLayers.map((l) => l.name)
          .join();
      expect(inbound('stages.1.blocks.0.downsample.conv')).toBe('stages.1.blocks.0.norm1.act');
      expect(inbound('stages.1.blocks.1.add')).toBe('stages.1.blocks.0.add,stages.1.blocks.1.conv3'); // no ReLU after the sum
      expect(inbound('norm')).toBe('stages.3.blocks.2.add');
      expect(inbound('head.global_pool')).toBe('norm.act');
      expect(model.getLayer('stem.pool').outputShape).toEqual([null, 56, 56, 64]);
    } finally {
      model.dispose();
    }
  });

  it('resnetv2_50d: deep stem without a last norm, average-pool downsample', () => {
    const model = timm('resnetv2_50d', { inputShape: [64, 64, 3] });
    try {
      expect(model.getLayer('stem.conv3').outputShape).toEqual([null, 32, 32, 64]);
      expect(() => model.getLayer('stem.norm3')).toThrow();
      expect(model.getLayer('stages.1.blocks.0.downsample.pool').getClassName()).toBe('AveragePooling2D');
      expect(model.getLayer('stages.1.blocks.0.downsample.conv').getConfig().strides).toEqual([1, 1]);
      expect(() => model.getLayer('stages.0.blocks.0.downsample.pool')).toThrow(); // stride 1: nn.Identity
    } finally {
      model.dispose();
    }
  });
});

describe('timm resnetv2_50 numerics (float64 reference, hash init)', () => {
  const golden = GOLDEN['resnetv2_50-1x128x96'];
  const [, , h, w] = golden.input_shape_nchw;
  // timm's feature modules and the tfjs layers whose outputs they are.
  const PROBES: Record<string, string> = {
    'stem.conv': 'stem.conv',
    'stages.0': 'stages.0.blocks.2.add',
    'stages.1': 'stages.1.blocks.3.add',
    'stages.2': 'stages.2.blocks.5.add',
    'stages.3': 'stages.3.blocks.2.add',
    pooled: 'head.global_pool',
  };

  it('stages, pooled features and logits agree with timm (weights set directly)', () => {
    expect(Object.keys(golden.stages).sort()).toEqual(Object.keys(PROBES).sort());
    const model = timm('resnetv2_50', { inputShape: [h, w, 3], classifierActivation: 'linear' });
    try {
      setTorchWeights(model, timmHashStateDict('resnetv2_50', golden.salt));
      const errors = goldenErrors(model, golden, PROBES);
      console.log(`resnetv2_50 max relative errors: ${JSON.stringify(errors)}`);
      for (const [name, e] of Object.entries(errors)) expect(e, name).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('the same through loadPyTorchWeights (timm keys by module path, head.fc [out, in, 1, 1] into the Dense)', async () => {
    const list = TIMM_STATE.resnetv2_50;
    const bytes = writeSafetensors(timmHashStateDict('resnetv2_50', golden.salt));
    const model = timm('resnetv2_50', { inputShape: [h, w, 3], classifierActivation: 'linear' });
    try {
      const report = await loadPyTorchWeights(model, bytes);
      const bnCount = list.filter(([key]) => key.endsWith('.num_batches_tracked')).length;
      expect(report.loaded).toHaveLength(list.length - bnCount);
      expect(report.missing).toEqual([]);
      expect(report.unexpected).toEqual([]);
      const errors = goldenErrors(model, golden, PROBES);
      for (const [name, e] of Object.entries(errors)) expect(e, name).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });
});

// keras.applications ResNetV2: model.count_params() and the first/last layer
// names of ResNet50V2 (192 layers with the input, as Keras lists them).
const KERAS_TOTAL = { resnet50v2: 25_613_800, resnet101v2: 44_675_560, resnet152v2: 60_380_648 } as const;
const KERAS_FIRST = [
  'input',
  'conv1_pad',
  'conv1_conv',
  'pool1_pad',
  'pool1_pool',
  'conv2_block1_preact_bn',
  'conv2_block1_preact_relu',
  'conv2_block1_1_conv',
  'conv2_block1_1_bn',
  'conv2_block1_1_relu',
  'conv2_block1_2_pad',
  'conv2_block1_2_conv',
  'conv2_block1_2_bn',
  'conv2_block1_2_relu',
  'conv2_block1_0_conv',
  'conv2_block1_3_conv',
  'conv2_block1_out',
];
const KERAS_LAST = ['conv5_block3_2_relu', 'conv5_block3_3_conv', 'conv5_block3_out', 'post_bn', 'post_relu', 'avg_pool', 'predictions'];

describe('Keras ResNetV2: equals keras.applications', () => {
  it.each([
    ['resnet50v2', resnet50v2, [3, 4, 6, 3]],
    ['resnet101v2', resnet101v2, [3, 4, 23, 3]],
    ['resnet152v2', resnet152v2, [3, 8, 36, 3]],
  ] as const)('%s: countParams, layer names, biases', (name, build, layers) => {
    const model = build({ init: 'zeros' });
    try {
      expect(model.name).toBe(name);
      expect(model.countParams()).toBe(KERAS_TOTAL[name]);
      expect((RESNETV2_MODELS as ModelCatalog)[name].reference).toEqual({ totalParams: KERAS_TOTAL[name] });
      const names = model.layers.map((l) => l.name);
      const blocks = layers.reduce((a, b) => a + b, 0);
      // input + stem 4 + 11 per block + 4 shortcut convs + 3 max pools + post_bn, post_relu, avg_pool, predictions
      expect(names).toHaveLength(1 + 4 + 11 * blocks + 4 + 3 + 4);
      expect(names.slice(0, KERAS_FIRST.length)).toEqual(KERAS_FIRST);
      expect(names.slice(-KERAS_LAST.length)).toEqual(KERAS_LAST);
      expect(names.filter((l) => l.startsWith('max_pooling2d'))).toEqual(['max_pooling2d', 'max_pooling2d_1', 'max_pooling2d_2']);
      // Biases exactly where Keras has them: conv1_conv, _0_conv, _3_conv.
      const biased = model.layers.filter((l) => l.getClassName() === 'Conv2D' && l.weights.length === 2).map((l) => l.name);
      expect(biased.every((l) => /^conv1_conv$|_0_conv$|_3_conv$/.test(l))).toBe(true);
      expect(biased).toHaveLength(1 + 4 + blocks);
      const bn = model.getLayer('post_bn').getConfig();
      expect(bn.epsilon).toBe(1.001e-5);
      expect(bn.momentum).toBe(0.99);
      // Stride on the last block of each stack but the last; its shortcut is a 1×1 max pool of the raw input.
      const last = `conv2_block3`;
      expect(model.getLayer(`${last}_2_conv`).getConfig().strides).toEqual([2, 2]);
      expect(model.getLayer('conv2_block1_2_conv').getConfig().strides).toEqual([1, 1]);
      expect(model.getLayer(`conv5_block3_2_conv`).getConfig().strides).toEqual([1, 1]);
      const pool = model.getLayer('max_pooling2d');
      expect(pool.inboundNodes[0].inboundLayers[0].name).toBe('conv2_block2_out');
      expect(model.getLayer(`${last}_out`).outputShape).toEqual([null, 28, 28, 256]);
      expect(model.getLayer('conv5_block3_out').outputShape).toEqual([null, 7, 7, 2048]);
      expect(model.getLayer('conv2_block1_0_conv').inboundNodes[0].inboundLayers[0].name).toBe('conv2_block1_preact_relu');
      expect(modelInfo(model)!.features.map((f) => f.reduction)).toEqual([2, 8, 16, 32, 32]);
    } finally {
      model.dispose();
    }
  });
});

describe('save → load round trip is exact', () => {
  async function roundTrip(model: tf.LayersModel, shape: number[]): Promise<void> {
    const loaded = await saveAndLoad(model);
    try {
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(loaded.countParams()).toBe(model.countParams());
      tf.tidy(() => {
        const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
        const a = (model.predict(x) as tf.Tensor).dataSync();
        const b = (loaded.predict(x) as tf.Tensor).dataSync();
        expect(Array.from(b)).toEqual(Array.from(a));
      });
    } finally {
      loaded.dispose();
    }
  }

  // Non-trivial BN statistics so a swapped weight would show.
  function randomizeBn(model: tf.LayersModel): void {
    let seed = 1;
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'BatchNormalization') continue;
      const ws = layer.getWeights();
      const fresh = ws.map((w, i) =>
        i === 3 ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed++) : tf.randomUniform(w.shape, -0.2, 0.2, 'float32', seed++),
      );
      layer.setWeights(fresh);
      fresh.forEach((t) => t.dispose());
    }
  }

  it('timm layout: deep stem, average-pool shortcuts', async () => {
    const model = resnetV2(
      { block: 'bottleneck', layers: [2, 1, 1, 1], widths: [8, 16, 16, 32], stemWidth: 16, stemType: 'deep', shortcut: 'avgPool' },
      { inputShape: [40, 36, 3], classes: 7, name: 'small_v2d' },
    );
    try {
      randomizeBn(model);
      await roundTrip(model, [2, 40, 36, 3]);
    } finally {
      model.dispose();
    }
  });

  it('Keras layout: max-pool subsampled shortcuts', async () => {
    const model = resnetV2({ block: 'bottleneck', layers: [2, 2, 3], widths: [8, 16, 16] }, { style: 'keras', inputShape: [33, 30, 3], classes: 5 });
    try {
      randomizeBn(model);
      expect(model.layers.filter((l) => l.name.startsWith('max_pooling2d')).length).toBe(2);
      await roundTrip(model, [1, 33, 30, 3]);
    } finally {
      model.dispose();
    }
  });
});

describe('registry and feature extraction', () => {
  it('registers the timm and Keras names', () => {
    expect(listModels({ match: /^resnetv2_/ })).toEqual(['resnetv2_50', 'resnetv2_101', 'resnetv2_50d']);
    expect(listModels({ source: 'timm', match: 'v2' })).toEqual(['resnetv2_50', 'resnetv2_101', 'resnetv2_50d']);
    expect(listModels({ source: 'keras' })).toEqual(['resnet50v2', 'resnet101v2', 'resnet152v2']);
    expect(getModel('resnet152v2').reference).toEqual({ totalParams: 60_380_648 });
    const model = createModel('resnetv2_50d', { init: 'zeros', includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
    try {
      expect(model.name).toBe('resnetv2_50d');
      expect(model.outputs[0].shape).toEqual([null, 2048]);
      expect(model.layers.at(-1)!.name).toBe('head.global_pool');
    } finally {
      model.dispose();
    }
  });

  it("featuresOnly gives timm's feature levels", () => {
    const model = createModel('resnetv2_50', { init: 'zeros', inputShape: [64, 96, 3] });
    try {
      const features = featuresOnly(model);
      expect(features.outputs.map((o) => o.shape)).toEqual([
        [null, 32, 48, 64],
        [null, 16, 24, 256],
        [null, 8, 12, 512],
        [null, 4, 6, 1024],
        [null, 2, 3, 2048],
      ]);
    } finally {
      model.dispose();
    }
  });
});

describe('pre-activation blocks and options', () => {
  it('basic block: shapes, projection only when the shape changes', () => {
    const x = tf.input({ shape: [16, 16, 32] });
    const same = preactBasicBlock({ filters: 32, name: 'b0' });
    expect(same.apply(x).shape).toEqual([null, 16, 16, 32]);
    expect(same.layers.map((l) => l.name)).toEqual(['b0.norm1', 'b0.norm1.act', 'b0.conv1', 'b0.norm2', 'b0.norm2.act', 'b0.conv2', 'b0.add']);
    const down = preactBasicBlock({ filters: 64, stride: 2, name: 'b1' });
    expect(down.apply(x).shape).toEqual([null, 8, 8, 64]);
    expect(down.layers.map((l) => l.name)).toContain('b1.downsample.conv');
    [...same.layers, ...down.layers].forEach((l) => l.dispose());
    const model = resnetV2({ block: 'basic', layers: [2, 2], widths: [16, 32], stemWidth: 16 }, { inputShape: [32, 32, 3], classes: 3, init: 'zeros' });
    try {
      expect(() => model.getLayer('stages.0.blocks.0.downsample.conv')).toThrow(); // 16 → 16, stride 1: identity as timm's PreActBasic
      expect(model.getLayer('stages.1.blocks.0.downsample.conv').outputShape).toEqual([null, 4, 4, 32]);
    } finally {
      model.dispose();
    }
  });

  it('outputStride 16 and 8 dilate instead of striding', () => {
    for (const [os, d3, red] of [
      [16, 2, [2, 4, 8, 16, 16]],
      [8, 4, [2, 4, 8, 8, 8]],
    ] as const) {
      const model = timm('resnetv2_50', { outputStride: os, includeTop: false, inputShape: [64, 64, 3] });
      try {
        expect(modelInfo(model)!.features.map((f) => f.reduction)).toEqual(red);
        expect(model.getLayer('stages.3.blocks.1.conv2').getConfig().dilationRate).toEqual([d3, d3]);
        expect(model.outputs[0].shape).toEqual([null, 64 / os, 64 / os, 2048]);
      } finally {
        model.dispose();
      }
    }
  });

  it('dropPathRate adds drop-path layers; zeroInitLastBn zeroes each last conv', () => {
    const model = resnetV2(
      { block: 'bottleneck', layers: [2, 2], widths: [8, 16] },
      { inputShape: [32, 32, 3], dropPathRate: 0.2, zeroInitLastBn: true, classes: 4 },
    );
    try {
      expect(model.layers.filter((l) => l.name.endsWith('.drop_path')).map((l) => l.name)).toHaveLength(3); // rate 0 for the first block
      const conv3 = model.getLayer('stages.1.blocks.1.conv3').getWeights()[0];
      expect(tf.tidy(() => conv3.abs().max().dataSync()[0])).toBe(0);
    } finally {
      model.dispose();
    }
  });

  it('invalid configurations throw typed errors naming what is valid', () => {
    const cfg = { block: 'bottleneck' as const, layers: [1, 1] };
    expect(() => resnetV2({ block: 'nope' as never, layers: [1] })).toThrow(ConfigError);
    expect(() => resnetV2({ block: 'nope' as never, layers: [1] })).toThrow(/'bottleneck', 'basic' or a block factory/);
    expect(() => resnetV2({ ...cfg, layers: [] })).toThrow(ConfigError);
    expect(() => resnetV2({ ...cfg, strides: [1] })).toThrow(/one entry per stage/);
    expect(() => resnetV2({ ...cfg, stemType: 'wide' as never })).toThrow(ConfigError);
    expect(() => resnetV2({ ...cfg, shortcut: 'conv' as never })).toThrow(/"projection", "avgPool"/);
    expect(() => resnetV2(cfg, { outputStride: 12 as never })).toThrow(ConfigError);
    expect(() => resnet50v2({ style: 'torchvision' })).toThrow(/keras/);
    expect(() => RESNETV2_MODELS.resnetv2_50.build({ style: 'keras' })).toThrow(ConfigError);
    expect(() => preactBottleneckBlock({ filters: 8, projection: 'yes' as never })).toThrow(ConfigError);
    const x = tf.input({ shape: [8, 8, 16] });
    expect(() => preactBottleneckBlock({ filters: 8, projection: false }).apply(x)).toThrow(ShapeError);
    expect(() => preactBottleneckBlock({ filters: 8 }).apply(tf.input({ shape: [8, 8] }))).toThrow(ShapeError);
  });
});
