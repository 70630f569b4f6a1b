import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, modelInfo, optimizeForInference, resnet18, resnet50 } from '../src/index.js';
import { checkOptimized, layersOfClass as classes, expectClose, randomInput, randomizeWeights } from './helpers/inference-models.js';

describe('optimizeForInference on the ResNets', () => {
  test('resnet18 (torchvision): BN folded, ReLU fused, names kept, same outputs, no leaks', async () => {
    const model = randomizeWeights(resnet18({ classifierActivation: 'linear' }));
    const x = randomInput([2, 224, 224, 3]);
    await checkOptimized(model, x, (fast) => {
      expect(classes(fast, 'BatchNormalization')).toEqual([]);
      expect(classes(fast, 'Conv2D')).toEqual(classes(model, 'Conv2D'));
      expect(fast.layers.map((l) => l.name).every((n) => model.layers.some((l) => l.name === n))).toBe(true);
      expect(fast.getLayer('conv1').getConfig().activation).toBe('relu');
      expect(fast.getLayer('layer1.0.conv2').getConfig().activation).toBe('linear');
      expect(fast.layers.some((l) => l.name === 'act1' || l.name === 'bn1')).toBe(false);
      // The addition and the ReLU after it: one AddActivation named after the ReLU (the block's output).
      expect(classes(fast, 'Add')).toEqual([]);
      expect(classes(fast, 'Activation')).toEqual([]);
      expect(classes(fast, 'AddActivation')).toHaveLength(8);
      expect(fast.getLayer('layer1.0.act2').getClassName()).toBe('AddActivation');
      expect(fast.getLayer('layer1.0.act2').getConfig().activation).toBe('relu');
      expect(modelInfo(fast)?.features.map((f) => f.layer)).toEqual([
        'conv1',
        ...modelInfo(model)!
          .features.slice(1)
          .map((f) => f.layer),
      ]);
    });
    x.dispose();
    model.dispose();
  });

  test('builtinLayersOnly: tfjs layer classes only, same outputs; bad options are ConfigErrors', async () => {
    const model = randomizeWeights(resnet18({ classifierActivation: 'linear' }));
    const x = randomInput([1, 224, 224, 3]);
    const fast = optimizeForInference(model, { builtinLayersOnly: true });
    const used = new Set(fast.layers.map((l) => l.getClassName()));
    expect([...used].sort()).toEqual(['Activation', 'Add', 'Conv2D', 'Dense', 'GlobalAveragePooling2D', 'InputLayer', 'MaxPooling2D', 'ZeroPadding2D']);
    expect(classes(fast, 'BatchNormalization')).toEqual([]);
    const [a, b] = [model.predict(x) as tf.Tensor, fast.predict(x) as tf.Tensor];
    expectClose(b, a, 1e-5, 'builtinLayersOnly');
    tf.dispose([a, b]);
    fast.dispose();
    expect(() => optimizeForInference(model, { builtinLayersOnly: 'yes' as never })).toThrow(ConfigError);
    x.dispose();
    model.dispose();
  });

  test('resnet50 (torchvision) with random BN statistics', async () => {
    const model = randomizeWeights(resnet50({ classifierActivation: 'linear' }));
    const x = randomInput([1, 224, 224, 3]);
    await checkOptimized(model, x, (fast) => {
      expect(classes(fast, 'BatchNormalization')).toEqual([]);
      expect(fast.countParams()).toBeLessThan(model.countParams());
    });
    x.dispose();
    model.dispose();
  });

  test('resnet50 (Keras style: conv biases, softmax head) at 160×192', async () => {
    const model = randomizeWeights(resnet50({ style: 'keras', inputShape: [160, 192, 3] }));
    const x = randomInput([1, 160, 192, 3]);
    await checkOptimized(model, x, (fast) => {
      expect(classes(fast, 'BatchNormalization')).toEqual([]);
      expect(fast.getLayer('conv1_conv').getConfig().activation).toBe('relu');
    });
    x.dispose();
    model.dispose();
  });
});
