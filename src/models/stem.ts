import type * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, convBn, relu, stemMaxPool, type UnitContext } from '../blocks/conv-bn.js';

/**
 * The stem of a residual network:
 * - `'default'`: one 7×7 stride-2 convolution (torchvision, Keras);
 * - `'deep'`: three 3×3 convolutions of widths `w/2, w/2, w` (the first
 *   strided), BN and ReLU between them — ResNet-C/D, timm's `stem_type='deep'`;
 * - `'deep_tiered'`: the same with widths `3·⌊w/8⌋, w/2, w` — timm's
 *   `'deep_tiered'` (24, 32, 64 for ResNet-10-T/26-T/50-T).
 *
 * Here `w` is the stem's output width (`stemWidth`, 64 by default), twice
 * timm's `stem_width` argument for deep stems.
 *
 * @example
 * ```ts
 * const config: ResNetConfig = { block: 'bottleneck', layers: [3, 4, 6, 3], stemType: 'deep', blockArgs: { shortcut: 'avgPool' } }; // ResNet-50-D
 * ```
 */
export type StemType = 'default' | 'deep' | 'deep_tiered';

/**
 * Every {@link StemType}.
 *
 * @example
 * ```ts
 * STEM_TYPES; // ['default', 'deep', 'deep_tiered']
 * ```
 */
export const STEM_TYPES: readonly StemType[] = ['default', 'deep', 'deep_tiered'];

/** The widths of a deep stem's three convolutions for output width `width`. @internal */
export function deepStemWidths(type: 'deep' | 'deep_tiered', width: number): [number, number, number] {
  const half = width >> 1;
  return type === 'deep_tiered' ? [3 * (half >> 2), half, width] : [half, half, width];
}

/**
 * The ResNet stem: the convolution(s) of its {@link StemType}, BN, ReLU
 * (`act1`, reduction 2), then 3×3 stride-2 max pooling with padding 1
 * (`maxpool`, reduction 4). Zero padding before the pool is exact because its
 * input is non-negative after the ReLU (Keras does the same).
 * @internal
 */
export function stem(
  x: tf.SymbolicTensor,
  a: { width: number; type: StemType },
  ctx: UnitContext,
): { act: tf.SymbolicTensor; pooled: tf.SymbolicTensor } {
  const { spec } = ctx;
  const names = spec.stem;
  let y: tf.SymbolicTensor;
  if (a.type === 'default') {
    y = conv(x, { filters: a.width, kernelSize: 7, stride: 2, padding: 'explicit', conv: names.conv }, ctx);
  } else {
    // timm: conv1 = Sequential(conv s2, bn, relu, conv, bn, relu, conv), then bn1, act1.
    const [w0, w1, w2] = deepStemWidths(a.type, a.width);
    const m = spec.deepStem;
    y = convBn(x, { filters: w0, kernelSize: 3, stride: 2, conv: m(0), bn: m(1), act: m(2) }, ctx);
    y = convBn(y, { filters: w1, kernelSize: 3, conv: m(3), bn: m(4), act: m(5) }, ctx);
    y = conv(y, { filters: w2, kernelSize: 3, conv: m(6) }, ctx);
  }
  const act = relu(batchNorm(y, names.bn, ctx), names.act, ctx);
  return { act, pooled: stemMaxPool(act, names.poolPad, names.pool, ctx) };
}
