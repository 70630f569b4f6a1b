import * as tf from '@tensorflow/tfjs';
import type { StyleSpec } from './style.js';

/** A tfjs-layers initializer. @internal */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/**
 * How weights are initialised when a model is built:
 * - `'default'`: as the reference does (torchvision: Kaiming-normal fan-out
 *   convolutions; Keras: Glorot-uniform), BN scale 1 and shift 0;
 * - `'zeros'`: cheap constant fill (zeros; BN scale and variance 1) for a
 *   model whose weights are about to be loaded — building ResNet-50 this way
 *   skips ~25M random draws.
 *
 * @example
 * ```ts
 * const model = resnet50({ init: 'zeros' }); // then loadPyTorchWeights(model, file)
 * ```
 */
export type WeightInit = 'default' | 'zeros';

/** The kernel initializer of a convolution in a style. @internal */
export function convKernelInit(spec: StyleSpec, init: WeightInit): Initializer {
  if (init === 'zeros') return tf.initializers.zeros();
  return spec.convInit === 'kaimingFanOut'
    ? tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal' })
    : tf.initializers.glorotUniform({});
}

/**
 * The initializer of a dense classifier: PyTorch's `nn.Linear` default
 * (uniform ±1/√fan_in, weight and bias) in torchvision style, Glorot/zeros in Keras.
 * @internal
 */
export function denseInits(spec: StyleSpec, init: WeightInit): { kernelInitializer: Initializer; biasInitializer: Initializer } {
  if (init === 'zeros') {
    return { kernelInitializer: tf.initializers.zeros(), biasInitializer: tf.initializers.zeros() };
  }
  if (spec.convInit === 'kaimingFanOut') {
    return {
      kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' }),
      biasInitializer: tf.initializers.zeros(),
    };
  }
  return { kernelInitializer: tf.initializers.glorotUniform({}), biasInitializer: tf.initializers.zeros() };
}
