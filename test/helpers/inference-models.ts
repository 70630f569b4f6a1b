// Shared by test/inference*.test.ts and test/onnx*.test.ts: models with
// non-trivial weights and BatchNorm statistics, and the tolerance check.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { optimizeForInference } from '../../src/inference/index.js';
import { createOnnxSession, exportOnnx } from '../../src/onnx/index.js';

let seed = 1;

function bnValues(layer: tf.layers.Layer, weights: tf.Tensor[]): Array<tf.Tensor | null> {
  const c = layer.getConfig() as { scale?: boolean; center?: boolean };
  const names = [...(c.scale !== false ? ['gamma'] : []), ...(c.center !== false ? ['beta'] : []), 'mean', 'var'];
  const ranges: Record<string, [number, number]> = { gamma: [0.5, 1.5], beta: [-0.2, 0.2], mean: [-0.2, 0.2], var: [0.5, 1.5] };
  return weights.map((w, i) => tf.randomUniform(w.shape, ...ranges[names[i]], 'float32', seed++));
}

/**
 * Gives a model non-trivial values: BatchNormalization γ ∈ [0.5, 1.5],
 * β, μ ∈ [−0.2, 0.2], var ∈ [0.5, 1.5]; other rank-1 weights (biases) in
 * [−0.1, 0.1]; with `kernels`, also every kernel (He-normal), for models
 * built with `init: 'zeros'`. Returns the model.
 */
export function randomizeWeights<M extends tf.LayersModel>(model: M, kernels = false): M {
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const values =
      layer.getClassName() === 'BatchNormalization'
        ? bnValues(layer, weights)
        : weights.map((w) => {
            if (w.rank === 1) return tf.randomUniform(w.shape, -0.1, 0.1, 'float32', seed++);
            if (!kernels) return null;
            const fanIn = w.shape.slice(0, -1).reduce((a, b) => a * b, 1);
            return tf.randomNormal(w.shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++);
          });
    layer.setWeights(weights.map((w, i) => values[i] ?? w));
    for (const v of values) v?.dispose();
  }
  return model;
}

/** A seeded random NHWC batch. */
export function randomInput(shape: number[], s = 7): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', s);
}

/** max|a − b| ≤ tol · max|ref|, with a readable failure. */
export function expectClose(actual: tf.Tensor, ref: tf.Tensor, tol: number, what = ''): void {
  expect(actual.shape, what).toEqual(ref.shape);
  const r = ref.dataSync();
  const a = actual.dataSync();
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < r.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(r[i]));
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - r[i]));
  }
  expect(maxRef, what).toBeGreaterThan(0);
  expect(maxDiff / maxRef, `${what}: max diff ${maxDiff} vs max|ref| ${maxRef}`).toBeLessThanOrEqual(tol);
}

/** The model's outputs on `x` as an array (predict in inference mode). */
export function predictAll(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  const y = model.predict(x);
  return Array.isArray(y) ? y : [y];
}

/** Names of a model's layers of one class. */
export const layersOfClass = (m: tf.LayersModel, cls: string): string[] => m.layers.filter((l) => l.getClassName() === cls).map((l) => l.name);

/**
 * Optimizes; checks names, outputs within 1e-5·max|ref|, peak tensor memory
 * not above the original's, and no leaked tensors. `sharedLayers`: layers
 * applied twice, which tfjs needs disposed once more.
 */
export async function checkOptimized(model: tf.LayersModel, x: tf.Tensor, check?: (fast: tf.LayersModel) => void, sharedLayers: string[] = []): Promise<void> {
  const before = tf.memory().numTensors;
  const fast = optimizeForInference(model);
  try {
    check?.(fast);
    expect(fast.outputNames).toEqual(model.outputNames);
    expect(fast.inputNames).toEqual(model.inputNames);
    const ref = predictAll(model, x);
    const out = predictAll(fast, x);
    ref.forEach((r, i) => expectClose(out[i], r, 1e-5, `${model.name} output ${model.outputNames[i]}`));
    tf.dispose([...ref, ...out]);
    const refPeak = (await tf.profile(() => tf.dispose(predictAll(model, x)))).peakBytes;
    const fastPeak = (await tf.profile(() => tf.dispose(predictAll(fast, x)))).peakBytes;
    expect(fastPeak, 'peak tensor bytes').toBeLessThanOrEqual(refPeak);
  } finally {
    for (const name of sharedLayers) fast.getLayer(name).dispose();
    fast.dispose();
    expect(tf.memory().numTensors, 'tensors after disposing the optimized model').toBe(before);
  }
}

/**
 * Exports (unless bytes are given), runs in onnxruntime-node on each batch
 * and compares with tfjs within 1e-4·max|ref|; no leaked tensors.
 */
export async function checkOnnx(model: tf.LayersModel, batches: tf.Tensor[], bytes = exportOnnx(model)): Promise<void> {
  const before = tf.memory().numTensors;
  const session = await createOnnxSession(bytes, { threads: 1 });
  try {
    expect(session.inputNames).toEqual(model.inputNames);
    expect(session.outputNames).toEqual(model.outputNames);
    for (const x of batches) {
      const ref = predictAll(model, x);
      const out = await session.run(x);
      ref.forEach((r, i) => expectClose(out[i], r, 1e-4, `${model.name} output ${model.outputNames[i]} on [${x.shape.join(', ')}]`));
      tf.dispose([...ref, ...out]);
    }
  } finally {
    await session.release();
  }
  expect(tf.memory().numTensors).toBe(before);
}
