import * as tf from '@tensorflow/tfjs';

/**
 * How one weight is laid out in PyTorch versus tfjs, and how to convert it both
 * ways. The built-in layouts are named by {@link WeightLayoutName}; a custom
 * layer type can bring its own object.
 *
 * Conversions are called inside `tf.tidy`, so they may create temporaries freely.
 *
 * @example
 * ```ts
 * // A kernel stored transposed in PyTorch, as a 2-D [out, in] matrix.
 * const transposed: WeightLayout = {
 *   torchShape: ([i, o]) => [o, i],
 *   toTfjs: (t) => tf.transpose(t),
 *   toTorch: (t) => tf.transpose(t),
 * };
 * registerWeightMapping('MyDense', { params: [{ tfjs: 'kernel', torch: 'weight', layout: transposed }] });
 * ```
 */
export interface WeightLayout {
  /** The PyTorch shape of a tfjs weight of shape `tfjsShape`. */
  torchShape(tfjsShape: readonly number[]): number[];
  /**
   * Whether a PyTorch tensor of `shape` can fill a weight whose PyTorch shape
   * is `expected`; an accepted tensor is reshaped to `expected` before
   * {@link WeightLayout.toTfjs}. By default only `expected` itself is accepted.
   */
  accepts?(shape: readonly number[], expected: readonly number[]): boolean;
  /** PyTorch layout (shape `torchShape(tfjsShape)`) → tfjs layout (shape `tfjsShape`). */
  toTfjs(t: tf.Tensor, tfjsShape: readonly number[]): tf.Tensor;
  /** tfjs layout → PyTorch layout. */
  toTorch(t: tf.Tensor): tf.Tensor;
}

/**
 * The built-in weight layouts:
 * - `'identity'`: same shape and order in both (biases, BatchNorm vectors);
 * - `'conv'`: convolution kernels, PyTorch `[out, in/groups, kh, kw]` ↔ tfjs `[kh, kw, in/groups, out]`;
 * - `'linear'`: dense kernels, PyTorch `[out, in]` ↔ tfjs `[in, out]`; loading
 *   also accepts a 1×1-conv-shaped `[out, in, 1, 1]` weight (timm's ResNetV2 `head.fc`);
 * - `'depthwise'`: depthwise kernels, PyTorch `[in·multiplier, 1, kh, kw]` ↔ tfjs `[kh, kw, in, multiplier]`.
 *
 * @example
 * ```ts
 * const layout: WeightLayoutName = 'conv';
 * ```
 */
export type WeightLayoutName = 'identity' | 'conv' | 'linear' | 'depthwise';

/** Whether two shapes are equal. @internal */
export const sameShape = (a: ReadonlyArray<number | null>, b: ReadonlyArray<number | null>): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The built-in layouts, by name (see {@link WeightLayoutName}); a custom
 * {@link WeightLayout} can reuse them.
 *
 * @example
 * ```ts
 * const t = WEIGHT_LAYOUTS.conv.toTfjs(tf.zeros([64, 3, 7, 7]), [7, 7, 3, 64]); // shape [7, 7, 3, 64]
 * WEIGHT_LAYOUTS.linear.torchShape([2048, 1000]); // [1000, 2048]
 * ```
 */
export const WEIGHT_LAYOUTS: Readonly<Record<WeightLayoutName, WeightLayout>> = Object.freeze({
  identity: {
    torchShape: (s) => [...s],
    toTfjs: (t) => t,
    toTorch: (t) => t,
  },
  conv: {
    torchShape: ([kh, kw, i, o]) => [o, i, kh, kw],
    toTfjs: (t) => tf.transpose(t, [2, 3, 1, 0]),
    toTorch: (t) => tf.transpose(t, [3, 2, 0, 1]),
  },
  linear: {
    torchShape: ([i, o]) => [o, i],
    accepts: (shape, expected) => sameShape(shape, expected) || sameShape(shape, [...expected, 1, 1]),
    toTfjs: (t) => tf.transpose(t),
    toTorch: (t) => tf.transpose(t),
  },
  depthwise: {
    torchShape: ([kh, kw, c, m]) => [c * m, 1, kh, kw],
    toTfjs: (t, [kh, kw, c, m]) => tf.transpose(tf.reshape(t, [c, m, kh, kw]), [2, 3, 0, 1]),
    toTorch: (t) => {
      const [kh, kw, c, m] = t.shape;
      return tf.reshape(tf.transpose(t, [2, 3, 0, 1]), [c * m, 1, kh, kw]);
    },
  },
} satisfies Record<WeightLayoutName, WeightLayout>);

/** Whether a PyTorch tensor of `shape` fits a weight of PyTorch shape `expected` in `layout`. @internal */
export function layoutAccepts(layout: WeightLayout, shape: readonly number[], expected: readonly number[]): boolean {
  return layout.accepts ? layout.accepts(shape, expected) : sameShape(shape, expected);
}
