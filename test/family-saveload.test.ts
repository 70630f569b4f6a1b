// Save → load (memory handler) round trips, exact, for every family: ResNeXt
// (GroupedConv2D), Wide, ResNet-D (deep stems, average-pool shortcuts, also
// dilated), SE, stochastic depth (DropPath).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getModel } from '../src/models/registry.js';
import { resnet } from '../src/models/resnet.js';
import type { ResNetOptions } from '../src/models/options.js';
import '../src/layers/index.js';
import { saveAndLoad } from './helpers/round-trip.js';

async function roundTrip(model: tf.LayersModel): Promise<void> {
  const loaded = await saveAndLoad(model);
  expect(loaded.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual(model.layers.map((l) => `${l.getClassName()}:${l.name}`));
  const [a, b] = [model.getWeights(), loaded.getWeights()];
  expect(b.length).toBe(a.length);
  a.forEach((w, i) => {
    expect(b[i].shape).toEqual(w.shape);
    const same = tf.tidy(() => tf.all(tf.equal(w, b[i])).dataSync()[0]);
    expect(same, model.weights[i].name).toBe(1);
  });
  const shape = model.inputs[0].shape.slice(1) as number[];
  const x = tf.randomUniform([2, ...shape], -1, 1, 'float32', 9);
  const [ya, yb] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
  tf.dispose([x, ya, yb]);
  loaded.dispose();
}

/** The registry model's architecture with one narrow block per stage, randomly initialised. */
function small(name: string, options: ResNetOptions = {}): tf.LayersModel {
  const config = getModel(name).config!;
  return resnet(
    { ...config, layers: config.layers.map(() => 1), widths: config.layers.map(() => 16), stemWidth: 32 },
    { inputShape: [40, 36, 3], classes: 10, classifierActivation: 'linear', name, ...options },
  );
}

describe('save → load round trip, exact', () => {
  // model, options, layer classes the case must contain
  const cases: Array<[string, ResNetOptions, string[]]> = [
    ['resnext50_32x4d', {}, ['GroupedConv2D']],
    ['wide_resnet50_2', {}, ['Conv2D']],
    ['resnet50d', {}, ['AveragePooling2D']],
    ['resnet10t', { outputStride: 8 }, ['AveragePooling2D', 'ZeroPadding2D']],
    ['seresnet18', {}, ['GlobalAveragePooling2D', 'Multiply']],
    ['seresnext50_32x4d', { dropPathRate: 0.1 }, ['GroupedConv2D', 'Multiply', 'DropPath']],
    ['resnet18d', { dropPathRate: 0.2, outputStride: 16, includeTop: false, pooling: 'avg' }, ['DropPath', 'AveragePooling2D']],
  ];
  for (const [name, options, classes] of cases) {
    it(`${name} ${JSON.stringify(options)}`, async () => {
      const before = tf.memory().numTensors;
      const model = small(name, options);
      const present = new Set(model.layers.map((l) => l.getClassName()));
      for (const c of classes) expect(present.has(c), c).toBe(true);
      await roundTrip(model);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
