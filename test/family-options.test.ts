// The family's building blocks and options: ResNet-D's average-pool shortcut
// (odd sizes, dilated stages), output stride, drop-path, zero-init of the
// last BN, SE widths, grouped convolutions, validation.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../src/models/registry.js';
import { resnet } from '../src/models/resnet.js';
import { modelInfo } from '../src/models/model-info.js';
import { bottleneckBlock } from '../src/blocks/bottleneck.js';
import { basicBlock } from '../src/blocks/basic.js';
import { makeDivisible, seChannels, squeezeExcite } from '../src/blocks/squeeze-excite.js';
import { ConfigError } from '../src/errors.js';
import type { ResNetOptions } from '../src/models/options.js';
import { counts } from './helpers/family-arch.js';

/** The output of layer `name` of the graph from `input`, for `x`. */
function layerOutput(input: tf.SymbolicTensor, layers: tf.layers.Layer[], name: string, x: tf.Tensor): tf.Tensor {
  const layer = layers.find((l) => l.name === name);
  if (layer === undefined) throw new Error(`no layer ${name}: ${layers.map((l) => l.name).join(', ')}`);
  const m = tf.model({ inputs: input, outputs: layer.output as tf.SymbolicTensor });
  return m.predict(x) as tf.Tensor;
}

/** PyTorch's AvgPool2d(2, s, ceil_mode=True, count_include_pad=False) on an NHWC array, by its definition. */
function torchAvgPoolCeil(x: number[][][], s: number): number[][][] {
  const H = x.length;
  const W = x[0].length;
  const out = (n: number): number => {
    let o = Math.ceil((n - 2) / s) + 1;
    if ((o - 1) * s >= n) o -= 1;
    return o;
  };
  return Array.from({ length: out(H) }, (_, i) =>
    Array.from({ length: out(W) }, (_, j) => {
      const rows = [i * s, Math.min(i * s + 2, H)];
      const cols = [j * s, Math.min(j * s + 2, W)];
      return x[0][0].map((_, c) => {
        let sum = 0;
        for (let r = rows[0]; r < rows[1]; r++) for (let q = cols[0]; q < cols[1]; q++) sum += x[r][q][c];
        return sum / ((rows[1] - rows[0]) * (cols[1] - cols[0]));
      });
    }),
  );
}

describe('ResNet-D average-pool shortcut', () => {
  for (const [h, w] of [
    [7, 5],
    [8, 6],
    [1, 3],
  ]) {
    it(`stride 2 on ${h}×${w}: averages partial windows over their valid pixels (ceil_mode, count_include_pad=False)`, () => {
      const input = tf.input({ shape: [h, w, 3] });
      const block = bottleneckBlock({ filters: 4, stride: 2, name: 'b', shortcut: 'avgPool' });
      block.apply(input);
      const x = tf.randomUniform([1, h, w, 3], -1, 1, 'float32', 7);
      const y = layerOutput(input, block.layers, 'b.downsample.0', x);
      const ref = torchAvgPoolCeil((x.arraySync() as number[][][][])[0], 2);
      expect(y.shape).toEqual([1, ref.length, ref[0].length, 3]);
      const got = (y.arraySync() as number[][][][])[0];
      got.flat(2).forEach((v, i) => expect(v).toBeCloseTo(ref.flat(2)[i], 6));
      // the conv and BN follow at indices 1 and 2, as timm's Sequential
      expect(block.layers.map((l) => l.name)).toContain('b.downsample.1');
      expect(block.layers.map((l) => l.name)).toContain('b.downsample.2');
      tf.dispose([x, y]);
    });
  }

  it("in a dilated stage: timm's AvgPool2dSame(2, 1) — zero padding at the bottom/right, counted", () => {
    const input = tf.input({ shape: [5, 4, 8] });
    const block = bottleneckBlock({ filters: 4, dilation: 2, name: 'd', shortcut: 'avgPool' });
    block.apply(input);
    const x = tf.randomUniform([1, 5, 4, 8], -1, 1, 'float32', 3);
    const y = layerOutput(input, block.layers, 'd.downsample.0', x);
    const a = (x.arraySync() as number[][][][])[0];
    const at = (i: number, j: number, c: number): number => (i < 5 && j < 4 ? a[i][j][c] : 0);
    const got = (y.arraySync() as number[][][][])[0];
    expect(y.shape).toEqual([1, 5, 4, 8]);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 4; j++)
        for (let c = 0; c < 8; c++) {
          expect(got[i][j][c]).toBeCloseTo((at(i, j, c) + at(i + 1, j, c) + at(i, j + 1, c) + at(i + 1, j + 1, c)) / 4, 6);
        }
    tf.dispose([x, y]);
  });

  it('no pool when only the channels change: conv stays at downsample.1', () => {
    const input = tf.input({ shape: [8, 8, 64] });
    const block = bottleneckBlock({ filters: 64, name: 'layer1.0', shortcut: 'avgPool' });
    block.apply(input);
    const names = block.layers.map((l) => l.name);
    expect(names).not.toContain('layer1.0.downsample.0');
    expect(names).toContain('layer1.0.downsample.1');
  });
});

describe('option-A and plain blocks', () => {
  it("'padChannels': a parameter-free ShortcutPadChannels where the shape changes, identity elsewhere", () => {
    const input = tf.input({ shape: [8, 8, 16] });
    const b0 = basicBlock({ filters: 32, stride: 2, name: 'layer2.0', shortcut: 'padChannels' });
    const b1 = basicBlock({ filters: 32, name: 'layer2.1', shortcut: 'padChannels' });
    expect(b1.apply(b0.apply(input)).shape).toEqual([null, 4, 4, 32]);
    const pad = b0.layers.find((l) => l.name === 'layer2.0.downsample')!;
    expect(pad.getClassName()).toBe('ShortcutPadChannels');
    expect(pad.countParams()).toBe(0);
    expect(b1.layers.map((l) => l.name)).not.toContain('layer2.1.downsample');
    expect(b0.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(1);
  });

  it("'none': no shortcut and no addition; the block ends in its ReLU", () => {
    const input = tf.input({ shape: [8, 8, 16] });
    const block = bottleneckBlock({ filters: 8, stride: 2, name: 'b', shortcut: 'none' });
    const y = block.apply(input);
    expect(y.shape).toEqual([null, 4, 4, 32]);
    expect(block.layers.map((l) => l.getClassName())).not.toContain('Add');
    expect(block.layers.map((l) => l.name).filter((n) => n.includes('downsample'))).toEqual([]);
    expect(y.sourceLayer.name).toBe('b.act3');
    expect((y.sourceLayer.input as tf.SymbolicTensor).sourceLayer.name).toBe('b.bn3');
  });
});

describe('output stride', () => {
  it('outputStride 8 and 16 dilate the last stages as timm does, with the same parameters', () => {
    const base = createModel('resnet26d', { init: 'zeros', includeTop: false });
    for (const [os, reductions, hw] of [
      [16, [2, 4, 8, 16, 16], 14],
      [8, [2, 4, 8, 8, 8], 28],
    ] as const) {
      const m = createModel('resnet26d', { init: 'zeros', includeTop: false, outputStride: os });
      expect(modelInfo(m)!.features.map((f) => f.reduction)).toEqual(reductions);
      expect(m.outputs[0].shape).toEqual([null, hw, hw, 2048]);
      expect(counts(m)).toEqual(counts(base));
      expect(m.layers.map((l) => l.name).filter((n) => !n.endsWith('_pad'))).toEqual(base.layers.map((l) => l.name).filter((n) => !n.endsWith('_pad')));
      m.dispose();
    }
    base.dispose();
  });

  it('dilations follow torchvision/timm: first block keeps the previous dilation on its first 3×3', () => {
    const m = createModel('resnet18d', { init: 'zeros', includeTop: false, outputStride: 8 });
    const d = (n: string): number => (m.getLayer(n).getConfig().dilationRate as number[])[0];
    expect([d('layer3.0.conv1'), d('layer3.0.conv2'), d('layer3.1.conv1'), d('layer4.0.conv1'), d('layer4.0.conv2'), d('layer4.1.conv2')]).toEqual([
      1, 2, 2, 2, 4, 4,
    ]);
    const b = createModel('resnet50', { init: 'zeros', includeTop: false, outputStride: 16 });
    expect([
      (b.getLayer('layer4.0.conv2').getConfig().dilationRate as number[])[0],
      (b.getLayer('layer4.1.conv2').getConfig().dilationRate as number[])[0],
    ]).toEqual([1, 2]);
    m.dispose();
    b.dispose();
  });

  it('outputStride equals replaceStrideWithDilation; contradicting both throws', () => {
    const a = resnet({ block: 'bottleneck', layers: [1, 1, 1, 1] }, { init: 'zeros', includeTop: false, outputStride: 8 });
    const b = resnet({ block: 'bottleneck', layers: [1, 1, 1, 1], replaceStrideWithDilation: [false, true, true] }, { init: 'zeros', includeTop: false });
    expect(a.outputs[0].shape).toEqual(b.outputs[0].shape);
    expect(modelInfo(a)!.features).toEqual(modelInfo(b)!.features);
    a.dispose();
    b.dispose();
    expect(() => resnet({ block: 'basic', layers: [2, 2, 2, 2], replaceStrideWithDilation: [false, false, true] }, { outputStride: 8 })).toThrow(
      /outputStride 8 and replaceStrideWithDilation .* disagree/,
    );
    expect(() => resnet(18, { outputStride: 4 as never })).toThrow(ConfigError);
    expect(() => resnet(18, { outputStride: 4 as never })).toThrow(/valid values are 8, 16, 32/);
  });
});

describe('stochastic depth', () => {
  it("dropPathRate adds DropPath layers with timm's linearly increasing rates, identity at inference", () => {
    const options: ResNetOptions = { init: 'zeros', inputShape: [32, 32, 3], classifierActivation: 'linear' };
    const plain = createModel('resnet18d', options);
    const dropped = createModel('resnet18d', { ...options, dropPathRate: 0.2 });
    const dp = dropped.layers.filter((l) => l.getClassName() === 'DropPath');
    // 8 blocks: rate 0.2·k/7; block 0 has rate 0 and no layer.
    expect(dp.map((l) => l.name)).toEqual(['layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1'].map((b) => `${b}.drop_path`));
    expect(dp.map((l) => (l.getConfig() as { rate: number }).rate)).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => (0.2 * k) / 7));
    expect(counts(dropped)).toEqual(counts(plain));
    for (const layer of plain.layers) {
      if (layer.countParams() === 0) continue;
      const values = layer.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1, 'float32', i + 1));
      layer.setWeights(values);
      dropped.getLayer(layer.name).setWeights(values);
      tf.dispose(values);
    }
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 5);
    const [a, b] = [plain.predict(x) as tf.Tensor, dropped.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    plain.dispose();
    dropped.dispose();
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => createModel('resnet18', { dropPathRate: 1 })).toThrow(/dropPathRate must be a number in \[0, 1\)/);
    expect(() => createModel('resnet18', { dropPathRate: -0.1 })).toThrow(ConfigError);
  });
});

describe('zeroInitLastBn', () => {
  it('zeroes the scale of the last BN of every block only', () => {
    const config = { block: 'bottleneck', layers: [1, 1, 1, 3], blockArgs: { groups: 4, widthPerGroup: 8, attention: 'se' } } as const;
    const m = resnet({ ...config, layers: [...config.layers] }, { inputShape: [32, 32, 3], zeroInitLastBn: true });
    const gamma = (n: string): number[] => Array.from(m.getLayer(n).getWeights()[0].dataSync());
    expect(gamma('layer1.0.bn3').every((v) => v === 0)).toBe(true);
    expect(gamma('layer4.2.bn3').every((v) => v === 0)).toBe(true);
    expect(gamma('layer1.0.bn2').every((v) => v === 1)).toBe(true);
    expect(gamma('layer1.0.downsample.1').every((v) => v === 1)).toBe(true);
    m.dispose();
    const b = createModel('resnet10t', { inputShape: [32, 32, 3], zeroInitLastBn: true });
    expect(Array.from(b.getLayer('layer2.0.bn2').getWeights()[0].dataSync()).every((v) => v === 0)).toBe(true);
    b.dispose();
  });
});

describe('squeeze-and-excitation', () => {
  it("hidden width: timm's make_divisible(C/16, 8, round_limit=0)", () => {
    expect([64, 128, 256, 512, 1024, 2048].map((c) => seChannels(c, {}))).toEqual([8, 8, 16, 32, 64, 128]);
    expect(makeDivisible(100 / 16, 8, undefined, 0)).toBe(8);
    expect(makeDivisible(20, 8)).toBe(24);
    expect(makeDivisible(11, 8)).toBe(16); // 8 < 0.9·11 → bumped
    expect(seChannels(256, { rdRatio: 0.25 })).toBe(64);
    expect(seChannels(256, { rdChannels: 10 })).toBe(10);
  });

  it('sits on the residual branch before the addition, with biased 1×1 convs', () => {
    const input = tf.input({ shape: [8, 8, 64] });
    const block = basicBlock({ filters: 64, name: 'layer1.0', attention: squeezeExcite() });
    block.apply(input);
    const names = block.layers.map((l) => l.name);
    expect(names.indexOf('layer1.0.bn2')).toBeLessThan(names.indexOf('layer1.0.se.fc1'));
    expect(names.indexOf('layer1.0.se.mul')).toBeLessThan(names.indexOf('layer1.0.add'));
    const fc1 = block.layers.find((l) => l.name === 'layer1.0.se.fc1')!;
    expect(fc1.getWeights().map((w) => w.shape)).toEqual([[1, 1, 64, 8], [8]]);
    const add = block.layers.find((l) => l.name === 'layer1.0.add')!;
    expect((add.input as tf.SymbolicTensor[]).map((t) => t.sourceLayer.name)).toEqual([input.sourceLayer.name, 'layer1.0.se.mul']);
  });

  it('rejects invalid arguments and attention values', () => {
    expect(() => squeezeExcite({ rdRatio: 0 })).toThrow(/rdRatio must be a positive number/);
    expect(() => squeezeExcite({ rdDivisor: 2.5 })).toThrow(ConfigError);
    expect(() => basicBlock({ filters: 8, attention: 'eca' as never })).toThrow(/attention must be a BlockAttention/);
  });
});

describe('grouped bottlenecks and validation', () => {
  it('uses a GroupedConv2D for groups > 1 and Conv2D otherwise', () => {
    const m = resnet({ block: 'bottleneck', layers: [1, 1], blockArgs: { groups: 32, widthPerGroup: 4 } }, { init: 'zeros', inputShape: [32, 32, 3] });
    expect(m.getLayer('layer1.0.conv2').getClassName()).toBe('GroupedConv2D');
    expect(m.getLayer('layer1.0.conv2').getWeights()[0].shape).toEqual([3, 3, 4, 128]);
    expect(m.getLayer('layer1.0.conv1').getClassName()).toBe('Conv2D');
    m.dispose();
    const w = resnet({ block: 'bottleneck', layers: [1, 1], blockArgs: { widthPerGroup: 128 } }, { init: 'zeros', inputShape: [32, 32, 3], includeTop: false });
    expect(w.getLayer('layer1.0.conv2').getClassName()).toBe('Conv2D');
    expect(w.getLayer('layer1.0.conv2').getWeights()[0].shape).toEqual([3, 3, 128, 128]);
    w.dispose();
  });

  it('throws ConfigErrors that say what is valid', () => {
    expect(() => resnet({ block: 'basic', layers: [1, 1, 1, 1], blockArgs: { groups: 32 } as never })).toThrow(
      /groups and widthPerGroup need a bottleneck block/,
    );
    expect(() => bottleneckBlock({ filters: 8, widthPerGroup: 4 })).toThrow(/widthPerGroup must be at least 8/);
    expect(() => bottleneckBlock({ filters: 8, groups: 0 })).toThrow(/groups must be an integer ≥ 1/);
    expect(() => bottleneckBlock({ filters: 8, shortcut: 'pool' as never })).toThrow(/valid values are "projection", "avgPool", "padChannels", "none"/);
    expect(() => resnet({ block: 'basic', layers: [1], stemType: 'wide' as never })).toThrow(/valid values are "default", "deep", "deep_tiered"/);
    expect(() => resnet({ block: 'basic', layers: [1], stemType: 'deep', stemWidth: 63 })).toThrow(/even stemWidth/);
  });
});

describe('Keras style', () => {
  it('builds every family feature with unique Keras-style names', () => {
    const m = resnet(
      { block: 'bottleneck', layers: [1, 1, 1, 1], stemType: 'deep_tiered', blockArgs: { groups: 8, widthPerGroup: 8, attention: 'se', shortcut: 'avgPool' } },
      { style: 'keras', init: 'zeros', inputShape: [64, 64, 3], dropPathRate: 0.1, outputStride: 16 },
    );
    const names = m.layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [
      'conv1_1_conv',
      'conv1_1_bn',
      'conv1_3_conv',
      'conv1_bn',
      'conv2_block1_se_fc1',
      'conv3_block1_0_pool',
      'conv3_block1_0_conv',
      'conv3_block1_0_bn',
      'conv5_block1_drop_path',
    ]) {
      expect(names, n).toContain(n);
    }
    expect(m.outputs[0].shape).toEqual([null, 1000]);
    m.dispose();
  });
});
