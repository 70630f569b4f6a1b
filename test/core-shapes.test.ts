// Output shapes: the stem pool and each stage equal torchvision's for 224×224
// (reference figures) and, for odd sizes, PyTorch's output-size formula;
// fully-convolutional use; the head options; Keras-style layer names.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { modelInfo, resnet, type ResNetDepth, type ResNetStyle } from '../src/index.js';
import { ARCH_INPUT_HW, torchvisionArch, torchvisionStageSizes } from './helpers/torchvision-arch.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';

const POOL_LAYER: Record<ResNetStyle, string> = { torchvision: 'maxpool', keras: 'pool1_pool' };
const STAGES = ['layer1', 'layer2', 'layer3', 'layer4'] as const;

/** The names of the layers whose outputs are the pool and the 4 stages. */
function stageLayers(model: tf.LayersModel, style: ResNetStyle): string[] {
  const info = modelInfo(model);
  if (info === undefined) throw new Error('no model info');
  expect(info.style).toBe(style);
  expect(info.features.map((f) => f.name)).toEqual(['act1', ...STAGES]);
  return [POOL_LAYER[style], ...info.features.slice(1).map((f) => f.layer)];
}

/** torchvision's NCHW stage shapes for an H×W input, as NHWC with an unknown batch. */
function expectedNhwc(depth: ResNetDepth, h: number, w: number): number[][] {
  const ref = torchvisionArch(`resnet${depth}`).stage_shapes_nchw;
  const hs = torchvisionStageSizes(h);
  const ws = torchvisionStageSizes(w);
  return [[null, hs.pool, ws.pool, ref.pool[1]], ...STAGES.map((s, i) => [null, hs.layers[i], ws.layers[i], ref[s][1]])] as number[][];
}

expectNoTensorLeaks();

describe('stage output shapes at 224×224 equal torchvision', () => {
  it('the formula reproduces the reference figures', () => {
    expect(ARCH_INPUT_HW).toEqual([224, 224]);
    for (const depth of [18, 34, 50, 101, 152] as const) {
      const ref = torchvisionArch(`resnet${depth}`).stage_shapes_nchw;
      const nchw = expectedNhwc(depth, 224, 224).map(([, h, w, c]) => [1, c, h, w]);
      expect(nchw).toEqual([ref.pool, ref.layer1, ref.layer2, ref.layer3, ref.layer4]);
    }
  });

  it.each([
    [18, 'torchvision'],
    [34, 'torchvision'],
    [50, 'torchvision'],
    [101, 'torchvision'],
    [50, 'keras'],
  ] as const)('resnet%i (%s)', (depth, style) => {
    const ref = torchvisionArch(`resnet${depth}`).stage_shapes_nchw;
    const model = resnet(depth, { init: 'zeros', style });
    try {
      const got = stageLayers(model, style).map((n) => model.getLayer(n).outputShape);
      const want = [ref.pool, ...STAGES.map((s) => ref[s])].map(([, c, h, w]) => [null, h, w, c]);
      expect(got).toEqual(want);
      expect(model.outputs[0].shape).toEqual([null, 1000]);
    } finally {
      model.dispose();
    }
  });
});

describe('stage output shapes at odd sizes follow PyTorch’s formula', () => {
  const sizes: Array<[number, number]> = [
    [97, 131],
    [33, 47],
    [1, 1],
  ];
  for (const [h, w] of sizes) {
    it.each([
      [18, 'torchvision'],
      [50, 'torchvision'],
      [50, 'keras'],
    ] as const)(`${h}×${w}: resnet%i (%s)`, (depth, style) => {
      const model = resnet(depth, { init: 'zeros', style, inputShape: [h, w, 3], includeTop: false });
      try {
        const got = stageLayers(model, style).map((n) => model.getLayer(n).outputShape);
        expect(got).toEqual(expectedNhwc(depth, h, w));
      } finally {
        model.dispose();
      }
    });
  }

  it('1×1 keeps every stage at 1×1 and 33×47 ends at 2×2', () => {
    expect(torchvisionStageSizes(1)).toEqual({ pool: 1, layers: [1, 1, 1, 1] });
    expect(torchvisionStageSizes(33).layers[3]).toBe(2);
    expect(torchvisionStageSizes(47).layers[3]).toBe(2);
    expect(torchvisionStageSizes(97)).toEqual({ pool: 25, layers: [25, 13, 7, 4] });
    expect(torchvisionStageSizes(131)).toEqual({ pool: 33, layers: [33, 17, 9, 5] });
  });
});

describe('fully-convolutional use: inputShape [null, null, 3]', () => {
  it.each([
    [18, 'torchvision'],
    [50, 'keras'],
  ] as const)('resnet%i (%s) runs at two sizes, shapes as torchvision', (depth, style) => {
    const model = resnet(depth, { style, inputShape: [null, null, 3], includeTop: false });
    const names = stageLayers(model, style);
    const taps = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor) });
    try {
      expect(model.outputs[0].shape).toEqual([null, null, null, depth === 18 ? 512 : 2048]);
      for (const [h, w] of [
        [97, 131],
        [33, 47],
      ]) {
        const outs = tf.tidy(() => (taps.predict(tf.randomNormal([2, h, w, 3])) as tf.Tensor[]).map((t) => t.shape));
        expect(outs.map(([, ...rest]) => [null, ...rest])).toEqual(expectedNhwc(depth, h, w));
        expect(outs[0][0]).toBe(2);
      }
    } finally {
      model.dispose();
    }
  });
});

describe('head options', () => {
  it.each([
    [18, 'torchvision', 512],
    [50, 'torchvision', 2048],
    [50, 'keras', 2048],
  ] as const)('resnet%i (%s) without top: avg, max, null', (depth, style, channels) => {
    for (const pooling of ['avg', 'max', null] as const) {
      const model = resnet(depth, { init: 'zeros', style, includeTop: false, pooling, inputShape: [64, 96, 3] });
      try {
        const want = pooling === null ? [null, 2, 3, channels] : [null, channels];
        expect(model.outputs[0].shape).toEqual(want);
        const last = model.layers[model.layers.length - 1];
        if (pooling === null) {
          expect(last.getClassName()).toBe('Activation');
        } else {
          expect(last.getClassName()).toBe(pooling === 'avg' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D');
          if (style === 'keras') expect(last.name).toBe(pooling === 'avg' ? 'avg_pool' : 'max_pool');
        }
        if (depth === 18) {
          const shape = tf.tidy(() => (model.predict(tf.zeros([3, 64, 96, 3])) as tf.Tensor).shape);
          expect(shape).toEqual([3, ...want.slice(1)]);
        }
        expect(model.layers.some((l) => l.getClassName() === 'Dense')).toBe(false);
      } finally {
        model.dispose();
      }
    }
  });

  it('classes and classifierActivation are honoured', () => {
    const opts = { inputShape: [64, 64, 3] as [number, number, number], classes: 10 };
    const soft = resnet(18, opts); // softmax by default, as in Keras
    const linear = resnet(18, { ...opts, classifierActivation: 'linear' });
    try {
      expect(soft.outputs[0].shape).toEqual([null, 10]);
      expect(
        soft
          .getLayer('fc')
          .getWeights()
          .map((w) => w.shape),
      ).toEqual([[512, 10], [10]]);
      linear.setWeights(soft.getWeights());
      tf.tidy(() => {
        const x = tf.randomNormal([4, 64, 64, 3], 0, 1, 'float32', 7);
        const probs = soft.predict(x) as tf.Tensor2D;
        const logits = linear.predict(x) as tf.Tensor2D;
        const rowSums = probs.sum(1).dataSync();
        for (const s of rowSums) expect(s).toBeCloseTo(1, 5);
        expect(probs.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
        // The linear head returns logits: their softmax is the softmax head's output.
        const diff = tf.softmax(logits).sub(probs).abs().max().dataSync()[0];
        expect(diff).toBeLessThan(1e-6);
        expect(Math.abs(logits.sum(1).dataSync()[0] - 1)).toBeGreaterThan(1e-3);
      });
    } finally {
      soft.dispose();
      linear.dispose();
    }
  });

  it('pooling is ignored with includeTop (as in Keras)', () => {
    const model = resnet(18, { init: 'zeros', pooling: 'max', classes: 5, inputShape: [32, 32, 3] });
    try {
      expect(model.outputs[0].shape).toEqual([null, 5]);
      expect(model.layers.some((l) => l.getClassName() === 'GlobalMaxPooling2D')).toBe(false);
    } finally {
      model.dispose();
    }
  });
});

/**
 * The layer names keras.applications.ResNet50/101/152 create, written out from
 * Keras's `ResNet`, `stack1` and `block1` (keras/src/applications/resnet.py),
 * in creation order.
 */
function kerasResNetNames(blocks: number[]): string[] {
  const names = ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool'];
  blocks.forEach((count, s) => {
    for (let b = 1; b <= count; b++) {
      const p = `conv${s + 2}_block${b}`;
      if (b === 1) names.push(`${p}_0_conv`, `${p}_0_bn`);
      names.push(`${p}_1_conv`, `${p}_1_bn`, `${p}_1_relu`, `${p}_2_conv`, `${p}_2_bn`, `${p}_2_relu`);
      names.push(`${p}_3_conv`, `${p}_3_bn`, `${p}_add`, `${p}_out`);
    }
  });
  names.push('avg_pool', 'predictions');
  return names;
}

describe('Keras style: the layers of keras.applications', () => {
  it('ResNet50: 177 layers (input included), Keras names, Keras order', () => {
    const model = resnet(50, { init: 'zeros', style: 'keras' });
    try {
      const names = model.layers.map((l) => l.name);
      expect(names).toHaveLength(177);
      // Keras names its input `input_1` (tf.keras 2) or `input_layer` (Keras 3); ours is `input`.
      expect(model.layers[0].getClassName()).toBe('InputLayer');
      const expected = kerasResNetNames([3, 4, 6, 3]);
      expect(new Set(names.slice(1))).toEqual(new Set(expected));
      expect(names.slice(1, 7)).toEqual(expected.slice(0, 6));
      expect(names.slice(-3)).toEqual(['conv5_block3_out', 'avg_pool', 'predictions']);
      // Keras's model.summary() order of the first block: the shortcut conv after the
      // main path's second ReLU, the two BNs after the two last convs.
      expect(names.slice(7, 19)).toEqual([
        'conv2_block1_1_conv',
        'conv2_block1_1_bn',
        'conv2_block1_1_relu',
        'conv2_block1_2_conv',
        'conv2_block1_2_bn',
        'conv2_block1_2_relu',
        'conv2_block1_0_conv',
        'conv2_block1_3_conv',
        'conv2_block1_0_bn',
        'conv2_block1_3_bn',
        'conv2_block1_add',
        'conv2_block1_out',
      ]);
      const classes = Object.fromEntries(model.layers.map((l) => [l.name, l.getClassName()]));
      expect(classes).toMatchObject({
        conv1_pad: 'ZeroPadding2D',
        conv1_conv: 'Conv2D',
        conv1_bn: 'BatchNormalization',
        conv1_relu: 'Activation',
        pool1_pad: 'ZeroPadding2D',
        pool1_pool: 'MaxPooling2D',
        conv2_block1_add: 'Add',
        avg_pool: 'GlobalAveragePooling2D',
        predictions: 'Dense',
      });
      // Keras's BN epsilon and the stride on the first 1×1 conv of a block.
      const bn = model.getLayer('conv3_block1_1_bn').getConfig();
      expect(bn.epsilon).toBeCloseTo(1.001e-5, 12);
      expect(model.getLayer('conv3_block1_1_conv').getConfig().strides).toEqual([2, 2]);
      expect(model.getLayer('conv3_block1_2_conv').getConfig().strides).toEqual([1, 1]);
    } finally {
      model.dispose();
    }
  });

  it.each([
    [101, [3, 4, 23, 3]],
    [152, [3, 8, 36, 3]],
  ] as const)('ResNet%i: names and count', (depth, blocks) => {
    const model = resnet(depth, { init: 'zeros', style: 'keras' });
    try {
      const names = model.layers.map((l) => l.name);
      const expected = kerasResNetNames([...blocks]);
      expect(names).toHaveLength(expected.length + 1);
      expect(new Set(names.slice(1))).toEqual(new Set(expected));
    } finally {
      model.dispose();
    }
  });
});
