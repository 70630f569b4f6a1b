import * as tf from '@tensorflow/tfjs';
import { convBn, type UnitContext } from '../blocks/conv-bn.js';

/**
 * The ResNet stem: 7×7 stride-2 convolution (PyTorch padding 3), BN, ReLU,
 * then 3×3 stride-2 max pooling (padding 1). Zero padding before the pool is
 * exact because its input is non-negative after the ReLU (Keras does the same).
 * Returns the stem activation (reduction 2) and the pooled map (reduction 4).
 * @internal
 */
export function stem(
  x: tf.SymbolicTensor,
  width: number,
  ctx: UnitContext,
): { act: tf.SymbolicTensor; pooled: tf.SymbolicTensor } {
  const names = ctx.spec.stem;
  const padded = ctx.cache
    .get(names.convPad, () => tf.layers.zeroPadding2d({ padding: 3, name: names.convPad }))
    .apply(x) as tf.SymbolicTensor;
  const act = convBn(padded, { filters: width, kernelSize: 7, stride: 2, padding: 'valid', conv: names.conv, bn: names.bn, act: names.act }, ctx);
  const poolPadded = ctx.cache
    .get(names.poolPad, () => tf.layers.zeroPadding2d({ padding: 1, name: names.poolPad }))
    .apply(act) as tf.SymbolicTensor;
  const pooled = ctx.cache
    .get(names.pool, () => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: names.pool }))
    .apply(poolPadded) as tf.SymbolicTensor;
  return { act, pooled };
}
