// optimizeForInference and exportOnnx on one network of each family of the
// registry (grouped convolutions, squeeze-excitation, ResNet-D average-pool
// shortcuts, pre-activation, option-A shortcuts, plain nets, stochastic depth).
import { describe, expect, test } from 'vitest';
import { createModel } from '../src/models/registry.js';
import { checkOnnx, checkOptimized, layersOfClass, randomInput, randomizeWeights } from './helpers/inference-models.js';

const FAMILIES: Array<[name: string, options: Parameters<typeof createModel>[1]]> = [
  ['resnext50_32x4d', { inputShape: [64, 64, 3] }],
  ['seresnext50_32x4d', { inputShape: [64, 64, 3] }],
  ['resnet26d', { inputShape: [61, 67, 3], dropPathRate: 0.1 }],
  ['resnetv2_50', { inputShape: [64, 64, 3] }],
  ['resnet50v2', { inputShape: [64, 64, 3] }],
  ['resnet20', { dropPathRate: 0.1 }],
  ['plain20', {}],
];

describe('inference on every family', () => {
  test.each(FAMILIES)('%s: optimized and ONNX outputs equal tfjs', async (name, options) => {
    const model = randomizeWeights(createModel(name, { classifierActivation: 'linear', ...options }));
    const x = randomInput([2, ...(model.inputs[0].shape.slice(1) as number[])], 12);
    if (options?.dropPathRate) expect(layersOfClass(model, 'DropPath').length).toBeGreaterThan(0);
    await checkOptimized(model, x, (fast) => expect(layersOfClass(fast, 'DropPath')).toEqual([]));
    await checkOnnx(model, [x]);
    x.dispose();
    model.dispose();
  });
});
