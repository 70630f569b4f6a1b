// Transfer learning: freezing by stage, a new head on the backbone, and
// frozen BatchNorm layers that keep their statistics during fit.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, resnet, summarize } from '../src/index.js';
import { featureInfo, featuresOnly } from '../src/features/index.js';
import { freezeStages, freezeUpTo, guardFrozenBatchNorm, replaceHead, unfreeze } from '../src/transfer/index.js';

/** A small residual net for 16×16 inputs: stem + 3 stages of one basic block. */
const smallNet = (style: 'torchvision' | 'keras' = 'torchvision', includeTop = true) =>
  resnet({ block: 'basic', layers: [1, 1, 1], widths: [8, 16, 16], stemWidth: 8 }, { inputShape: [16, 16, 3], classes: 5, style, includeTop });

/** Every weight value of a layer, copied. */
const values = (layer: tf.layers.Layer): Float32Array[] => layer.weights.map((w) => w.read().dataSync().slice() as Float32Array);
const same = (a: Float32Array[], b: Float32Array[]): boolean =>
  a.length === b.length && a.every((x, i) => x.length === b[i].length && x.every((v, j) => Object.is(v, b[i][j])));
const batchNorms = (model: tf.LayersModel) => model.layers.filter((l) => l.getClassName() === 'BatchNormalization');

/** Fits `model` for 2 epochs on seeded random 16×16 data with `classes` classes. */
async function fitRandom(model: tf.LayersModel, classes: number, compile = true): Promise<void> {
  if (compile) model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const [xs, ys] = tf.tidy(() => [
    tf.randomUniform([16, 16, 16, 3], -1, 1, 'float32', 1).add(tf.scalar(0.5)),
    tf.oneHot(tf.randomUniform([16], 0, classes, 'int32', 2), classes).toFloat(),
  ]);
  await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
  tf.dispose([xs, ys]);
}

let baseline = 0;
beforeAll(async () => {
  // tfjs caches a few scalars and optimizer constants on first use; make them before counting.
  const warm = smallNet();
  await fitRandom(warm, 5);
  warm.optimizer.dispose();
  warm.dispose();
});
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

/** Disposes a model and the optimizer `fit` used. */
function release(model: tf.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}

describe('frozen BatchNorm layers during fit', () => {
  it('tfjs-layers alone: a BN with trainable = false still moves its moving statistics (the pitfall)', async () => {
    const input = tf.input({ shape: [16, 16, 3] });
    const bn = tf.layers.batchNormalization({ axis: 3 });
    let y = bn.apply(input) as tf.SymbolicTensor;
    y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: y });
    bn.trainable = false;
    const before = values(bn);
    await fitRandom(model, 5);
    const after = values(bn);
    expect(same(before.slice(0, 2), after.slice(0, 2))).toBe(true); // gamma, beta: not trained
    expect(same(before.slice(2), after.slice(2))).toBe(false); // moving mean/variance: moved anyway
    release(model);
  });

  it('freezeUpTo: frozen BNs keep gamma, beta, moving mean and variance bit for bit; unfrozen ones move', async () => {
    const model = smallNet();
    const result = freezeUpTo(model, 'layer1');
    expect(result.layers).toContain('bn1');
    expect(result.layers).toContain('layer1.0.bn2');
    expect(result.layers).not.toContain('layer2.0.bn1');
    const frozen = model.layers.filter((l) => result.layers.includes(l.name));
    const trained = model.layers.filter((l) => !result.layers.includes(l.name) && l.weights.length > 0);
    expect(batchNorms(model).filter((l) => frozen.includes(l)).length).toBe(3); // bn1, layer1.0.bn1, layer1.0.bn2
    const before = new Map([...frozen, ...trained].map((l) => [l.name, values(l)]));
    await fitRandom(model, 5);
    for (const l of frozen) expect(same(before.get(l.name)!, values(l)), l.name).toBe(true);
    for (const l of trained) {
      const b = before.get(l.name)!;
      const a = values(l);
      a.forEach((w, i) => expect(same([b[i]], [w]), `${l.name} weight ${i}`).toBe(false));
    }
    release(model);
  });

  it('a model compiled before freezing trains only what is left trainable', async () => {
    const model = smallNet();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    freezeUpTo(model, 'layer2');
    const conv = model.getLayer('layer2.0.conv1');
    const before = values(conv);
    await fitRandom(model, 5, false);
    expect(same(before, values(conv))).toBe(true);
    release(model);
  });

  it("model.trainable = false (Keras's idiom) on a backbone also keeps its BNs in inference mode", async () => {
    const backbone = smallNet('torchvision', false);
    const model = replaceHead(backbone, 3);
    backbone.trainable = false;
    const bn = backbone.getLayer('layer3.0.bn2');
    const before = values(bn);
    const fc = model.getLayer('fc');
    const fcBefore = values(fc);
    await fitRandom(model, 3);
    expect(same(before, values(bn))).toBe(true);
    expect(same(fcBefore, values(fc))).toBe(false);
    release(model);
  });

  it('unfreeze: BNs train again (batch statistics, moving averages updated)', async () => {
    const model = smallNet();
    freezeUpTo(model, 'layer3');
    unfreeze(model);
    expect(model.trainableWeights.length).toBe(model.weights.filter((w) => !/moving_/.test(w.originalName)).length);
    const bn = model.getLayer('bn1');
    const before = values(bn);
    await fitRandom(model, 5);
    values(bn).forEach((w, i) => expect(same([before[i]], [w])).toBe(false));
    release(model);
  });

  it('the guard leaves the saved topology a plain BatchNormalization (loads anywhere)', () => {
    const model = smallNet();
    freezeUpTo(model, 'act1');
    const json = JSON.stringify(model.toJSON(null, false));
    expect(json).toContain('"class_name":"BatchNormalization"');
    expect(json).toContain('"trainable":false');
    expect(guardFrozenBatchNorm(model)).toBe(batchNorms(model).length); // idempotent
    model.dispose();
  });

  it('inference is unchanged by freezing', () => {
    const model = smallNet();
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 3);
    const before = tf.tidy(() => model.predict(x) as tf.Tensor);
    freezeUpTo(model, 'layer3');
    const after = tf.tidy(() => model.predict(x) as tf.Tensor);
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    tf.dispose([x, before, after]);
    model.dispose();
  });
});

describe('freezing by stage', () => {
  it('freezeUpTo / freezeStages / unfreeze count parameters per stage as summarize does', () => {
    const model = smallNet();
    const sections = summarize(model).sections; // stem, layer1, layer2, layer3, head
    const total = summarize(model).trainableParams;
    const upTo = (k: number) => sections.slice(0, k + 1).reduce((a, s) => a + s.trainableParams, 0);
    expect(freezeUpTo(model, 'layer2').trainableParams).toBe(total - upTo(2));
    expect(unfreeze(model, ['layer1']).trainableParams).toBe(total - upTo(2) + sections[1].trainableParams);
    expect(unfreeze(model).trainableParams).toBe(total);
    expect(freezeStages(model, ['act1', 'layer3']).trainableParams).toBe(total - sections[0].trainableParams - sections[3].trainableParams);
    model.dispose();
  });

  it('works in Keras style (stage names are the feature levels)', () => {
    const model = smallNet('keras');
    const { layers } = freezeUpTo(model, 'layer1');
    expect(layers).toContain('conv1_conv');
    expect(layers).toContain('conv2_block1_2_bn');
    expect(layers).not.toContain('conv3_block1_1_conv');
    model.dispose();
  });

  it('unknown stages and models not built by tfjs-resnet give a ConfigError naming the valid stages', () => {
    const model = smallNet();
    expect(() => freezeUpTo(model, 'layer4')).toThrow(/valid stages of this model are "act1", "layer1", "layer2", "layer3"/);
    expect(() => freezeStages(model, [])).toThrow(ConfigError);
    expect(() => unfreeze(model, ['stem'])).toThrow(ConfigError);
    const input = tf.input({ shape: [4] });
    const other = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    expect(() => freezeUpTo(other, 'layer1')).toThrow(/not built by tfjs-resnet/);
    model.dispose();
    other.dispose();
  });
});

describe('replaceHead', () => {
  it('torchvision style: a new "fc" on the shared backbone; model info carries over', () => {
    const model = smallNet();
    const tuned = replaceHead(model, 3, { activation: 'linear', dropout: 0.2 });
    const fc = tuned.getLayer('fc');
    expect(fc).not.toBe(model.getLayer('fc'));
    expect(tuned.outputs[0].shape).toEqual([null, 3]);
    expect(tuned.getLayer('head_drop').getClassName()).toBe('Dropout');
    expect(tuned.getLayer('layer3.0.conv2')).toBe(model.getLayer('layer3.0.conv2'));
    expect((fc.getConfig() as { activation: string }).activation).toBe('linear');
    expect(featureInfo(tuned)).toEqual(featureInfo(model));
    expect(freezeUpTo(tuned, 'layer3').trainableParams).toBe(16 * 3 + 3);
    model.dispose();
    tuned.getLayer('fc').dispose();
  });

  it('Keras style: "predictions"; a headless backbone gets global pooling first', () => {
    const backbone = smallNet('keras', false); // ends with the layer3 feature map
    const tuned = replaceHead(backbone, 4, { pooling: 'max' });
    expect(tuned.getLayer('max_pool').getClassName()).toBe('GlobalMaxPooling2D');
    expect(tuned.getLayer('predictions').outputShape).toEqual([null, 4]);
    const y = tf.tidy(() => tuned.predict(tf.ones([2, 16, 16, 3])) as tf.Tensor);
    expect(y.shape).toEqual([2, 4]);
    expect(tf.tidy(() => tf.sum(y).arraySync() as number)).toBeCloseTo(2, 5); // softmax rows
    y.dispose();
    tuned.dispose();
  });

  it('rejects bad arguments and multi-output models', () => {
    const model = smallNet();
    expect(() => replaceHead(model, 0)).toThrow(ConfigError);
    expect(() => replaceHead(model, 3, { activation: 'relu' as never })).toThrow(/valid values are "softmax", "sigmoid", "linear"/);
    expect(() => replaceHead(model, 3, { dropout: 1 })).toThrow(ConfigError);
    expect(() => replaceHead(featuresOnly(model), 3)).toThrow(/4 outputs/);
    model.dispose();
  });
});
