// Reliability: no tensor leaks across the whole life cycle (build, predict,
// optimize, export, load, save/load, dispose), and concurrent predictions and
// loads give the same results as sequential ones.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createModel, exportOnnx, exportPyTorchWeights, loadPyTorchWeights, optimizeForInference, resnet } from '../src/index.js';
import { saveAndLoad } from './helpers/round-trip.js';

const input = (seed: number, n = 2): tf.Tensor => tf.randomUniform([n, 32, 32, 3], -1, 1, 'float32', seed);

/** Random, non-trivial weights (BN statistics included) so a mix-up would show. */
function randomizeWeights(model: tf.LayersModel, seed: number): void {
  model.weights.forEach((w, i) => {
    const name = w.originalName ?? w.name;
    const t = /moving_variance|gamma/.test(name)
      ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed + i)
      : tf.randomUniform(w.shape as number[], -0.2, 0.2, 'float32', seed + i);
    w.write(t);
    t.dispose();
  });
}

describe('no tensor leaks', () => {
  it('build → predict → optimize → export (PyTorch, ONNX) → load → save/load → dispose, in a loop', async () => {
    const baseline = tf.memory().numTensors;
    for (const name of ['resnet18', 'resnet20', 'seresnet18', 'resnext50_32x4d'] as const) {
      for (let round = 0; round < 2; round++) {
        const model = createModel(name, { inputShape: [32, 32, 3], classes: 7, classifierActivation: 'linear' });
        const x = input(round);
        const y = model.predict(x) as tf.Tensor;
        await y.data();
        const optimized = optimizeForInference(model);
        (optimized.predict(x) as tf.Tensor).dispose();
        const bytes = await exportPyTorchWeights(model);
        const onnx = exportOnnx(optimized);
        expect(onnx.byteLength).toBeGreaterThan(0);
        const twin = createModel(name, { inputShape: [32, 32, 3], classes: 7, classifierActivation: 'linear', init: 'zeros' });
        await loadPyTorchWeights(twin, bytes);
        const reloaded = await saveAndLoad(twin);
        const z = reloaded.predict(x) as tf.Tensor;
        expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, z))).dataSync()[0])).toBe(0);
        tf.dispose([x, y, z]);
        for (const m of [model, optimized, twin, reloaded]) m.dispose();
      }
      expect(tf.memory().numTensors, `after ${name}`).toBe(baseline);
    }
  });

  it('failed loads and failed builds leave no tensors behind', async () => {
    const model = resnet(18, { inputShape: [32, 32, 3], init: 'zeros' });
    const baseline = tf.memory().numTensors;
    await expect(loadPyTorchWeights(model, new Uint8Array([1, 2, 3]))).rejects.toThrow();
    const wrong = tf.zeros([1]);
    await expect(loadPyTorchWeights(model, { 'conv1.weight': wrong })).rejects.toThrow();
    wrong.dispose();
    // Validation runs before any variable is created.
    expect(() => resnet({ block: 'basic', layers: [1, 0] })).toThrow();
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });
});

describe('concurrency', () => {
  it('concurrent predictions on one model equal sequential ones', async () => {
    const model = resnet(18, { inputShape: [32, 32, 3], classes: 5, classifierActivation: 'linear' });
    randomizeWeights(model, 11);
    const xs = [1, 2, 3, 4].map((s) => input(s));
    const sequential: Float32Array[] = [];
    for (const x of xs) {
      const y = model.predict(x) as tf.Tensor;
      sequential.push((await y.data()) as Float32Array);
      y.dispose();
    }
    const concurrent = await Promise.all(
      xs.map(async (x) => {
        await Promise.resolve();
        const y = model.predict(x) as tf.Tensor;
        const d = (await y.data()) as Float32Array;
        y.dispose();
        return d;
      }),
    );
    concurrent.forEach((d, i) => expect(Array.from(d)).toEqual(Array.from(sequential[i])));
    tf.dispose(xs);
    model.dispose();
  });

  it('concurrent loads into different models equal sequential loads', async () => {
    const make = (): tf.LayersModel => resnet(18, { inputShape: [32, 32, 3], classes: 5, classifierActivation: 'linear', init: 'zeros' });
    const sources = [21, 22, 23].map((seed) => {
      const m = make();
      randomizeWeights(m, seed);
      return m;
    });
    const files = await Promise.all(sources.map((m) => exportPyTorchWeights(m)));
    const x = input(5);
    const logits = (m: tf.LayersModel): number[] => tf.tidy(() => Array.from((m.predict(x) as tf.Tensor).dataSync()));
    const expected = sources.map(logits);
    const targets = files.map(() => make());
    await Promise.all(targets.map((m, i) => loadPyTorchWeights(m, files[i])));
    targets.forEach((m, i) => expect(logits(m)).toEqual(expected[i]));
    for (const m of [...sources, ...targets]) m.dispose();
    x.dispose();
  });
});
