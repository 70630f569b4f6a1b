// Parameter counts of resnet18…152 against torchvision's (trainable weights,
// BN running statistics, convolutions, state-dict entries) and of the Keras
// style against keras.applications' countParams().
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resnet, type ResNetDepth } from '../src/index.js';
import { torchvisionArch } from './helpers/torchvision-arch.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';

type StateDictEntry = [key: string, shape: number[], dtype: string];
const stateDicts = JSON.parse(readFileSync(new URL('./fixtures/torchvision-state-dicts.json', import.meta.url), 'utf8')) as Record<string, StateDictEntry[]>;

// A PyTorch parameter's shape in tfjs layout: conv [out, in, kh, kw] → [kh, kw, in, out], linear [out, in] → [in, out].
const tfjsShape = (shape: number[]): number[] =>
  shape.length === 4 ? [shape[2], shape[3], shape[1], shape[0]] : shape.length === 2 ? [shape[1], shape[0]] : shape;
const TFJS_PARAM: Record<string, number> = { weight: 0, bias: 1, running_mean: 2, running_var: 3 };

const size = (shape: ReadonlyArray<number | null>): number => shape.reduce<number>((a, b) => a * (b ?? NaN), 1);
const sum = (vars: readonly tf.LayerVariable[]): number => vars.reduce((a, v) => a + size(v.shape), 0);
const layersOf = (model: tf.LayersModel, cls: string): tf.layers.Layer[] => model.layers.filter((l) => l.getClassName() === cls);

// The figures, independent of the fixture.
const TORCHVISION_TRAINABLE: Record<ResNetDepth, number> = {
  18: 11_689_512,
  34: 21_797_672,
  50: 25_557_032,
  101: 44_549_160,
  152: 60_192_808,
};
const KERAS_TOTAL = { 50: 25_636_712, 101: 44_707_176, 152: 60_419_944 } as const;

expectNoTensorLeaks();

describe('torchvision style: counts equal torchvision', () => {
  it.each([18, 34, 50, 101, 152] as const)('resnet%i', (depth) => {
    const ref = torchvisionArch(`resnet${depth}`);
    expect(ref.trainable_params).toBe(TORCHVISION_TRAINABLE[depth]);
    const model = resnet(depth, { init: 'zeros' });
    try {
      expect(sum(model.trainableWeights)).toBe(ref.trainable_params);
      // Non-trainable weights are exactly the BN running mean and variance.
      expect(sum(model.nonTrainableWeights)).toBe(ref.bn_running_stats);
      const bns = layersOf(model, 'BatchNormalization');
      expect(bns.reduce((a, l) => a + size(l.getWeights()[0].shape), 0)).toBe(ref.bn_channels);
      const convs = layersOf(model, 'Conv2D');
      expect(convs).toHaveLength(ref.conv_layers);
      expect(convs.every((l) => l.getWeights().length === 1)).toBe(true); // no conv bias
      // One tfjs weight per state-dict entry except num_batches_tracked.
      expect(model.weights).toHaveLength(ref.state_dict_keys);
      expect(model.countParams()).toBe(ref.trainable_params + ref.bn_running_stats);
      // Blocks per stage: one residual addition per block.
      const adds = layersOf(model, 'Add').map((l) => l.name.split('.')[0]);
      const perStage = ['layer1', 'layer2', 'layer3', 'layer4'].map((s) => adds.filter((a) => a === s).length);
      expect(perStage).toEqual(ref.blocks_per_stage);
      // Layer names are PyTorch module paths: every state-dict key
      // `<module>.<param>` names a layer holding a weight of that shape.
      for (const [key, shape] of stateDicts[`resnet${depth}`]) {
        const dot = key.lastIndexOf('.');
        const param = key.slice(dot + 1);
        if (param === 'num_batches_tracked') continue;
        const layer = model.getLayer(key.slice(0, dot));
        const index = layer.getClassName() === 'Dense' && param === 'weight' ? 0 : TFJS_PARAM[param];
        expect(layer.weights[index]?.shape, key).toEqual(tfjsShape(shape));
      }
    } finally {
      model.dispose();
    }
  });
});

describe('Keras style: countParams() equals keras.applications', () => {
  it.each([50, 101, 152] as const)('ResNet%i', (depth) => {
    const ref = torchvisionArch(`resnet${depth}`);
    expect(ref.keras_style_total_params).toBe(KERAS_TOTAL[depth]);
    const model = resnet(depth, { init: 'zeros', style: 'keras' });
    try {
      expect(model.countParams()).toBe(KERAS_TOTAL[depth]);
      expect(sum(model.nonTrainableWeights)).toBe(ref.bn_running_stats);
      const convs = layersOf(model, 'Conv2D');
      expect(convs).toHaveLength(ref.conv_layers);
      expect(convs.every((l) => l.getWeights().length === 2)).toBe(true); // Keras convs have a bias
    } finally {
      model.dispose();
    }
  });

  // Keras has no ResNet-18/34; its rules (a bias per conv) applied to the basic
  // block give the fixture's keras_style_total_params.
  it.each([18, 34] as const)('basic-block depth %i follows the same rule', (depth) => {
    const model = resnet(depth, { init: 'zeros', style: 'keras' });
    try {
      expect(model.countParams()).toBe(torchvisionArch(`resnet${depth}`).keras_style_total_params);
    } finally {
      model.dispose();
    }
  });
});
