// Feature extraction: featureInfo equals timm's feature_info for every
// timm-arch model the registry knows; featuresOnly returns maps of those
// channels and strides; custom nets; the pooled-embedding recipe.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, modelInfo, optimizeForInference, resnet, resnet18, resnet50 } from '../src/index.js';
import { createModel, listModels } from '../src/models/registry.js';
import { featureInfo, featuresOnly } from '../src/features/index.js';

interface TimmArch {
  feature_info: { channels: number[]; reduction: number[]; module: string[] };
}
const TIMM = JSON.parse(readFileSync(new URL('./fixtures/timm-arch.json', import.meta.url), 'utf8')) as Record<string, TimmArch>;
const known = new Set(listModels());
/**
 * Models of timm-arch.json that tfjs-resnet does not build: ecaresnet50d is
 * registered at run time by examples/new-block-type.ts (its own test checks
 * it); the others need layers it does not have (selective kernels, group
 * norm, blur pools, ResNet-RS stems).
 */
const NOT_BUILT = ['ecaresnet50d', 'resnet50_gn', 'resnetblur50', 'resnetrs50', 'skresnet18'];
const timmNames = Object.keys(TIMM).filter((name) => !NOT_BUILT.includes(name));

let baseline = 0;
beforeAll(() => {
  // tfjs-layers caches a few scalars on first use (e.g. BN's epsilon); make them before counting.
  const warm = resnet({ block: 'basic', layers: [1] }, { includeTop: false, pooling: 'avg', inputShape: [8, 8, 3] });
  tf.tidy(() => warm.predict(tf.zeros([2, 8, 8, 3])));
  warm.dispose();
});
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

describe("featureInfo equals timm's feature_info", () => {
  it('covers at least resnet18/34/50', () => {
    for (const name of ['resnet18', 'resnet34', 'resnet50']) expect(known.has(name)).toBe(true);
  });

  it("the fixture's models are the built-in ones and the five it does not build", () => {
    expect(
      Object.keys(TIMM)
        .filter((name) => !known.has(name))
        .sort(),
    ).toEqual(NOT_BUILT);
    expect(timmNames.length).toBeGreaterThan(10);
  });

  for (const name of timmNames)
    it(name, () => {
      const model = createModel(name, { init: 'zeros', includeTop: false, inputShape: [null, null, 3] });
      const ref = TIMM[name].feature_info;
      const info = featureInfo(model);
      expect(info.map((f) => f.channels)).toEqual(ref.channels);
      expect(info.map((f) => f.reduction)).toEqual(ref.reduction);
      expect(info.map((f) => f.name)).toEqual(ref.module);
      model.dispose();
    });
});

/** Runs `model` on a zero image of `hw` and returns the output shapes (tensors disposed). */
function outputShapes(model: tf.LayersModel, hw: [number, number]): number[][] {
  return tf.tidy(() => {
    const out = model.predict(tf.zeros([1, ...hw, 3]));
    return (Array.isArray(out) ? out : [out]).map((t) => t.shape);
  });
}

describe('featuresOnly', () => {
  it('returns every level of resnet18 with channels and strides as recorded', () => {
    const model = resnet18({ inputShape: [64, 96, 3] });
    const features = featuresOnly(model);
    const info = featureInfo(features);
    expect(info).toEqual(featureInfo(model));
    expect(features.outputs.length).toBe(5);
    expect(features.getLayer('act1')).toBe(model.getLayer('act1')); // shared layers
    expect(() => features.getLayer('fc')).toThrow(); // the head is left out
    expect(outputShapes(features, [64, 96])).toEqual(info.map((f) => [1, 64 / f.reduction, 96 / f.reduction, f.channels]));
    model.dispose();
  });

  it('outIndices: timm semantics (negative from the end, network order), ResNet-50', () => {
    const model = resnet50({ includeTop: false, init: 'zeros', inputShape: [64, 64, 3] });
    const features = featuresOnly(model, { outIndices: [-1, 2, 3] });
    expect(featureInfo(features)).toEqual([
      { name: 'layer2', channels: 512, reduction: 8 },
      { name: 'layer3', channels: 1024, reduction: 16 },
      { name: 'layer4', channels: 2048, reduction: 32 },
    ]);
    expect(outputShapes(features, [64, 64])).toEqual([
      [1, 8, 8, 512],
      [1, 4, 4, 1024],
      [1, 2, 2, 2048],
    ]);
    // optimizeForInference keeps what a features model returns.
    const fast = optimizeForInference(features);
    expect(featureInfo(fast)).toEqual(featureInfo(features));
    expect(modelInfo(fast)?.outputs?.map((l) => l.layer)).toEqual(fast.outputs.map((t) => t.sourceLayer.name));
    fast.dispose();
    const early = featuresOnly(model, { outIndices: [1], name: 'early' });
    expect(early.name).toBe('early');
    expect(() => early.getLayer('layer2.0.conv1')).toThrow(); // only what layer1 needs
    model.dispose();
  });

  it('follows outputStride (dilated stages keep their resolution)', () => {
    const model = resnet18({ includeTop: false, init: 'zeros', outputStride: 8, inputShape: [64, 64, 3] });
    const features = featuresOnly(model, { outIndices: [3, 4] });
    expect(featureInfo(features).map((f) => f.reduction)).toEqual([8, 8]);
    expect(outputShapes(features, [64, 64])).toEqual([
      [1, 8, 8, 256],
      [1, 8, 8, 512],
    ]);
    model.dispose();
  });

  it('works for a custom resnet(config) net: one level per stage', () => {
    const net = resnet({ block: 'basic', layers: [1, 1, 1], widths: [16, 32, 64], stemWidth: 16 }, { inputShape: [32, 32, 3], classes: 10 });
    const features = featuresOnly(net);
    expect(featureInfo(features)).toEqual([
      { name: 'act1', channels: 16, reduction: 2 },
      { name: 'layer1', channels: 16, reduction: 4 },
      { name: 'layer2', channels: 32, reduction: 8 },
      { name: 'layer3', channels: 64, reduction: 16 },
    ]);
    expect(outputShapes(features, [32, 32])).toEqual([
      [1, 16, 16, 16],
      [1, 8, 8, 16],
      [1, 4, 4, 32],
      [1, 2, 2, 64],
    ]);
    net.dispose();
  });

  it('rejects bad outIndices with the valid range', () => {
    const model = resnet18({ init: 'zeros', inputShape: [32, 32, 3] });
    for (const bad of [[], [5], [-6], [1, 1], [1.5], 'all'] as unknown[]) {
      expect(() => featuresOnly(model, { outIndices: bad as number[] })).toThrow(ConfigError);
    }
    expect(() => featuresOnly(model, { outIndices: [7] })).toThrow(/integers from -5 to 4/);
    model.dispose();
  });

  it('throws ConfigError for a model tfjs-resnet did not build', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const other = tf.model({ inputs: input, outputs: tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(input) as tf.SymbolicTensor });
    expect(() => featuresOnly(other)).toThrow(ConfigError);
    expect(() => featureInfo(other)).toThrow(/not built by tfjs-resnet/);
    other.dispose();
  });

  it('createModel(name, { featuresOnly: true }) when the registry supports it', () => {
    const options = { featuresOnly: true, outIndices: [1, 4], init: 'zeros', inputShape: [32, 32, 3] } as Parameters<typeof createModel>[1];
    const model = createModel('resnet18', options);
    const wired = model.outputs.length > 1; // false until the registry passes the option on
    if (wired) expect(featureInfo(model).map((f) => f.name)).toEqual(['layer1', 'layer4']);
    model.dispose();
  });
});

describe('embeddings: includeTop false + pooling avg', () => {
  it('resnet18 gives a 512-wide vector: the mean of the last feature map', () => {
    const model = createModel('resnet18', { includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
    const maps = featuresOnly(model, { outIndices: [-1] });
    const [shape, err] = tf.tidy(() => {
      const x = tf.randomUniform([2, 64, 64, 3], -1, 1, 'float32', 7);
      const emb = model.predict(x) as tf.Tensor;
      const mean = tf.mean(maps.predict(x) as tf.Tensor, [1, 2]);
      return [emb.shape, tf.max(tf.abs(tf.sub(emb, mean))).arraySync() as number];
    });
    expect(shape).toEqual([2, 512]);
    expect(err).toBeLessThan(1e-5);
    model.dispose();
  });

  it('resnet50 gives a 2048-wide vector', () => {
    const model = createModel('resnet50', { includeTop: false, pooling: 'avg', init: 'zeros', inputShape: [32, 32, 3] });
    expect(model.outputs[0].shape).toEqual([null, 2048]);
    expect(outputShapes(model, [32, 32])).toEqual([[1, 2048]]);
    model.dispose();
  });
});
