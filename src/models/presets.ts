import type * as tf from '@tensorflow/tfjs';
import { resnet } from './resnet.js';
import type { ResNetOptions } from './options.js';

/**
 * ResNet-18 (basic blocks, [2, 2, 2, 2]); 11,689,512 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet18({ classifierActivation: 'linear' });
 * ```
 */
export function resnet18(options?: ResNetOptions): tf.LayersModel {
  return resnet(18, options);
}

/**
 * ResNet-34 (basic blocks, [3, 4, 6, 3]); 21,797,672 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const backbone = resnet34({ includeTop: false, pooling: 'avg' });
 * ```
 */
export function resnet34(options?: ResNetOptions): tf.LayersModel {
  return resnet(34, options);
}

/**
 * ResNet-50 (bottleneck blocks, [3, 4, 6, 3]); 25,557,032 trainable parameters
 * as torchvision's, `countParams()` 25,636,712 in Keras style as Keras's.
 *
 * @example
 * ```ts
 * import { resnet50 } from 'tfjs-resnet';
 * const model = resnet50();
 * const probs = model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
 * ```
 */
export function resnet50(options?: ResNetOptions): tf.LayersModel {
  return resnet(50, options);
}

/**
 * ResNet-101 (bottleneck blocks, [3, 4, 23, 3]); 44,549,160 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet101({ style: 'keras' });
 * ```
 */
export function resnet101(options?: ResNetOptions): tf.LayersModel {
  return resnet(101, options);
}

/**
 * ResNet-152 (bottleneck blocks, [3, 8, 36, 3]); 60,192,808 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet152({ init: 'zeros' }); // fast build, weights to be loaded
 * ```
 */
export function resnet152(options?: ResNetOptions): tf.LayersModel {
  return resnet(152, options);
}
