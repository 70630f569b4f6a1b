import type * as tf from '@tensorflow/tfjs';
import { resnet } from './resnet.js';
import type { ResNetOptions } from './options.js';
import type { PretrainedOptions } from '../pretrained/options.js';
import { createPretrainedModel } from '../pretrained/load.js';

/**
 * torchvision's names of its weights enums, as the presets accept them
 * (`resnet50({ weights: 'IMAGENET1K_V2' })`, torchvision's
 * `resnet50(weights='IMAGENET1K_V2')`): `'DEFAULT'` is the best published.
 *
 * @example
 * ```ts
 * const weights: TorchvisionWeightsName = 'IMAGENET1K_V1';
 * ```
 */
export type TorchvisionWeightsName = 'DEFAULT' | 'IMAGENET1K_V1' | 'IMAGENET1K_V2';

/**
 * Options of a preset with torchvision's weights: the model options, the
 * enum name and how to fetch and cache the file ({@link PretrainedOptions}).
 *
 * @example
 * ```ts
 * const model = await resnet50({ weights: 'IMAGENET1K_V2', classifierActivation: 'linear' });
 * ```
 */
export interface PresetWeightsOptions extends ResNetOptions, PretrainedOptions {
  /** torchvision's weights, by enum name. */
  weights: TorchvisionWeightsName;
}

function preset(depth: 18 | 34 | 50 | 101 | 152, options: ResNetOptions | PresetWeightsOptions | undefined): tf.LayersModel | Promise<tf.LayersModel> {
  if (options !== undefined && options !== null && (options as Partial<PresetWeightsOptions>).weights !== undefined) {
    return createPretrainedModel(`resnet${depth}`, options, (model, modelOptions) => resnet(depth, { name: model, ...modelOptions }));
  }
  return resnet(depth, options);
}

/**
 * ResNet-18 (basic blocks, [2, 2, 2, 2]); 11,689,512 trainable parameters as torchvision's.
 * With `weights` (torchvision's enum name, as `resnet18(weights='IMAGENET1K_V1')`
 * there), every preset resolves to the model with those published weights
 * loaded (see {@link createModel}'s `pretrained`).
 *
 * @example
 * ```ts
 * const model = resnet18({ classifierActivation: 'linear' });
 * ```
 */
export function resnet18(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet18(options?: ResNetOptions): tf.LayersModel;
export function resnet18(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return preset(18, options);
}

/**
 * ResNet-34 (basic blocks, [3, 4, 6, 3]); 21,797,672 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const backbone = resnet34({ includeTop: false, pooling: 'avg' });
 * ```
 */
export function resnet34(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet34(options?: ResNetOptions): tf.LayersModel;
export function resnet34(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return preset(34, options);
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
 * const trained = await resnet50({ weights: 'IMAGENET1K_V2' }); // torchvision's weights, downloaded once and cached
 * ```
 */
export function resnet50(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet50(options?: ResNetOptions): tf.LayersModel;
export function resnet50(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return preset(50, options);
}

/**
 * ResNet-101 (bottleneck blocks, [3, 4, 23, 3]); 44,549,160 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet101({ style: 'keras' });
 * ```
 */
export function resnet101(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet101(options?: ResNetOptions): tf.LayersModel;
export function resnet101(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return preset(101, options);
}

/**
 * ResNet-152 (bottleneck blocks, [3, 8, 36, 3]); 60,192,808 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet152({ init: 'zeros' }); // fast build, weights to be loaded
 * ```
 */
export function resnet152(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet152(options?: ResNetOptions): tf.LayersModel;
export function resnet152(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return preset(152, options);
}
