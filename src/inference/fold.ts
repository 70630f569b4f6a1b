import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { ChannelAffine } from './layer-config.js';
import { layerLabel } from './layer-config.js';

/**
 * A convolution's kernel `[kh, kw, in/groups, out]` (tfjs layout) and bias of
 * `out` values, as new tensors the caller owns.
 * @internal
 */
export interface ConvTensors {
  readonly kernel: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

/**
 * A convolution layer's kernel and bias variables, found by rank (4: kernel,
 * 1: bias) so that any Conv2D-like layer works whatever its weight order.
 */
function convVariables(layer: tf.layers.Layer): { kernel: tf.Tensor4D; bias?: tf.Tensor1D } {
  const weights = layer.getWeights();
  const kernel = weights.find((w) => w.rank === 4);
  const bias = weights.find((w) => w.rank === 1);
  if (kernel === undefined || weights.length > 2) {
    throw new ConfigError(
      `${layerLabel(layer)}: expected a rank-4 kernel and an optional bias, got weights of shapes ${JSON.stringify(weights.map((w) => w.shape))}`,
    );
  }
  return { kernel: kernel as tf.Tensor4D, bias: bias as tf.Tensor1D | undefined };
}

/**
 * A convolution's weights with per-channel affine maps folded in: `before`
 * acts on its input channels (a BatchNormalization before an ungrouped,
 * padding-free convolution: kernel·scale[in], bias + Σ kernel·shift[in]),
 * `after` on its output channels (a BatchNormalization after it: kernel·scale,
 * bias·scale + shift). Computed on the active backend; the affine maps are
 * rounded to float32 once, from double precision.
 * @internal
 */
export function foldConvWeights(layer: tf.layers.Layer, before?: ChannelAffine, after?: ChannelAffine): ConvTensors {
  const v = convVariables(layer);
  const cout = v.kernel.shape[3];
  return tf.tidy(() => {
    let kernel: tf.Tensor4D = tf.clone(v.kernel);
    let bias: tf.Tensor1D = v.bias === undefined ? tf.zeros([cout]) : tf.clone(v.bias);
    if (before !== undefined) {
      const cin = kernel.shape[2];
      const shift = tf.tensor4d(Float32Array.from(before.shift), [1, 1, cin, 1]);
      bias = tf.add(bias, tf.sum(tf.mul(kernel, shift), [0, 1, 2]));
      kernel = tf.mul(kernel, tf.tensor4d(Float32Array.from(before.scale), [1, 1, cin, 1]));
    }
    if (after !== undefined) {
      const scale = tf.tensor1d(Float32Array.from(after.scale));
      kernel = tf.mul(kernel, scale);
      bias = tf.add(tf.mul(bias, scale), tf.tensor1d(Float32Array.from(after.shift)));
    }
    return { kernel, bias };
  });
}
