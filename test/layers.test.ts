import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  AddActivation,
  DropPath,
  GroupedConv2D,
  addActivation,
  ShortcutPadChannels,
  dropPath,
  groupedConv2d,
  shortcutPadChannels,
  type GroupedConv2DArgs,
} from '../src/layers/index.js';
import { groupedConv2dOp } from '../src/layers/grouped-conv2d.js';
import { ConfigError, ShapeError } from '../src/errors.js';
import { saveToMemory } from './helpers/round-trip.js';

/** PyTorch's grouped convolution, spelled out: slice each group, plain tf.conv2d, concat. */
function referenceGroupedConv(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  conv: { groups: number; strides: [number, number]; padding: 'same' | 'valid'; dilations: [number, number] },
): tf.Tensor4D {
  const { groups, strides, padding, dilations } = conv;
  return tf.tidy(() => {
    const cin = x.shape[3];
    const [kh, kw, gin, out] = kernel.shape;
    const gout = out / groups;
    const parts: tf.Tensor4D[] = [];
    for (let g = 0; g < groups; g++) {
      const xg = tf.slice(x, [0, 0, 0, g * (cin / groups)], [-1, -1, -1, cin / groups]);
      const kg = tf.slice(kernel, [0, 0, 0, g * gout], [kh, kw, gin, gout]);
      parts.push(tf.conv2d(xg, kg, strides, padding, 'NHWC', dilations));
    }
    return tf.concat(parts, 3);
  });
}

/** max |a − b| relative to 1 + max |b|. */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    expect(a.shape).toEqual(b.shape);
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const scale = tf.max(tf.abs(b)).dataSync()[0];
    return diff / (1 + scale);
  });
}

interface Case {
  readonly label: string;
  readonly batch: number;
  readonly size: [number, number];
  readonly cin: number;
  readonly args: GroupedConv2DArgs;
}

const pair = (v: number | [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);

const CASES: readonly Case[] = [
  { label: 'groups 1, same, stride 1', batch: 2, size: [9, 9], cin: 8, args: { filters: 12, kernelSize: 3, padding: 'same', groups: 1 } },
  { label: 'groups 2, same, stride 2', batch: 2, size: [9, 10], cin: 8, args: { filters: 16, kernelSize: 3, strides: 2, padding: 'same', groups: 2 } },
  { label: 'groups 32 (ResNeXt), same', batch: 2, size: [8, 8], cin: 128, args: { filters: 128, kernelSize: 3, padding: 'same', groups: 32 } },
  { label: 'groups 32, same, stride 2', batch: 2, size: [9, 9], cin: 64, args: { filters: 128, kernelSize: 3, strides: 2, padding: 'same', groups: 32 } },
  { label: 'groups 4, valid, stride 2', batch: 2, size: [11, 11], cin: 32, args: { filters: 64, kernelSize: 3, strides: 2, padding: 'valid', groups: 4 } },
  { label: 'groups 4, dilation 2, same', batch: 2, size: [12, 12], cin: 16, args: { filters: 16, kernelSize: 3, dilationRate: 2, padding: 'same', groups: 4 } },
  {
    label: 'groups 8, dilation 2, valid',
    batch: 2,
    size: [12, 12],
    cin: 16,
    args: { filters: 24, kernelSize: 3, dilationRate: 2, padding: 'valid', groups: 8 },
  },
  { label: 'groups 2 of 32 channels (split path)', batch: 2, size: [14, 14], cin: 64, args: { filters: 64, kernelSize: 3, padding: 'same', groups: 2 } },
  { label: 'groups = in (depthwise, multiplier 2)', batch: 2, size: [8, 8], cin: 16, args: { filters: 32, kernelSize: 3, padding: 'same', groups: 16 } },
  { label: '1×1, groups 16', batch: 2, size: [5, 5], cin: 32, args: { filters: 64, kernelSize: 1, groups: 16 } },
  {
    label: '3×1 kernel, strides [2, 1]',
    batch: 2,
    size: [8, 7],
    cin: 8,
    args: { filters: 8, kernelSize: [3, 1], strides: [2, 1], padding: 'same', groups: 4 },
  },
];

describe('GroupedConv2D', () => {
  for (const c of CASES) {
    it(`equals per-group tf.conv2d: ${c.label}`, () => {
      const before = tf.memory().numTensors;
      const layer = groupedConv2d(c.args);
      const x = tf.randomNormal([c.batch, ...c.size, c.cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      tf.dispose(layer.apply(x) as tf.Tensor); // builds
      const groups = c.args.groups ?? 1;
      const [kh, kw] = pair(c.args.kernelSize);
      const kernel = tf.randomNormal([kh, kw, c.cin / groups, c.args.filters], 0, 0.2, 'float32', 2) as tf.Tensor4D;
      layer.setWeights([kernel]);
      const y = layer.apply(x) as tf.Tensor;
      const strides = pair(c.args.strides);
      const dilations = pair(c.args.dilationRate);
      const padding = c.args.padding ?? 'valid';
      const ref = referenceGroupedConv(x, kernel, { groups, strides, padding, dilations });
      expect(relDiff(y, ref)).toBeLessThan(1e-5);
      expect(layer.computeOutputShape([null, ...c.size, c.cin])).toEqual([null, ...ref.shape.slice(1)]);
      for (const method of ['depthwise', 'split'] as const) {
        const z = groupedConv2dOp(x, kernel, { strides, padding, dilations, groups, method });
        expect(relDiff(z, ref)).toBeLessThan(1e-5);
        z.dispose();
      }
      tf.dispose([x, kernel, y, ref]);
      layer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('adds the bias and applies the activation, grouped or not', () => {
    for (const groups of [1, 4]) {
      for (const activation of ['relu', 'tanh'] as const) {
        const layer = groupedConv2d({ filters: 8, kernelSize: 3, padding: 'same', groups, useBias: true, activation });
        const x = tf.randomNormal([2, 6, 6, 8], 0, 1, 'float32', 3) as tf.Tensor4D;
        tf.dispose(layer.apply(x) as tf.Tensor);
        const kernel = tf.randomNormal([3, 3, 8 / groups, 8], 0, 0.3, 'float32', 4) as tf.Tensor4D;
        const bias = tf.randomNormal([8], 0, 1, 'float32', 5);
        layer.setWeights([kernel, bias]);
        const y = layer.apply(x) as tf.Tensor;
        const ref = tf.tidy(() => {
          const z = tf.add(referenceGroupedConv(x, kernel, { groups, strides: [1, 1], padding: 'same', dilations: [1, 1] }), bias);
          return activation === 'relu' ? tf.relu(z) : tf.tanh(z);
        });
        expect(relDiff(y, ref)).toBeLessThan(1e-5);
        tf.dispose([x, kernel, bias, y, ref]);
        layer.dispose();
      }
    }
  });

  it('with groups 1 gives exactly tf.layers.conv2d', () => {
    const x = tf.randomNormal([2, 7, 7, 6], 0, 1, 'float32', 6);
    const ours = groupedConv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', useBias: true, activation: 'relu' });
    const theirs = tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', useBias: true, activation: 'relu' });
    tf.dispose([ours.apply(x) as tf.Tensor, theirs.apply(x) as tf.Tensor]);
    ours.setWeights(theirs.getWeights());
    const a = ours.apply(x) as tf.Tensor;
    const b = theirs.apply(x) as tf.Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
    ours.dispose();
    theirs.dispose();
  });

  it('has PyTorch-layout weights and parameter counts', () => {
    const x = tf.input({ shape: [56, 56, 128] });
    const conv = groupedConv2d({ filters: 128, kernelSize: 3, padding: 'same', groups: 32, name: 'conv2' });
    const y = conv.apply(x) as tf.SymbolicTensor;
    expect(y.shape).toEqual([null, 56, 56, 128]);
    expect(conv.weights.map((w) => [w.name, w.shape])).toEqual([['conv2/kernel', [3, 3, 4, 128]]]);
    expect(conv.countParams()).toBe(3 * 3 * 4 * 128);

    const biased = groupedConv2d({ filters: 64, kernelSize: [3, 5], groups: 8, useBias: true, name: 'b' });
    biased.apply(tf.input({ shape: [10, 10, 32] }));
    expect(biased.weights.map((w) => [w.name, w.shape])).toEqual([
      ['b/kernel', [3, 5, 4, 64]],
      ['b/bias', [64]],
    ]);
    expect(biased.countParams()).toBe(3 * 5 * 4 * 64 + 64);
  });

  it('initializes with the given initializer, fans from the grouped kernel', () => {
    const conv = groupedConv2d({
      filters: 256,
      kernelSize: 3,
      groups: 32,
      kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: 7 }),
    });
    conv.apply(tf.input({ shape: [8, 8, 256] }));
    const w = conv.getWeights()[0];
    // Kaiming fan-out as torchvision: std = sqrt(2 / (kh·kw·out)), truncated normal in tfjs.
    const std = tf.tidy(() => tf.moments(w).variance.sqrt().dataSync()[0]);
    expect(std).toBeGreaterThan(0.6 * Math.sqrt(2 / (9 * 256)));
    expect(std).toBeLessThan(1.1 * Math.sqrt(2 / (9 * 256)));
    const zeros = groupedConv2d({ filters: 8, kernelSize: 1, groups: 2, kernelInitializer: 'zeros' });
    zeros.apply(tf.input({ shape: [4, 4, 8] }));
    expect(Math.max(...Array.from(zeros.getWeights()[0].dataSync()).map(Math.abs))).toBe(0);
    conv.dispose();
    zeros.dispose();
  });

  it('rejects invalid configurations with ConfigError', () => {
    const bad: Array<Partial<GroupedConv2DArgs>> = [
      { filters: 30, kernelSize: 3, groups: 4 },
      { filters: 32, kernelSize: 3, groups: 0 },
      { filters: 32, kernelSize: 3, groups: 1.5 },
      { filters: 0, kernelSize: 3 },
      { filters: 32, kernelSize: 0 },
      { filters: 32, kernelSize: [3, 3, 3] as unknown as [number, number] },
      { filters: 32, kernelSize: 3, strides: 2, dilationRate: 2 },
      { filters: 32, kernelSize: 3, padding: 'causal' as never },
      { filters: 32, kernelSize: 3, activation: 'nope' as never },
      { filters: 32, kernelSize: 3, kernelInitializer: 'nope' as never },
      { filters: 32, kernelSize: 3, useBias: 'yes' as never },
    ];
    for (const args of bad) expect(() => groupedConv2d(args as GroupedConv2DArgs), JSON.stringify(args)).toThrow(ConfigError);
    expect(() => groupedConv2d({ filters: 30, kernelSize: 3, groups: 4 })).toThrow(/filters \(30\) must be divisible by groups \(4\)/);
  });

  it('rejects inputs whose channels groups do not divide with ShapeError', () => {
    const conv = groupedConv2d({ filters: 32, kernelSize: 3, groups: 8 });
    expect(() => conv.apply(tf.input({ shape: [8, 8, 12] }))).toThrow(ShapeError);
    expect(() => conv.apply(tf.input({ shape: [8, 8, 12] }))).toThrow(/input channels \(12\) must be divisible by groups \(8\)/);
    expect(() => conv.apply(tf.input({ shape: [8, 12] }))).toThrow(ShapeError);
    const dilated = groupedConv2d({ filters: 8, kernelSize: 3, dilationRate: 2, groups: 8 });
    expect(() => dilated.apply(tf.input({ shape: [4, 8, 8] }))).toThrow(/input height of 4 is smaller than the dilated kernel \(5\)/);
    conv.apply(tf.input({ shape: [8, 8, 16] }));
    expect(() => conv.apply(tf.input({ shape: [8, 8, 24] }))).toThrow(/built for 16 input channels/);
  });

  it('trains: gradients match the per-group reference (cpu backend)', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      for (const [cin, filters, groups, size] of [
        [16, 16, 4, 6], // depthwise path
        [64, 64, 2, 14], // split path
      ] as const) {
        const x = tf.randomNormal([2, size, size, cin], 0, 1, 'float32', 8) as tf.Tensor4D;
        const layer = groupedConv2d({ filters, kernelSize: 3, padding: 'same', groups, useBias: true });
        tf.dispose(layer.apply(x) as tf.Tensor);
        const kernel = tf.randomNormal([3, 3, cin / groups, filters], 0, 0.2, 'float32', 9) as tf.Tensor4D;
        layer.setWeights([kernel, tf.zeros([filters])]);
        const target = tf.randomNormal([2, size, size, filters], 0, 1, 'float32', 10);
        const loss = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(y, target))) as tf.Scalar;
        const ours = tf.variableGrads(
          () => loss(layer.apply(x, { training: true }) as tf.Tensor),
          layer.trainableWeights.map((w) => w.read() as tf.Variable),
        );
        const kVar = tf.variable(kernel);
        const ref = tf.variableGrads(
          () => loss(referenceGroupedConv(x, kVar as tf.Tensor4D, { groups, strides: [1, 1], padding: 'same', dilations: [1, 1] })),
          [kVar],
        );
        const ourKernelGrad = ours.grads[(layer.trainableWeights[0].read() as tf.Variable).name];
        expect(relDiff(ourKernelGrad, ref.grads[kVar.name])).toBeLessThan(1e-5);
        tf.dispose([x, kernel, target, kVar, ...Object.values(ours.grads), ours.value, ...Object.values(ref.grads), ref.value]);
        layer.dispose();
      }
    } finally {
      await tf.setBackend(previous);
    }
  });
});

describe('DropPath', () => {
  it('is the identity at inference and with rate 0', () => {
    const x = tf.randomNormal([4, 3, 3, 2]);
    const layer = dropPath({ rate: 0.5, seed: 1 });
    for (const kwargs of [undefined, {}, { training: false }]) {
      const y = layer.apply(x, kwargs) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    }
    const zero = dropPath({ rate: 0 });
    const z = zero.apply(x, { training: true }) as tf.Tensor;
    expect(Array.from(z.dataSync())).toEqual(Array.from(x.dataSync()));
    x.dispose();
  });

  it('keeps whole samples with probability 1 − rate, scaled by 1/(1 − rate), in training', () => {
    const before = tf.memory().numTensors;
    const rate = 0.25;
    const n = 4000;
    const x = tf.ones([n, 2, 2, 3]);
    const layer = dropPath({ rate, seed: 42 });
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const values = tf.tidy(() => y.reshape([n, 12]).arraySync() as number[][]);
    let zeros = 0;
    for (const row of values) {
      // One draw per sample: all zeros or all 1/(1 − rate).
      const first = row[0];
      expect(row.every((v) => v === first)).toBe(true);
      if (first === 0) zeros++;
      else expect(first).toBeCloseTo(1 / (1 - rate), 6);
    }
    expect(zeros / n).toBeGreaterThan(rate - 0.03);
    expect(zeros / n).toBeLessThan(rate + 0.03);
    const mean = tf.tidy(() => tf.mean(y).dataSync()[0]);
    expect(mean).toBeGreaterThan(0.95);
    expect(mean).toBeLessThan(1.05);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats the same masks for the same seed, and varies them from call to call', () => {
    const x = tf.ones([64, 1, 1, 1]);
    const draw = (layer: DropPath) => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync());
    const a = dropPath({ rate: 0.5, seed: 3 });
    const b = dropPath({ rate: 0.5, seed: 3 });
    const a1 = draw(a);
    const a2 = draw(a);
    expect(draw(b)).toEqual(a1);
    expect(draw(b)).toEqual(a2);
    expect(a2).not.toEqual(a1);
    x.dispose();
  });

  it('does not scale without scaleByKeep', () => {
    const x = tf.ones([200, 2]);
    const y = dropPath({ rate: 0.5, seed: 5, scaleByKeep: false }).apply(x, { training: true }) as tf.Tensor;
    expect(new Set(y.dataSync())).toEqual(new Set([0, 1]));
    tf.dispose([x, y]);
  });

  it('rejects a rate outside [0, 1) with ConfigError', () => {
    for (const rate of [-0.1, 1, 1.5, Number.NaN, '0.1' as never, undefined as never]) {
      expect(() => dropPath({ rate }), String(rate)).toThrow(ConfigError);
    }
    expect(() => dropPath({ rate: 1 })).toThrow(/rate must be a number in \[0, 1\), got 1/);
    expect(() => dropPath({ rate: 0.1, seed: Number.POSITIVE_INFINITY })).toThrow(ConfigError);
  });
});

describe('ShortcutPadChannels', () => {
  it('subsamples x[:, ::2, ::2, :] and pads channels (filters − in)/2 on each side', () => {
    const x = tf.randomNormal([2, 32, 32, 16], 0, 1, 'float32', 11) as tf.Tensor4D;
    const layer = shortcutPadChannels({ filters: 32, strides: 2 });
    const y = layer.apply(x) as tf.Tensor4D;
    expect(y.shape).toEqual([2, 16, 16, 32]);
    const sub = tf.stridedSlice(x, [0, 0, 0, 0], [2, 32, 32, 16], [1, 2, 2, 1]);
    const middle = tf.slice(y, [0, 0, 0, 8], [-1, -1, -1, 16]);
    expect(Array.from(middle.dataSync())).toEqual(Array.from(sub.dataSync()));
    const lo = tf.slice(y, [0, 0, 0, 0], [-1, -1, -1, 8]);
    const hi = tf.slice(y, [0, 0, 0, 24], [-1, -1, -1, 8]);
    expect(Array.from(lo.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(hi.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([x, y, sub, middle, lo, hi]);
  });

  it('keeps rows and columns 0, s, 2s… of odd sizes and can pad at the end', () => {
    const x = tf.tensor4d(
      Array.from({ length: 7 * 7 * 3 }, (_, i) => i + 1),
      [1, 7, 7, 3],
    );
    const layer = shortcutPadChannels({ filters: 6, strides: 2, channelPadding: 'end' });
    expect(layer.computeOutputShape([null, 7, 7, 3])).toEqual([null, 4, 4, 6]);
    const y = layer.apply(x) as tf.Tensor4D;
    expect(y.shape).toEqual([1, 4, 4, 6]);
    const v = y.arraySync()[0];
    const xv = x.arraySync()[0];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) expect(v[i][j]).toEqual([...xv[2 * i][2 * j], 0, 0, 0]);
    }
    // An odd number of new channels: the extra one goes after.
    const odd = shortcutPadChannels({ filters: 6, strides: 1 }).apply(tf.ones([1, 1, 1, 3])) as tf.Tensor;
    expect(Array.from(odd.dataSync())).toEqual([0, 1, 1, 1, 0, 0]);
    tf.dispose([x, y, odd]);
  });

  it('is the identity with stride 1 and as many filters as input channels', () => {
    const x = tf.randomNormal([1, 4, 4, 8]);
    const y = shortcutPadChannels({ filters: 8 }).apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    x.dispose();
  });

  it('rejects fewer filters than input channels (ShapeError) and bad arguments (ConfigError)', () => {
    expect(() => shortcutPadChannels({ filters: 8 }).apply(tf.input({ shape: [4, 4, 16] }))).toThrow(ShapeError);
    expect(() => shortcutPadChannels({ filters: 8 }).apply(tf.input({ shape: [4, 4, 16] }))).toThrow(
      /filters \(8\) must be at least the input channels \(16\)/,
    );
    expect(() => shortcutPadChannels({ filters: 0 })).toThrow(ConfigError);
    expect(() => shortcutPadChannels({ filters: 8, strides: 0 })).toThrow(ConfigError);
    expect(() => shortcutPadChannels({ filters: 8, channelPadding: 'middle' as never })).toThrow(ConfigError);
  });
});

describe('AddActivation', () => {
  it('equals tf.layers.add then the activation, to the bit, for 2 and 3 inputs', () => {
    const before = tf.memory().numTensors;
    const xs = [0, 1, 2].map((i) => tf.randomNormal([2, 5, 6, 8], 0, 1, 'float32', 20 + i));
    for (const [n, activation] of [
      [2, 'relu'],
      [3, 'linear'],
      [2, 'sigmoid'],
    ] as const) {
      const inputs = xs.slice(0, n);
      const y = addActivation({ activation }).apply(inputs) as tf.Tensor;
      const ref = tf.tidy(() => tf.layers.activation({ activation }).apply(tf.layers.add().apply(inputs) as tf.Tensor) as tf.Tensor);
      expect(Array.from(y.dataSync()), `${n} inputs, ${activation}`).toEqual(Array.from(ref.dataSync()));
      tf.dispose([y, ref]);
    }
    tf.dispose(xs);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('defaults to linear and keeps nothing but its output', () => {
    const layer = addActivation();
    expect(layer.activation).toBe('linear');
    const a = tf.ones([1, 2, 2, 3]);
    const before = tf.memory().numTensors;
    const y = layer.apply([a, a]) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(y.dataSync())).toEqual(new Array(12).fill(2));
    tf.dispose([a, y]);
  });

  it('rejects one input, inputs of different shapes and unknown activations', () => {
    const a = tf.input({ shape: [4, 4, 8] });
    const b = tf.input({ shape: [4, 4, 16] });
    expect(() => addActivation().apply([a])).toThrow(ShapeError);
    expect(() => addActivation({ name: 'sum' }).apply([a, b])).toThrow(
      /AddActivation "sum": inputs must all have one shape, got \[\?, 4, 4, 8\], \[\?, 4, 4, 16\]/,
    );
    expect(() => addActivation({ activation: 'bogus' as never })).toThrow(ConfigError);
    const out = addActivation({ activation: 'relu' }).apply([a, a]) as tf.SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 4, 8]);
  });
});

describe('serialization', () => {
  it('registers the layers by class name', () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map.GroupedConv2D?.[0]).toBe(GroupedConv2D);
    expect(map.DropPath?.[0]).toBe(DropPath);
    expect(map.ShortcutPadChannels?.[0]).toBe(ShortcutPadChannels);
    expect(map.AddActivation?.[0]).toBe(AddActivation);
  });

  it('round-trips a model through save → loadLayersModel with identical outputs', async () => {
    const input = tf.input({ shape: [8, 8, 16] });
    let h = groupedConv2d({
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      groups: 4,
      useBias: true,
      activation: 'relu',
      kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal' }),
      biasInitializer: 'randomNormal',
      name: 'gconv',
    }).apply(input) as tf.SymbolicTensor;
    h = dropPath({ rate: 0.2, seed: 9, name: 'drop' }).apply(h) as tf.SymbolicTensor;
    const shortcut = shortcutPadChannels({ filters: 32, strides: 2, name: 'short' }).apply(input) as tf.SymbolicTensor;
    const sum = addActivation({ activation: 'relu', name: 'sum' }).apply([h, shortcut]) as tf.SymbolicTensor;
    const out = groupedConv2d({ filters: 32, kernelSize: 3, padding: 'same', groups: 32, dilationRate: 2, name: 'dw' }).apply(sum) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });

    const saved = await saveToMemory(model);
    const json = JSON.stringify(saved.modelTopology);
    for (const cls of ['GroupedConv2D', 'DropPath', 'ShortcutPadChannels', 'AddActivation']) expect(json).toContain(`"class_name":"${cls}"`);

    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    for (const name of ['gconv', 'drop', 'short', 'sum', 'dw']) {
      const a = model.getLayer(name);
      const b = loaded.getLayer(name);
      expect(b.getClassName()).toBe(a.getClassName());
      // JSON turns the initializers' `seed: undefined` into null, as for tf.layers.conv2d.
      const plain = (c: unknown) => JSON.parse(JSON.stringify(c, (_k, v: unknown) => (v === undefined ? null : v))) as unknown;
      expect(plain(b.getConfig())).toEqual(plain(a.getConfig()));
    }
    const x = tf.randomNormal([3, 8, 8, 16], 0, 1, 'float32', 12);
    const ya = model.predict(x) as tf.Tensor;
    const yb = loaded.predict(x) as tf.Tensor;
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb]);
    model.dispose();
    loaded.dispose();
  });

  it('re-creates each layer from its own config (fromConfig)', () => {
    const layers = [
      groupedConv2d({ filters: 16, kernelSize: [3, 1], strides: [2, 1], groups: 8, useBias: true, activation: 'tanh', name: 'g' }),
      dropPath({ rate: 0.1, scaleByKeep: false, name: 'd' }),
      shortcutPadChannels({ filters: 16, strides: 2, channelPadding: 'end', name: 's' }),
      addActivation({ activation: 'relu6', name: 'a' }),
    ];
    for (const layer of layers) {
      const config = layer.getConfig();
      const cls = layer.constructor as typeof GroupedConv2D;
      const copy = cls.fromConfig(cls, config);
      expect(copy).toBeInstanceOf(cls);
      expect(copy.getConfig()).toEqual(config);
    }
  });
});

describe('memory', () => {
  it('returns to the baseline tensor count after predict and dispose', () => {
    const before = tf.memory().numTensors;
    const input = tf.input({ shape: [12, 12, 32] });
    const a = groupedConv2d({ filters: 32, kernelSize: 3, padding: 'same', groups: 8, useBias: true, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const b = groupedConv2d({ filters: 32, kernelSize: 3, padding: 'same', groups: 2 }).apply(a) as tf.SymbolicTensor;
    const c = dropPath({ rate: 0.3, seed: 1 }).apply(b) as tf.SymbolicTensor;
    const d = shortcutPadChannels({ filters: 64, strides: 2 }).apply(c) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: d });
    const withWeights = tf.memory().numTensors;
    const x = tf.randomNormal([2, 12, 12, 32]);
    for (let i = 0; i < 2; i++) {
      const y = model.predict(x) as tf.Tensor;
      y.dispose();
      expect(tf.memory().numTensors).toBe(withWeights + 1);
      const t = model.apply(x, { training: true }) as tf.Tensor;
      t.dispose();
      expect(tf.memory().numTensors).toBe(withWeights + 1);
    }
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
