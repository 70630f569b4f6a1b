import type { Pads2d } from './builder.js';

/**
 * TensorFlow's `'same'` padding `[before, after]` of one spatial axis (extra
 * padding at the end), or `null` when it depends on an unknown input size.
 * @internal
 */
export function samePadding1d(size: number | null, kernel: number, stride: number, dilation: number): [number, number] | null {
  const k = (kernel - 1) * dilation + 1;
  let total: number;
  if (stride === 1) total = k - 1;
  else if (size === null) return null;
  else total = Math.max((Math.ceil(size / stride) - 1) * stride + k - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * The explicit `[top, left, bottom, right]` pads of a convolution or
 * pooling with `'same'` or `'valid'` padding on an NHWC input shape, or
 * `null` when `'same'` needs an unknown size.
 * @internal
 */
export function spatialPads(
  padding: 'same' | 'valid',
  shape: readonly (number | null)[],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilation: readonly [number, number] = [1, 1],
): Pads2d | null {
  if (padding === 'valid') return [0, 0, 0, 0];
  const h = samePadding1d(shape[1] ?? null, kernel[0], strides[0], dilation[0]);
  const w = samePadding1d(shape[2] ?? null, kernel[1], strides[1], dilation[1]);
  if (h === null || w === null) return null;
  return [h[0], w[0], h[1], w[1]];
}

/** Element-wise sum of two pads. @internal */
export function addPads(a: Pads2d, b: Pads2d): Pads2d {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}
