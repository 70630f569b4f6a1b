// The wasm training kernels (src/backend/wasm-training-kernels.ts) give the
// cpu backend's results: convolution gradients for every stride, padding and
// kernel size ResNets use, and Tile.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../src/backend/index.js';
import '../src/layers/index.js'; // registers the StridedSlice gradient

type Case = { x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' | number };
const CASES: Case[] = [
  { x: [2, 9, 11, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [2, 10, 10, 3], f: [3, 3, 3, 4], stride: 2, pad: 'valid' },
  { x: [2, 8, 8, 2], f: [3, 3, 2, 2], stride: 1, pad: 1 },
  { x: [1, 16, 16, 8], f: [1, 1, 8, 16], stride: 1, pad: 'valid' },
  { x: [1, 15, 15, 8], f: [1, 1, 8, 16], stride: 2, pad: 'valid' },
  { x: [2, 15, 15, 3], f: [7, 7, 3, 5], stride: 2, pad: 'valid' },
];

/** Gradients of sum(conv(x, f) · r) with respect to x and f, as arrays, on the current backend. */
function convGrads(c: Case, values: { x: number[]; f: number[] }): { dx: Float32Array; df: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values.x, c.x as [number, number, number, number]);
    const f = tf.tensor4d(values.f, c.f as [number, number, number, number]);
    const loss = (a: tf.Tensor4D, b: tf.Tensor4D) => {
      const y = tf.conv2d(a, b, c.stride, c.pad);
      return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
    };
    const [dx, df] = tf.grads((a, b) => loss(a as tf.Tensor4D, b as tf.Tensor4D))([x, f]);
    return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('wasm training kernels', () => {
  it('are registered (idempotently) on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it.each(CASES)('conv gradients equal the cpu backend: x $x, filter $f, stride $stride, pad $pad', async (c) => {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const values = {
      x: Array.from({ length: size(c.x) }, (_, i) => Math.sin(i * 0.7)),
      f: Array.from({ length: size(c.f) }, (_, i) => Math.cos(i * 1.3)),
    };
    await tf.setBackend('wasm');
    const wasm = convGrads(c, values);
    await tf.setBackend('cpu');
    const cpu = convGrads(c, values);
    await tf.setBackend('wasm');
    expect(wasm.dx.length).toBe(cpu.dx.length);
    expect(maxDiff(wasm.dx, cpu.dx)).toBeLessThan(1e-3);
    expect(maxDiff(wasm.df, cpu.df)).toBeLessThan(1e-3);
  });

  it('Tile equals the cpu backend, broadcast or not, float and int', async () => {
    const run = () =>
      tf.tidy(() => [
        tf.tile(tf.tensor4d([1, 2, 3], [1, 1, 1, 3]), [2, 4, 5, 1]).dataSync(),
        tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2]), [2, 3]).dataSync(),
        tf.tile(tf.tensor2d([1, 2], [1, 2], 'int32'), [3, 1]).dataSync(),
      ]);
    const wasm = run();
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    wasm.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(cpu[i])));
  });
});

// (tfjs 4.22's own forward stridedSlice is wrong with shrinkAxisMask/newAxisMask on cpu and wasm, so those are not compared.)
describe('StridedSlice gradient (missing from tfjs-core)', () => {
  type Args = [number[], number[], number[], number?, number?, number?, number?, number?];
  it.each<[string, number[], Args]>([
    ['every 2nd row and column (option-A shortcut)', [2, 5, 6, 3], [[0, 0, 0, 0], [0, 0, 0, 0], [1, 2, 2, 1], 0b1111, 0b1111]],
    [
      'ranges with strides',
      [4, 7, 5],
      [
        [1, 2, 0],
        [4, 7, 5],
        [2, 3, 2],
      ],
    ],
    ['negative strides', [6, 5], [[5, 4], [0, -6], [-2, -1], 0, 0b10]],
    ['an ellipsis', [2, 3, 4, 5], [[0, 1], [0, 5], [1, 2], 0, 0, 0b01]],
  ])('%s', (_, shape, args) => {
    const [begin, end, strides, beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkAxisMask = 0] = args;
    const slice = (t: tf.Tensor) => tf.stridedSlice(t, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
    const size = shape.reduce((a, b) => a * b, 1);
    // Which elements the slice reads: slice the flat indices.
    const read = tf.tidy(() => Array.from(slice(tf.range(0, size).reshape(shape)).dataSync()));
    const weights = read.map((_, k) => Math.cos(k));
    const expected = new Array<number>(size).fill(0);
    read.forEach((index, k) => (expected[index] += weights[k]));
    const grad = tf.tidy(() => {
      const x = tf.randomUniform(shape, -1, 1, 'float32', 3);
      const w = tf.tensor(weights, slice(x).shape);
      return Array.from(
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(slice(t), w)))(x)
          .dataSync(),
      );
    });
    expect(grad.length).toBe(size);
    expect(maxDiff(grad, expected)).toBeLessThan(1e-6);
  });
});
