// The CIFAR-10 nets of He et al. (2015), §4.2: ResNet-20…110 with option-A
// shortcuts and their plain counterparts — parameter counts derived from the
// architecture, structure, option-A arithmetic, save→load, invalid depths.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cifarResnet } from '../src/models/cifar.js';
import { CIFAR_MODELS } from '../src/models/catalogs/cifar.js';
import type { ModelCatalog } from '../src/models/catalogs/define.js';
import { modelInfo } from '../src/models/model-info.js';
import { ConfigError } from '../src/errors.js';
import { createModel, getModel, listModels } from '../src/models/registry.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';
import { saveAndLoad } from './helpers/round-trip.js';

const size = (shape: readonly (number | null)[]): number => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
const sum = (vars: readonly tf.LayerVariable[]): number => vars.reduce((a, v) => a + size(v.shape), 0);

// Closed form, independent of the builder: 3×3 convs without bias, BN with
// 2c trainable values (and 2c running statistics), option-A shortcuts free.
const conv3 = (cin: number, cout: number): number => 9 * cin * cout;
const bn = (c: number): number => 2 * c;
function cifarParams(n: number, classes = 10): { trainable: number; bnChannels: number } {
  let trainable = conv3(3, 16) + bn(16);
  let bnChannels = 16;
  let cin = 16;
  for (const c of [16, 32, 64]) {
    for (let j = 0; j < n; j++) {
      trainable += conv3(cin, c) + bn(c) + conv3(c, c) + bn(c);
      bnChannels += 2 * c;
      cin = c;
    }
  }
  return { trainable: trainable + 64 * classes + classes, bnChannels };
}

// The figures (the paper: 0.27M, 0.46M, 0.66M, 0.85M, 1.7M).
const PAPER = { 20: 269_722, 32: 464_154, 44: 658_586, 56: 853_018, 110: 1_727_962 } as const;

expectNoTensorLeaks();

describe('parameter counts', () => {
  it.each([20, 32, 44, 56, 110] as const)('resnet%i and its plain counterpart', (depth) => {
    const n = (depth - 2) / 6;
    const ref = cifarParams(n);
    expect(ref.trainable).toBe(PAPER[depth]);
    for (const plain of [false, true]) {
      const name = `${plain ? 'plain' : 'resnet'}${depth}`;
      const model = (CIFAR_MODELS as ModelCatalog)[name].build({ init: 'zeros' });
      try {
        expect(model.name).toBe(name);
        expect(sum(model.trainableWeights)).toBe(PAPER[depth]);
        expect(sum(model.nonTrainableWeights)).toBe(2 * ref.bnChannels);
        expect((CIFAR_MODELS as ModelCatalog)[name].reference?.trainableParams).toBe(PAPER[depth]);
        const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
        expect(convs).toHaveLength(6 * n + 1); // + the dense layer: depth weighted layers
        expect(model.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(plain ? 0 : 3 * n);
        expect(model.outputs[0].shape).toEqual([null, 10]);
      } finally {
        model.dispose();
      }
    }
  });

  it('classes and input shape can be overridden', () => {
    const model = cifarResnet(20, { classes: 100, inputShape: [40, 40, 3], init: 'zeros' });
    try {
      expect(sum(model.trainableWeights)).toBe(cifarParams(3, 100).trainable);
      expect(model.inputs[0].shape).toEqual([null, 40, 40, 3]);
    } finally {
      model.dispose();
    }
  });
});

describe('structure', () => {
  it('resnet20: PyTorch module names, no max pool, strides 1/2/2, option-A shortcuts', () => {
    const model = cifarResnet(20, { init: 'zeros' });
    try {
      const names = model.layers.map((l) => l.name);
      expect(names.slice(0, 4)).toEqual(['input', 'conv1', 'bn1', 'act1']);
      expect(names.at(-1)).toBe('linear');
      expect(names.some((l) => /pool/i.test(l) && l !== 'global_pool')).toBe(false);
      for (const key of ['layer1.0.conv1', 'layer1.0.bn1', 'layer1.2.conv2', 'layer2.0.conv1', 'layer3.2.bn2']) {
        expect(names).toContain(key);
      }
      // Option A: one weightless ShortcutPadChannels per downsampling block, where torchvision has its projection.
      const shortcuts = model.layers.filter((l) => l.name.includes('downsample'));
      expect(shortcuts.map((l) => [l.name, l.getClassName(), l.weights.length])).toEqual([
        ['layer2.0.downsample', 'ShortcutPadChannels', 0],
        ['layer3.0.downsample', 'ShortcutPadChannels', 0],
      ]);
      const inbound = (name: string): string[] => model.getLayer(name).inboundNodes[0].inboundLayers.map((l) => l.name);
      expect(inbound('layer2.0.downsample')).toEqual(['layer1.2.act2']);
      expect(inbound('layer2.0.add')).toEqual(['layer2.0.downsample', 'layer2.0.bn2']);
      expect(inbound('layer1.1.add')).toEqual(['layer1.0.act2', 'layer1.1.bn2']); // identity
      expect(model.getLayer('layer1.2.act2').outputShape).toEqual([null, 32, 32, 16]);
      expect(model.getLayer('layer2.0.act2').outputShape).toEqual([null, 16, 16, 32]);
      expect(model.getLayer('layer3.2.act2').outputShape).toEqual([null, 8, 8, 64]);
      const info = modelInfo(model)!;
      expect(info.features.map((f) => [f.name, f.channels, f.reduction])).toEqual([
        ['act1', 16, 1],
        ['layer1', 16, 1],
        ['layer2', 32, 2],
        ['layer3', 64, 4],
      ]);
    } finally {
      model.dispose();
    }
  });

  it('option A: subsample by 2, zero channels on both sides as the common PyTorch implementation', () => {
    const model = cifarResnet(8, { init: 'zeros' });
    try {
      tf.tidy(() => {
        const x = tf.randomUniform([1, 8, 8, 16], 0.5, 1, 'float32', 3);
        const y = model.getLayer('layer2.0.downsample').apply(x) as tf.Tensor;
        expect(y.shape).toEqual([1, 4, 4, 32]);
        // F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4)): 8 zero channels, the 16, 8 zero channels.
        const expected = tf.pad(tf.stridedSlice(x, [0, 0, 0, 0], [1, 8, 8, 16], [1, 2, 2, 1]), [
          [0, 0],
          [0, 0],
          [0, 0],
          [8, 8],
        ]);
        expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
      });
    } finally {
      model.dispose();
    }
  });

  it('plain nets: no addition, each block ends in its ReLU', () => {
    const model = cifarResnet(20, { plain: true, init: 'zeros' });
    try {
      expect(model.name).toBe('plain20');
      const inbound = (name: string): string[] => model.getLayer(name).inboundNodes[0].inboundLayers.map((l) => l.name);
      expect(inbound('layer1.0.act2')).toEqual(['layer1.0.bn2']);
      expect(inbound('layer1.1.conv1')).toEqual(['layer1.0.act2']);
    } finally {
      model.dispose();
    }
  });

  it('Keras style names the same network the Keras way', () => {
    const model = cifarResnet(20, { style: 'keras', init: 'zeros' });
    try {
      const names = model.layers.map((l) => l.name);
      expect(names.slice(0, 4)).toEqual(['input', 'conv1_conv', 'conv1_bn', 'conv1_relu']);
      expect(names).toContain('conv2_block1_1_conv');
      expect(names).toContain('conv4_block3_out');
      expect(names.at(-1)).toBe('predictions');
      // Keras convs carry a bias: one per conv.
      expect(sum(model.trainableWeights)).toBe(PAPER[20] + 16 + 6 * (16 + 32 + 64));
    } finally {
      model.dispose();
    }
  });
});

describe('save → load round trip is exact', () => {
  it.each([false, true])('resnet20 (plain: %s)', async (plain) => {
    const model = cifarResnet(20, { plain });
    try {
      let seed = 11;
      for (const layer of model.layers) {
        if (layer.getClassName() !== 'BatchNormalization') continue;
        const fresh = layer.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -0.2, i === 3 ? 1.5 : 0.2, 'float32', seed++));
        layer.setWeights(fresh);
        fresh.forEach((t) => t.dispose());
      }
      const loaded = await saveAndLoad(model);
      try {
        expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
        tf.tidy(() => {
          const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 5);
          expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
        });
      } finally {
        loaded.dispose();
      }
    } finally {
      model.dispose();
    }
  });
});

describe('registry', () => {
  it("registers resnet20…110 and plain20…110 as the paper's, with CIFAR-10 defaults", () => {
    const depths = [20, 32, 44, 56, 110];
    expect(listModels({ source: 'paper' })).toEqual([...depths.map((d) => `resnet${d}`), ...depths.map((d) => `plain${d}`)]);
    expect(getModel('plain110').reference).toEqual({ trainableParams: PAPER[110] });
    expect(getModel('resnet56').defaults).toEqual({ inputShape: [32, 32, 3], classes: 10 });
    const model = createModel('plain20', { classes: 100, init: 'zeros' });
    try {
      expect(model.name).toBe('plain20');
      expect(model.inputs[0].shape).toEqual([null, 32, 32, 3]);
      expect(model.outputs[0].shape).toEqual([null, 100]);
      expect(model.layers.some((l) => l.getClassName() === 'Add')).toBe(false);
    } finally {
      model.dispose();
    }
  });
});

describe('invalid configurations', () => {
  it('depth must be 6n + 2', () => {
    for (const depth of [18, 21, 2, 0, -4, 20.5, '20', undefined]) {
      expect(() => cifarResnet(depth as number)).toThrow(ConfigError);
    }
    expect(() => cifarResnet(36)).toThrow(/6n \+ 2.*20, 32, 44, 56, 110, 1202.*got 36/);
  });

  it('options are checked', () => {
    expect(() => cifarResnet(20, { plain: 'yes' as never })).toThrow(/plain must be true or false/);
    expect(() => cifarResnet(20, { classes: 0 })).toThrow(ConfigError);
    expect(() => cifarResnet(20, { style: 'caffe' as never })).toThrow(ConfigError);
  });
});
