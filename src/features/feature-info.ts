import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { modelInfo, type FeatureLevel } from '../models/model-info.js';

/**
 * One feature map a network offers, as timm's `feature_info` describes it:
 * the module it comes from, its channels and its stride relative to the input.
 *
 * @example
 * ```ts
 * const info: FeatureInfo[] = featureInfo(resnet50());
 * // [{ name: 'act1', channels: 64, reduction: 2 }, { name: 'layer1', channels: 256, reduction: 4 }, …]
 * ```
 */
export interface FeatureInfo {
  /** timm's module name of the level: `act1`, `layer1` … `layer4` for ResNets. */
  readonly name: string;
  /** Channels of the feature map (timm's `num_chs`). */
  readonly channels: number;
  /** Its stride relative to the input (timm's `reduction`). */
  readonly reduction: number;
}

/**
 * Every feature level of a model tfjs-resnet built, stem first; throws a
 * {@link ConfigError} for any other model, since only the builder knows
 * where its stages end.
 * @internal
 */
export function featureLevels(model: tf.LayersModel, where: string): readonly FeatureLevel[] {
  const levels = modelInfo(model)?.features;
  if (levels === undefined || levels.length === 0) {
    throw new ConfigError(
      `${where}: model "${model?.name}" was not built by tfjs-resnet, so its feature levels are unknown ` +
        `(a model from tf.loadLayersModel or tf.model loses them); build it with resnet(...), a preset such as resnet50(), ` +
        `or createModel(name), then load its weights`,
    );
  }
  return levels;
}

/**
 * The feature maps a model offers — or, for a model made by
 * {@link featuresOnly}, the ones it returns, in output order — as timm's
 * `model.feature_info` gives them: `{ name, channels, reduction }` per level.
 * For ResNets the levels are `act1` (the stem, reduction 2) and `layer1` …
 * `layer4` (reductions 4, 8, 16, 32; less with `outputStride`).
 *
 * @param model - a model built by tfjs-resnet (`resnet(...)`, a preset, `createModel`), or a features model of one.
 * @returns one entry per level.
 * @throws {@link ConfigError} for a model tfjs-resnet did not build.
 *
 * @example
 * ```ts
 * import { resnet50, featureInfo } from 'tfjs-resnet';
 * featureInfo(resnet50()).map((f) => f.channels);   // [64, 256, 512, 1024, 2048]
 * featureInfo(resnet50()).map((f) => f.reduction);  // [2, 4, 8, 16, 32]
 * ```
 */
export function featureInfo(model: tf.LayersModel): FeatureInfo[] {
  const levels = modelInfo(model)?.outputs ?? featureLevels(model, 'featureInfo');
  return levels.map(({ name, channels, reduction }) => ({ name, channels, reduction }));
}
