import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { modelInfo, setModelInfo } from '../models/model-info.js';
import { describe } from '../validate.js';
import { featureLevels } from './feature-info.js';

/**
 * Options of {@link featuresOnly}.
 *
 * @example
 * ```ts
 * const options: FeaturesOnlyOptions = { outIndices: [2, 3, 4] }; // layer2 … layer4 (strides 8, 16, 32)
 * ```
 */
export interface FeaturesOnlyOptions {
  /**
   * Which levels to return, as timm's `out_indices`: 0 is the stem (`act1`),
   * 1 … 4 the stages; negative indices count from the last level. The
   * outputs come in network order whatever the order given.
   * @defaultValue every level (`[0, 1, 2, 3, 4]` for a ResNet)
   */
  outIndices?: readonly number[];
  /**
   * Name of the new model.
   * @defaultValue `<model name>_features`
   */
  name?: string;
}

/**
 * A multi-output model of a network's feature maps, as timm's
 * `features_only=True` gives: for a ResNet the stem activation `act1`
 * (stride 2) and the outputs of `layer1` … `layer4` (strides 4 … 32), or the
 * levels chosen by `outIndices`. The new model shares the layers — and so
 * the weights — of `model`; layers after the last chosen level (the head)
 * are left out. {@link featureInfo} of the result describes its outputs.
 *
 * Works for every model tfjs-resnet builds, custom `resnet(config)` nets
 * included (one level per stage); `createModel(name, { featuresOnly: true })`
 * calls it.
 *
 * @param model - a model built by tfjs-resnet.
 * @param options - which levels, and the new model's name; see {@link FeaturesOnlyOptions}.
 * @returns a `tf.LayersModel` whose outputs are the chosen feature maps (NHWC), in network order.
 * @throws {@link ConfigError} for a model tfjs-resnet did not build (its
 *   feature levels are unknown), or `outIndices` that are not distinct
 *   integers within the levels.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { resnet50, featuresOnly, featureInfo } from 'tfjs-resnet';
 *
 * const fpnBackbone = featuresOnly(resnet50({ includeTop: false }), { outIndices: [1, 2, 3, 4] });
 * const maps = fpnBackbone.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor[];
 * maps.map((m) => m.shape);          // [1, 56, 56, 256], [1, 28, 28, 512], [1, 14, 14, 1024], [1, 7, 7, 2048]
 * featureInfo(fpnBackbone);          // [{ name: 'layer1', channels: 256, reduction: 4 }, …]
 * ```
 */
export function featuresOnly(model: tf.LayersModel, options: FeaturesOnlyOptions = {}): tf.LayersModel {
  const where = 'featuresOnly';
  const levels = featureLevels(model, where);
  const indices = resolveOutIndices(options.outIndices, levels.length, where);
  const chosen = indices.map((i) => levels[i]);
  const outputs = chosen.map((level) => model.getLayer(level.layer).output as tf.SymbolicTensor);
  const features = tf.model({ inputs: model.inputs, outputs, name: options.name ?? `${model.name}_features` });
  // featureLevels found the model's info. Every level up to the last chosen one is in the new graph.
  setModelInfo(features, { ...modelInfo(model)!, features: levels.slice(0, indices[indices.length - 1] + 1), outputs: chosen });
  return features;
}

/** Validates `outIndices` and returns them non-negative, sorted. */
function resolveOutIndices(outIndices: unknown, count: number, where: string): number[] {
  if (outIndices === undefined) return Array.from({ length: count }, (_, i) => i);
  const valid = `distinct integers from ${-count} to ${count - 1} (0 is the stem, ${count - 1} the last stage)`;
  if (!Array.isArray(outIndices) || outIndices.length === 0) {
    throw new ConfigError(`${where}: outIndices must be a non-empty array of ${valid}, got ${describe(outIndices)}`);
  }
  const resolved = outIndices.map((i: unknown) => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < -count || i >= count) {
      throw new ConfigError(`${where}: outIndices must be ${valid}; ${describe(i)} is not`);
    }
    return i < 0 ? i + count : i;
  });
  if (new Set(resolved).size !== resolved.length) {
    throw new ConfigError(`${where}: outIndices must be ${valid}; ${describe(outIndices)} repeats a level`);
  }
  return resolved.sort((a, b) => a - b);
}
