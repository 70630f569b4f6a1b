// Bit-exact comparison of model weights and byte buffers, fast enough for
// ResNet-sized models (a deep toEqual over millions of elements is not).
import type * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Byte-for-byte equality of two views. */
export const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Every weight of a model as a float32 copy, by variable name (in model order). */
export function weightValues(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync())]));
}

/** Asserts that two models have the same weight names and bit-identical values. */
export function expectSameWeights(a: tf.LayersModel, b: tf.LayersModel): void {
  const wa = weightValues(a);
  const wb = weightValues(b);
  expect([...wb.keys()]).toEqual([...wa.keys()]);
  const differing = [...wa].filter(([name, values]) => !sameBytes(values, wb.get(name)!)).map(([name]) => name);
  expect(differing).toEqual([]);
}
