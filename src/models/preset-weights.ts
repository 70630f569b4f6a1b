/**
 * torchvision's weights by enum name for the presets:
 * `resnet50({ weights: 'IMAGENET1K_V2' })`, as torchvision's
 * `resnet50(weights='IMAGENET1K_V2')`.
 * @module
 */
import type * as tf from '@tensorflow/tfjs';
import type { PretrainedOptions } from '../pretrained/options.js';
import type { ResNetOptions } from './options.js';

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

/**
 * A preset's model: built by `build` without weights, or, when `options`
 * name torchvision's weights, built and loaded with them (a promise).
 * The pretrained machinery (catalog, cache, download, checkpoint readers) is
 * imported only then, so an app that builds `resnet18()` without weights does
 * not carry it in its bundle (bundlers split a dynamic import into a chunk
 * loaded on first use).
 * @internal
 */
export function presetModel(
  name: string,
  options: ResNetOptions | PresetWeightsOptions | undefined,
  build: (options: ResNetOptions) => tf.LayersModel,
): tf.LayersModel | Promise<tf.LayersModel> {
  if (options !== undefined && options !== null && (options as Partial<PresetWeightsOptions>).weights !== undefined) {
    return import('../pretrained/load.js').then(({ createPretrainedModel }) =>
      createPretrainedModel(name, options, (model, modelOptions) => build({ name: model, ...modelOptions })),
    );
  }
  return build(options ?? {});
}
