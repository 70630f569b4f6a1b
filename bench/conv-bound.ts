// How far can optimizeForInference go on tfjs-wasm at batch 1?
// `npx tsx bench/conv-bound.ts` measures, in one run:
//  1. where ResNet-50's time goes, as built and optimized (tf.profile), and the
//     speed-up bound that follows when the convolutions are left as they are;
//  2. the one known way to do fewer convolution multiplies exactly enough,
//     Winograd F(2×2, 3×3), built from tfjs ops, against the direct
//     convolution at ResNet-50's 3×3 stride-1 shapes: the whole algorithm, and
//     its 16 matrix products alone (the bound with free transforms).
// Prints markdown tables. Ratios are from one run, interleaved.
import * as tf from '@tensorflow/tfjs';
import { useBestBackend } from '../src/backend/index.js';
import { createModel, optimizeForInference } from '../src/index.js';
import { interleavedMedians, median } from './common.js';

const backend = await useBestBackend();

/** Median ms of each function (its outputs read back and freed), interleaved, after 2 warm-up rounds. */
function interleaved<K extends string>(fns: Record<K, () => tf.Tensor | tf.Tensor[]>, rounds: number): Promise<Record<K, number>> {
  return interleavedMedians(
    Object.keys(fns) as K[],
    rounds,
    (k) => {
      const out = fns[k]();
      const outs = Array.isArray(out) ? out : [out];
      for (const o of outs) o.dataSync();
      tf.dispose(outs);
    },
    2,
  );
}

// ---- 1. ResNet-50: kernel time by kind -------------------------------------
const built = createModel('resnet50', { classifierActivation: 'linear' });
const fast = optimizeForInference(built);
const x = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 1);
const wall = await interleaved({ built: () => built.predict(x) as tf.Tensor, fast: () => fast.predict(x) as tf.Tensor }, 15);
/** Kernel milliseconds by kind: medians over 5 profiled runs. */
const kernels = async (m: tf.LayersModel): Promise<{ conv: number; bn: number; other: number }> => {
  const runs: Array<{ conv: number; bn: number; other: number }> = [];
  for (let r = 0; r < 5; r++) {
    const p = await tf.profile(() => tf.dispose(m.predict(x) as tf.Tensor));
    const sum = { conv: 0, bn: 0, other: 0 };
    for (const k of p.kernels) {
      if (k.name.endsWith('__op')) continue; // the op wrappers repeat their kernel's time
      const ms = Number(k.kernelTimeMs);
      if (k.name === 'FusedConv2D' || k.name === 'Conv2D') sum.conv += ms;
      else if (k.name === 'FusedBatchNorm') sum.bn += ms;
      else sum.other += ms;
    }
    runs.push(sum);
  }
  return { conv: median(runs.map((r) => r.conv)), bn: median(runs.map((r) => r.bn)), other: median(runs.map((r) => r.other)) };
};
const kb = await kernels(built);
const kf = await kernels(fast);

const total = (k: { conv: number; bn: number; other: number }): number => k.conv + k.bn + k.other;
console.log(`# Convolution bound, ResNet-50, batch 1, ${backend}\n`);
console.log('| model | wall ms | kernels ms | conv kernels ms | BatchNorm kernels ms | other kernels ms |');
console.log('|---|---|---|---|---|---|');
for (const [label, ms, k] of [
  ['as built', wall.built, kb],
  ['optimized', wall.fast, kf],
] as const) {
  console.log(`| ${label} | ${ms.toFixed(1)} | ${total(k).toFixed(1)} | ${k.conv.toFixed(1)} | ${k.bn.toFixed(1)} | ${k.other.toFixed(1)} |`);
}
console.log(
  `\nSpeed-up, wall clock: ${(wall.built / wall.fast).toFixed(2)}×; kernel time alone (no per-op JS cost on either side):` +
    ` ${(total(kb) / total(kf)).toFixed(2)}×. The convolution kernels, the same in both models, are` +
    ` ${((100 * kf.conv) / total(kf)).toFixed(0)} % of the optimized model's kernel time.\n`,
);
tf.dispose([x]);
built.dispose();
fast.dispose();

// ---- 2. Winograd F(2×2, 3×3) against the direct convolution ----------------
const BT = [
  [1, 0, -1, 0],
  [0, 1, 1, 0],
  [0, -1, 1, 0],
  [0, 1, 0, -1],
];
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];

/** The 16 transformed kernels G·g·Gᵀ, each a 1×1 convolution kernel [1, 1, C, K]. */
function winogradKernels(w: tf.Tensor4D): tf.Tensor4D[] {
  const [, , c, k] = w.shape;
  const g = w.dataSync();
  return Array.from({ length: 16 }, (_, ab) => {
    const [a, b] = [ab >> 2, ab & 3];
    const u = new Float32Array(c * k);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const coef = G[a][i] * G[b][j];
        if (coef !== 0) for (let t = 0; t < c * k; t++) u[t] += coef * g[(i * 3 + j) * c * k + t];
      }
    return tf.tensor4d(u, [1, 1, c, k]);
  });
}

/** Depthwise 4×4 filter computing the 16 input transforms Bᵀ·d·B per channel (multiplier 16). */
function inputTransformFilter(c: number): tf.Tensor4D {
  const f = new Float32Array(16 * c * 16);
  for (let u = 0; u < 4; u++)
    for (let v = 0; v < 4; v++)
      for (let ch = 0; ch < c; ch++)
        for (let ab = 0; ab < 16; ab++) {
          f[((u * 4 + v) * c + ch) * 16 + ab] = BT[ab >> 2][u] * BT[ab & 3][v];
        }
  return tf.tensor4d(f, [4, 4, c, 16]);
}

/** relu(conv3×3 'same'(x) + bias) by Winograd F(2×2, 3×3). */
function winograd(x: tf.Tensor4D, U: tf.Tensor4D[], filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const k = U[0].shape[3];
    const [th, tw] = [Math.ceil(h / 2), Math.ceil(w / 2)];
    const tiles = n * th * tw;
    const v = tf.depthwiseConv2d(x, filter, 2, [
      [0, 0],
      [1, 2 * th + 1 - h],
      [1, 2 * tw + 1 - w],
      [0, 0],
    ]);
    const byAb = tf.transpose(tf.reshape(v, [tiles, c, 16]), [2, 0, 1]);
    // The 16 products as 1×1 convolutions (XNNPACK GEMMs with packed, cached weights).
    const m = U.map((u, ab) => tf.conv2d(tf.reshape(tf.slice(byAb, [ab, 0, 0], [1, tiles, c]), [n, th, tw, c]) as tf.Tensor4D, u, 1, 'valid'));
    // Aᵀ·m·A with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]], rows then columns.
    const rows = [0, 1, 2, 3].map((b) => [tf.addN([m[b], m[4 + b], m[8 + b]]), tf.sub(m[4 + b], tf.add(m[8 + b], m[12 + b]))]);
    const y = [0, 1].map((r) => tf.stack([tf.addN([rows[0][r], rows[1][r], rows[2][r]]), tf.sub(rows[1][r], tf.add(rows[2][r], rows[3][r]))], 3));
    const full = tf.reshape(tf.stack(y, 2), [n, 2 * th, 2 * tw, k]);
    return tf.relu(tf.add(tf.slice(full, [0, 0, 0, 0], [n, h, w, k]), bias)) as tf.Tensor4D;
  });
}

console.log(`# Winograd F(2×2, 3×3) vs direct 3×3 convolution (${backend}, batch 1, ms)\n`);
console.log('| input | direct (fused conv2d) | Winograd | its 16 matrix products alone | max rel. error |');
console.log('|---|---|---|---|---|');
for (const [size, c] of [
  [56, 64],
  [28, 128],
  [14, 256],
  [7, 512],
] as const) {
  const xs = tf.randomNormal([1, size, size, c], 0, 1, 'float32', 2) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, c, c], 0, 0.05, 'float32', 3) as tf.Tensor4D;
  const bias = tf.randomNormal([c], 0, 1, 'float32', 4) as tf.Tensor1D;
  const U = winogradKernels(w);
  const filter = inputTransformFilter(c);
  const [th, tw] = [Math.ceil(size / 2), Math.ceil(size / 2)];
  const parts = Array.from({ length: 16 }, (_, i) => tf.randomNormal([1, th, tw, c], 0, 1, 'float32', 10 + i) as tf.Tensor4D);
  const direct = () => tf.fused.conv2d({ x: xs, filter: w, strides: 1, pad: 'same', bias, activation: 'relu' });
  const err = tf.tidy(() => {
    const ref = direct();
    return tf.max(tf.abs(tf.sub(winograd(xs, U, filter, bias), ref))).dataSync()[0] / tf.max(tf.abs(ref)).dataSync()[0];
  });
  const t = await interleaved({ direct, winograd: () => winograd(xs, U, filter, bias), gemms: () => parts.map((p, i) => tf.conv2d(p, U[i], 1, 'valid')) }, 15);
  console.log(`| 1×${size}×${size}×${c} | ${t.direct.toFixed(2)} | ${t.winograd.toFixed(2)} | ${t.gemms.toFixed(2)} | ${err.toExponential(1)} |`);
  tf.dispose([xs, w, bias, filter, ...U, ...parts]);
}
