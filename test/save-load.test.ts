// model.save → tf.loadLayersModel round trip: same layer names, same weights,
// identical outputs. Everything a built model contains is a serializable tfjs
// layer (or a custom layer registered at import), so a plain tfjs app can load it.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resnet, type ResNetDepth, type ResNetOptions } from '../src/index.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';
import { saveToMemory } from './helpers/round-trip.js';

/** Saves `model` to memory and loads it back. */
async function roundTrip(model: tf.LayersModel): Promise<{ loaded: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  const artifacts = await saveToMemory(model);
  // Through JSON, as a file or an HTTP response would carry the topology.
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as object;
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: artifacts.weightSpecs, weightData: artifacts.weightData }));
  return { loaded, artifacts };
}

expectNoTensorLeaks();

/** Gives every BatchNorm non-trivial running statistics, so that they must travel too. */
function randomizeBnStats(model: tf.LayersModel): void {
  tf.tidy(() => {
    model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization')
      .forEach((l, i) => {
        const [gamma, beta] = l.getWeights();
        const c = gamma.shape[0];
        l.setWeights([gamma, beta, tf.randomUniform([c], -0.2, 0.2, 'float32', i), tf.randomUniform([c], 0.5, 1.5, 'float32', i + 1)]);
      });
  });
}

describe('save → load round trip', () => {
  it.each<[ResNetDepth, ResNetOptions, [number, number]]>([
    [18, { inputShape: [64, 64, 3] }, [64, 64]],
    [50, { style: 'keras', inputShape: [64, 64, 3] }, [64, 64]],
    [18, { inputShape: [null, null, 3], includeTop: false, pooling: 'max' }, [40, 56]],
  ])('resnet%i %j', async (depth, options, [h, w]) => {
    const model = resnet(depth, options);
    randomizeBnStats(model);
    const { loaded, artifacts } = await roundTrip(model);
    try {
      expect(loaded.name).toBe(model.name);
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      expect(loaded.countParams()).toBe(model.countParams());
      expect(loaded.outputs[0].shape).toEqual(model.outputs[0].shape);
      // Weights are saved under `<layer name>/<weight>`, whatever tfjs's
      // process-wide variable naming did to the live variables' names.
      const specNames = artifacts.weightSpecs?.map((s) => s.name) ?? [];
      expect(new Set(specNames).size).toBe(model.weights.length);
      expect(specNames.every((n) => model.getLayer(n.slice(0, n.lastIndexOf('/'))) !== undefined)).toBe(true);
      expect(loaded.weights.map((v) => v.originalName)).toEqual(model.weights.map((v) => v.originalName));
      tf.tidy(() => {
        const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 5);
        const a = model.predict(x) as tf.Tensor;
        const b = loaded.predict(x) as tf.Tensor;
        expect(b.shape).toEqual(a.shape);
        expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
        expect(tf.max(tf.abs(a)).dataSync()[0]).toBeGreaterThan(0);
      });
    } finally {
      model.dispose();
      loaded.dispose();
    }
  });
});
