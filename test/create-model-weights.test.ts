// createModel(name, { weights }): builds without random initialisation and
// resolves once the weights are loaded; featuresOnly shares the loaded layers.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createModel, exportPyTorchWeights, WeightsError } from '../src/index.js';

describe('createModel with weights', () => {
  it('resolves to a model equal to the one the weights came from', async () => {
    const source = createModel('resnet18', { inputShape: [32, 32, 3], classes: 5, classifierActivation: 'linear' });
    const bytes = await exportPyTorchWeights(source);
    const model = await createModel('resnet18', { inputShape: [32, 32, 3], classes: 5, classifierActivation: 'linear', weights: bytes });
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 1);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(source.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor))).dataSync()[0]);
    expect(diff).toBe(0);

    const features = await createModel('resnet18', { inputShape: [32, 32, 3], classes: 5, weights: bytes, featuresOnly: true, outIndices: [4] });
    const f = tf.tidy(() => {
      const ours = features.predict(x) as tf.Tensor;
      const ref = tf.model({ inputs: source.inputs, outputs: source.getLayer('layer4.1.act2').output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
      return tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0];
    });
    expect(f).toBe(0);
    x.dispose();
    for (const m of [source, model, features]) m.dispose();
  });

  it('rejects with WeightsError, disposing the half-built model, when the weights do not fit', async () => {
    const source = createModel('resnet18', { inputShape: [32, 32, 3], classes: 5, init: 'zeros' });
    const bytes = await exportPyTorchWeights(source);
    source.dispose();
    const before = tf.memory().numTensors;
    await expect(createModel('resnet34', { inputShape: [32, 32, 3], classes: 5, weights: bytes })).rejects.toThrow(WeightsError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
