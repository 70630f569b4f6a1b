// The building blocks on their own: closed-form parameter counts, shapes,
// identity vs projection shortcuts, weight sharing, hand-composed networks,
// dilation and zero-initialised last BN.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  basicBlock,
  bottleneckBlock,
  defineBlock,
  modelInfo,
  projectionShortcut,
  resnet,
  stage,
  BOTTLENECK_EXPANSION,
  type Block,
  type BlockArgs,
} from '../src/index.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';

const size = (shape: ReadonlyArray<number | null>): number => shape.reduce<number>((a, b) => a * (b ?? NaN), 1);
const trainable = (layers: readonly tf.layers.Layer[]): number => layers.reduce((a, l) => a + l.trainableWeights.reduce((b, w) => b + size(w.shape), 0), 0);
const nonTrainable = (layers: readonly tf.layers.Layer[]): number =>
  layers.reduce((a, l) => a + l.nonTrainableWeights.reduce((b, w) => b + size(w.shape), 0), 0);

// Closed forms, torchvision style (no conv bias). A BN over c channels has 2c
// trainable weights (gamma, beta) and 2c running statistics; `total` counts both.
const conv = (k: number, cin: number, cout: number): number => k * k * cin * cout;
interface Count {
  trainable: number;
  stats: number;
}
const count = (convs: number, bnChannels: number): Count => ({ trainable: convs + 2 * bnChannels, stats: 2 * bnChannels });
const plus = (...cs: Count[]): Count => ({
  trainable: cs.reduce((a, c) => a + c.trainable, 0),
  stats: cs.reduce((a, c) => a + c.stats, 0),
});
const total = (c: Count): number => c.trainable + c.stats;
const none: Count = { trainable: 0, stats: 0 };
const projection = (cin: number, cout: number): Count => count(conv(1, cin, cout), cout);
const basic = (cin: number, f: number, stride = 1): Count =>
  plus(count(conv(3, cin, f) + conv(3, f, f), 2 * f), cin === f && stride === 1 ? none : projection(cin, f));
const bottleneck = (cin: number, f: number, stride = 1): Count =>
  plus(count(conv(1, cin, f) + conv(3, f, f) + conv(1, f, 4 * f), 6 * f), cin === 4 * f && stride === 1 ? none : projection(cin, 4 * f));
const counted = (layers: readonly tf.layers.Layer[]): Count => ({ trainable: trainable(layers), stats: nonTrainable(layers) });

const input = (h: number, w: number, c: number): tf.SymbolicTensor => tf.input({ shape: [h, w, c] });
const layerNames = (block: Block): string[] => block.layers.map((l) => l.name);
const hasProjection = (block: Block): boolean => block.layers.some((l) => /downsample|_0_conv$/.test(l.name));

/** Applies `block` to an input of shape [h, w, c] inside a model (disposed by the caller). */
function applied(block: Block, h: number, w: number, c: number): { y: tf.SymbolicTensor; model: tf.LayersModel } {
  const x = input(h, w, c);
  const y = block.apply(x);
  return { y, model: tf.model({ inputs: x, outputs: y }) };
}

expectNoTensorLeaks();

describe('basicBlock', () => {
  it.each([
    // [in channels, filters, stride, projection?]
    [64, 64, 1, false],
    [64, 128, 2, true],
    [64, 128, 1, true],
    [64, 64, 2, true],
  ] as const)('in %i, filters %i, stride %i → projection %s', (cin, f, stride, proj) => {
    const block = basicBlock({ filters: f, stride, name: 'b' });
    expect(block.layers).toEqual([]); // built lazily, on the first apply
    const { y, model } = applied(block, 56, 56, cin);
    try {
      const out = Math.floor((56 + 2 - 3) / stride) + 1;
      expect(y.shape).toEqual([null, out, out, f]);
      expect(block.outChannels).toBe(f);
      expect(block.stride).toBe(stride);
      expect(block.kind).toBe('basic');
      expect(hasProjection(block)).toBe(proj);
      expect(counted(block.layers)).toEqual(basic(cin, f, stride));
      expect(model.countParams()).toBe(total(basic(cin, f, stride)));
    } finally {
      model.dispose();
    }
  });

  it('is named as torchvision names it', () => {
    const block = basicBlock({ filters: 128, stride: 2, name: 'layer2.0' });
    const { model } = applied(block, 56, 56, 64);
    try {
      expect(layerNames(block).sort()).toEqual(
        [
          'layer2.0.conv1_pad',
          'layer2.0.conv1',
          'layer2.0.bn1',
          'layer2.0.act1',
          'layer2.0.conv2',
          'layer2.0.bn2',
          'layer2.0.downsample.0',
          'layer2.0.downsample.1',
          'layer2.0.add',
          'layer2.0.act2',
        ].sort(),
      );
    } finally {
      model.dispose();
    }
  });
});

describe('bottleneckBlock', () => {
  it.each([
    [256, 64, 1, false],
    [64, 64, 1, true],
    [256, 128, 2, true],
    [1024, 256, 1, false],
  ] as const)('in %i, filters %i, stride %i → projection %s', (cin, f, stride, proj) => {
    const block = bottleneckBlock({ filters: f, stride, name: 'b' });
    const { y, model } = applied(block, 28, 28, cin);
    try {
      const out = Math.floor((28 + 2 - 3) / stride) + 1;
      expect(y.shape).toEqual([null, out, out, f * BOTTLENECK_EXPANSION]);
      expect(block.outChannels).toBe(4 * f);
      expect(bottleneckBlock.expansion).toBe(4);
      expect(bottleneckBlock.kind).toBe('bottleneck');
      expect(hasProjection(block)).toBe(proj);
      expect(counted(block.layers)).toEqual(bottleneck(cin, f, stride));
    } finally {
      model.dispose();
    }
  });

  it('keras style: conv biases, stride on the first 1×1, Keras names', () => {
    const block = bottleneckBlock({ filters: 128, stride: 2, name: 'conv3_block1', style: 'keras' });
    const { y, model } = applied(block, 56, 56, 256);
    try {
      expect(y.shape).toEqual([null, 28, 28, 512]);
      const biases = 128 + 128 + 512 + 512;
      const c = bottleneck(256, 128, 2);
      expect(counted(block.layers)).toEqual({ trainable: c.trainable + biases, stats: c.stats });
      const byName = Object.fromEntries(block.layers.map((l) => [l.name, l]));
      expect(Object.keys(byName).sort()).toEqual(
        ['0_conv', '0_bn', '1_conv', '1_bn', '1_relu', '2_conv', '2_bn', '2_relu', '3_conv', '3_bn', 'add', 'out'].map((s) => `conv3_block1_${s}`).sort(),
      );
      expect(byName['conv3_block1_1_conv'].getConfig().strides).toEqual([2, 2]);
      expect(byName['conv3_block1_2_conv'].getConfig().strides).toEqual([1, 1]);
      expect(byName['conv3_block1_1_bn'].getConfig().epsilon).toBeCloseTo(1.001e-5, 12);
    } finally {
      model.dispose();
    }
  });

  it('torchvision style: stride on the 3×3 (v1.5), explicit symmetric padding, epsilon 1e-5', () => {
    const block = bottleneckBlock({ filters: 128, stride: 2, name: 'layer2.0' });
    const { model } = applied(block, 56, 56, 256);
    try {
      const cfg = (n: string) => model.getLayer(n).getConfig();
      expect(cfg('layer2.0.conv1').strides).toEqual([1, 1]);
      expect(cfg('layer2.0.conv2').strides).toEqual([2, 2]);
      expect(cfg('layer2.0.conv2').padding).toBe('valid');
      expect(cfg('layer2.0.conv2_pad').padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(cfg('layer2.0.downsample.0').strides).toEqual([2, 2]);
      expect(cfg('layer2.0.bn1').epsilon).toBeCloseTo(1e-5, 12);
      expect(cfg('layer2.0.conv1').useBias).toBe(false);
    } finally {
      model.dispose();
    }
  });
});

describe('projectionShortcut', () => {
  it.each([
    [64, 256, 1],
    [256, 512, 2],
  ] as const)('in %i → %i, stride %i', (cin, cout, stride) => {
    const sc = projectionShortcut({ filters: cout, stride, name: 'side' });
    const { y, model } = applied(sc, 56, 56, cin);
    try {
      const out = Math.floor((56 - 1) / stride) + 1;
      expect(y.shape).toEqual([null, out, out, cout]);
      expect(layerNames(sc)).toEqual(['side.0', 'side.1']);
      expect(counted(sc.layers)).toEqual(projection(cin, cout));
    } finally {
      model.dispose();
    }
  });
});

describe('weight sharing', () => {
  it('a block applied twice reuses its layers and weights', () => {
    const block = basicBlock({ filters: 32, name: 'shared' });
    const a = input(8, 8, 32);
    const b = input(8, 8, 32);
    const ya = block.apply(a);
    const n = block.layers.length;
    const yb = block.apply(b);
    expect(block.layers).toHaveLength(n);
    expect(yb.shape).toEqual([null, 8, 8, 32]);
    const model = tf.model({ inputs: [a, b], outputs: [ya, yb] });
    try {
      // Counted once: the model holds one set of weights.
      expect(model.countParams()).toBe(total(basic(32, 32)));
      expect(model.layers.filter((l) => l.name === 'shared.conv1')).toHaveLength(1);
      // The same input gives the same output through either application.
      tf.tidy(() => {
        const x = tf.randomNormal([1, 8, 8, 32], 0, 1, 'float32', 3);
        const [outA, outB] = model.predict([x, x]) as tf.Tensor[];
        expect(tf.max(tf.abs(tf.sub(outA, outB))).dataSync()[0]).toBe(0);
        expect(tf.max(outA).dataSync()[0]).toBeGreaterThan(0);
      });
    } finally {
      model.dispose();
      // tfjs counts one reference per application: a layer applied twice
      // needs a second dispose() to release its weights.
      for (const l of block.layers) l.dispose();
    }
  });
});

describe('composing a residual net by hand', () => {
  it('blocks, stages and other tfjs layers in tf.model', () => {
    const x = tf.input({ shape: [32, 32, 3] });
    let y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, name: 'stem' }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ name: 'stem_relu' }).apply(y) as tf.SymbolicTensor;
    const s1 = stage({ block: 'basic', filters: 16, blocks: 2, name: 's1' });
    const s2 = stage({ block: basicBlock, filters: 32, blocks: 2, stride: 2, name: 's2' });
    const s3 = stage({ block: 'bottleneck', filters: 16, blocks: 1, stride: 2, name: 's3' });
    y = s2.apply(s1.apply(y));
    expect(y.shape).toEqual([null, 16, 16, 32]);
    expect(s2.blocks.map((b) => b.name)).toEqual(['s2.0', 's2.1']);
    expect(s2.stride).toBe(2);
    expect(s3.outChannels).toBe(64);
    const extra = bottleneckBlock({ filters: 16, name: 'extra' }).apply(s3.apply(y));
    expect(extra.shape).toEqual([null, 8, 8, 64]);
    const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(extra) as tf.SymbolicTensor;
    const dropped = tf.layers.dropout({ rate: 0.1 }).apply(pooled) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 10, activation: 'softmax', name: 'head' }).apply(dropped) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: out });
    try {
      const want = plus(count(conv(3, 3, 16), 16), basic(16, 16), basic(16, 16), basic(16, 32, 2), basic(32, 32), bottleneck(32, 16, 2), bottleneck(64, 16), {
        trainable: 64 * 10 + 10,
        stats: 0,
      });
      expect(model.countParams()).toBe(total(want));
      const xs = tf.randomNormal([4, 32, 32, 3]);
      const probs = tf.tidy(() => model.predict(xs) as tf.Tensor);
      expect(probs.shape).toEqual([4, 10]);
      const sums = tf.tidy(() => probs.sum(1).arraySync() as number[]);
      expect(sums).toEqual([1, 1, 1, 1].map((v) => expect.closeTo(v, 5)));
      tf.dispose([xs, probs]);
    } finally {
      model.dispose();
    }
  });

  it('resnet(config) takes a block factory made with defineBlock', () => {
    // A "wide" basic block: twice the channels of the stage width.
    const wide = defineBlock('wide_basic', 2, (args: BlockArgs) => basicBlock({ ...args, filters: args.filters * 2 }));
    expect(wide.kind).toBe('wide_basic');
    // The declared expansion is checked on every block the factory makes.
    const misdeclared = defineBlock('wide_basic', 1, (args: BlockArgs) => basicBlock({ ...args, filters: args.filters * 2 }));
    expect(() => resnet({ block: misdeclared, layers: [1, 1] }, { init: 'zeros' })).toThrow(
      /has 128 output channels for filters 64, but its block type declares expansion 1/,
    );
    expect(() => defineBlock('x', 0, (args: BlockArgs) => basicBlock(args))).toThrow(/expansion must be a positive integer/);
    const model = resnet({ block: wide, layers: [1, 1] }, { init: 'zeros', inputShape: [32, 32, 3], classes: 3 });
    try {
      expect(model.outputs[0].shape).toEqual([null, 3]);
      const want = plus(count(conv(7, 3, 64), 64), basic(64, 128), basic(128, 256, 2), { trainable: 256 * 3 + 3, stats: 0 });
      expect(model.countParams()).toBe(total(want));
    } finally {
      model.dispose();
    }
  });
});

describe('dilation (replaceStrideWithDilation)', () => {
  it('[false, true, true] keeps 28×28 at layer3 and layer4 (output stride 8, as torchvision)', () => {
    const model = resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], replaceStrideWithDilation: [false, true, true] }, { init: 'zeros', includeTop: false });
    try {
      const info = modelInfo(model);
      expect(info?.features.map((f) => f.reduction)).toEqual([2, 4, 8, 8, 8]);
      const shapes = info?.features.map((f) => model.getLayer(f.layer).outputShape);
      expect(shapes).toEqual([
        [null, 112, 112, 64],
        [null, 56, 56, 256],
        [null, 28, 28, 512],
        [null, 28, 28, 1024],
        [null, 28, 28, 2048],
      ]);
      // torchvision's _make_layer: the first block of a dilated stage keeps the previous dilation.
      const cfg = (n: string) => model.getLayer(n).getConfig();
      expect(cfg('layer3.0.conv2').dilationRate).toEqual([1, 1]);
      expect(cfg('layer3.1.conv2').dilationRate).toEqual([2, 2]);
      expect(cfg('layer4.0.conv2').dilationRate).toEqual([2, 2]);
      expect(cfg('layer4.1.conv2').dilationRate).toEqual([4, 4]);
      expect(cfg('layer4.0.conv2').strides).toEqual([1, 1]);
      expect(cfg('layer4.0.downsample.0').strides).toEqual([1, 1]);
      // Same parameters as resnet50 without its classifier.
      expect(model.countParams()).toBe(25_557_032 - (2048 * 1000 + 1000) + 53_120);
    } finally {
      model.dispose();
    }
  });

  it('a dilated model keeps the resolution at run time', () => {
    const model = resnet(
      { block: 'basic', layers: [1, 1, 1, 1], replaceStrideWithDilation: [false, true, true] },
      { includeTop: false, inputShape: [null, null, 3] },
    );
    try {
      const shape = tf.tidy(() => (model.predict(tf.randomNormal([1, 65, 97, 3])) as tf.Tensor).shape);
      expect(shape).toEqual([1, 9, 13, 512]); // 65 → 33 → 17 → 9; 97 → 49 → 25 → 13
    } finally {
      model.dispose();
    }
  });
});

describe('zeroInitLastBn', () => {
  const gamma = (l: tf.layers.Layer): number[] => Array.from(l.getWeights()[0].dataSync());

  it('sets the last BN scale of a block to 0, the others stay 1', () => {
    const b = basicBlock({ filters: 8, name: 'z', zeroInitLastBn: true });
    const k = bottleneckBlock({ filters: 8, stride: 2, name: 'k', zeroInitLastBn: true });
    const x = input(8, 8, 4);
    const model = tf.model({ inputs: x, outputs: k.apply(b.apply(x)) });
    try {
      expect(gamma(model.getLayer('z.bn2')).every((v) => v === 0)).toBe(true);
      expect(gamma(model.getLayer('k.bn3')).every((v) => v === 0)).toBe(true);
      for (const n of ['z.bn1', 'z.downsample.1', 'k.bn1', 'k.bn2', 'k.downsample.1']) {
        expect(
          gamma(model.getLayer(n)).every((v) => v === 1),
          n,
        ).toBe(true);
      }
    } finally {
      model.dispose();
    }
  });

  it('via resnet(config).blockArgs: identity blocks pass their input through', () => {
    const model = resnet({ block: 'basic', layers: [2, 2], blockArgs: { zeroInitLastBn: true } }, { includeTop: false, inputShape: [16, 16, 3] });
    try {
      for (const n of ['layer1.0.bn2', 'layer1.1.bn2', 'layer2.0.bn2', 'layer2.1.bn2']) {
        expect(
          gamma(model.getLayer(n)).every((v) => v === 0),
          n,
        ).toBe(true);
      }
      // layer1.1 has an identity shortcut and a zero residual: its output is its (non-negative) input.
      tf.tidy(() => {
        const taps = tf.model({
          inputs: model.inputs,
          outputs: [model.getLayer('layer1.0.act2').output, model.getLayer('layer1.1.act2').output] as tf.SymbolicTensor[],
        });
        const [a, b] = taps.predict(tf.randomNormal([1, 16, 16, 3], 0, 1, 'float32', 1)) as tf.Tensor[];
        expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
        expect(tf.max(a).dataSync()[0]).toBeGreaterThan(0);
      });
    } finally {
      model.dispose();
    }
  });
});
