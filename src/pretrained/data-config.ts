/**
 * The evaluation preprocessing of published weights, as timm's
 * `resolve_data_config` gives it.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { DataConfig } from '../imagenet/transform.js';
import { checkBoolean, describe } from '../validate.js';
import { findPretrained } from './catalog.js';
import type { PretrainedWeights } from './entry.js';
import { pretrainedInfo } from './info.js';

/**
 * Options of {@link resolveDataConfig}.
 *
 * @example
 * ```ts
 * resolveDataConfig('resnet50.a1_in1k', { test: true }); // 288×288, crop_pct 1.0
 * ```
 */
export interface ResolveDataConfigOptions {
  /**
   * Use the publisher's test-time size and crop (timm's `test_input_size`,
   * `test_crop_pct`) where it states one. A model built by
   * `createModel(tag, { pretrained: true })` has the weights' (train) input
   * size: for the test size build it with `inputShape: [size, size, 3]`.
   * @defaultValue false
   */
  test?: boolean;
}

/**
 * The evaluation preprocessing of a set of published weights — for
 * {@link createTransform}: input size, interpolation, mean, std, crop
 * fraction and the size the shorter side is resized to
 * (`floor(size / cropPct)`, or torchvision's stated `resize_size`).
 *
 * @param modelOrTag - a tag (`resnet50.a1_in1k`), a model name (its default
 *   weights), or a model built by `createModel(…, { pretrained })`.
 * @throws {@link ConfigError} for an unknown tag, a model built without
 *   published weights, or Keras weights (whose preprocessing is Keras's
 *   `preprocess_input`: use `preprocessInput(x, { mode })`).
 *
 * @example
 * ```ts
 * resolveDataConfig('resnet50');        // torchvision V2: 224, resize 232, bilinear
 * resolveDataConfig('resnet50.a1_in1k'); // timm: 224, crop_pct 0.95 → resize 235, bicubic
 * const transform = createTransform(resolveDataConfig(model));
 * ```
 */
export function resolveDataConfig(modelOrTag: string | tf.LayersModel, options: ResolveDataConfigOptions = {}): DataConfig {
  const where = 'resolveDataConfig';
  const test = checkBoolean(options.test ?? false, where, 'test');
  let entry: PretrainedWeights;
  if (modelOrTag instanceof tf.LayersModel) {
    const info = pretrainedInfo(modelOrTag);
    if (info === undefined) {
      throw new ConfigError(
        `${where}: model "${modelOrTag.name}" was not built with published weights; pass a tag such as "resnet50.tv2_in1k", or build it with createModel(name, { pretrained: true })`,
      );
    }
    entry = info.weights;
  } else if (typeof modelOrTag === 'string') {
    entry = findPretrained(modelOrTag, where);
  } else {
    throw new ConfigError(`${where}: expected a tag, a model name or a model built with published weights, got ${describe(modelOrTag)}`);
  }
  if (entry.origin === 'keras') {
    throw new ConfigError(
      `${where}: "${entry.tag}" are Keras Applications weights, evaluated with Keras's own preprocess_input, not a resize-crop-normalise transform; use preprocessInput(x, { mode: '${entry.model.endsWith('v2') ? 'tf' : 'caffe'}' })`,
    );
  }
  const d = entry.data;
  const useTest = test && d.testInputSize !== undefined;
  const inputSize = useTest ? d.testInputSize! : d.inputSize;
  const cropPct = useTest ? (d.testCropPct ?? d.cropPct) : d.cropPct;
  const resizeSize = !useTest && d.resizeSize !== undefined ? d.resizeSize : Math.floor(inputSize[0] / cropPct);
  return { inputSize: [inputSize[0], inputSize[1]], interpolation: d.interpolation, mean: d.mean, std: d.std, cropPct, resizeSize };
}
