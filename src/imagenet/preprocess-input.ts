/**
 * Keras-style ImageNet input normalization (`imagenet_utils.preprocess_input`).
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { checkOneOf, formatShape } from '../validate.js';

/**
 * How {@link preprocessInput} normalizes RGB 0..255 pixels, named as in Keras:
 * - `'caffe'`: RGB → BGR, then subtract the BGR means `[103.939, 116.779, 123.68]`
 *   without scaling (Keras ResNet50/101/152 v1);
 * - `'tf'`: scale to −1..1 as `x / 127.5 − 1` (Keras ResNetV2);
 * - `'torch'`: `x / 255`, subtract `[0.485, 0.456, 0.406]`, divide by
 *   `[0.229, 0.224, 0.225]` (torchvision and timm weights).
 *
 * @example
 * ```ts
 * const mode: PreprocessMode = 'torch';
 * const x = preprocessInput(tf.fill([1, 224, 224, 3], 128), { mode });
 * ```
 */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

/**
 * Every {@link PreprocessMode}, in a fixed order.
 *
 * @example
 * ```ts
 * for (const mode of PREPROCESS_MODES) preprocessInput(image, { mode }).print();
 * ```
 */
export const PREPROCESS_MODES: readonly PreprocessMode[] = Object.freeze(['caffe', 'tf', 'torch']);

/**
 * The mode {@link preprocessInput} uses when none is given: `'caffe'`, as
 * Keras's `preprocess_input` for ResNet50 v1.
 *
 * @example
 * ```ts
 * preprocessInput(x); // same as preprocessInput(x, { mode: DEFAULT_PREPROCESS_MODE })
 * ```
 */
export const DEFAULT_PREPROCESS_MODE: PreprocessMode = 'caffe';

/**
 * Options of {@link preprocessInput}.
 *
 * @example
 * ```ts
 * const options: PreprocessInputOptions = { mode: 'torch' };
 * const x = preprocessInput(pixels, options);
 * ```
 */
export interface PreprocessInputOptions {
  /**
   * The normalization: `'caffe'`, `'tf'` or `'torch'` (see {@link PreprocessMode}).
   * @defaultValue `'caffe'` ({@link DEFAULT_PREPROCESS_MODE})
   */
  mode?: PreprocessMode;
}

/** BGR channel means of Keras's `'caffe'` mode. */
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
/** RGB channel means of the `'torch'` mode (after scaling to 0..1). */
const TORCH_MEAN_RGB = [0.485, 0.456, 0.406];
/** RGB channel standard deviations of the `'torch'` mode. */
const TORCH_STD_RGB = [0.229, 0.224, 0.225];

/**
 * Normalizes a batch or a single image of RGB pixels in 0..255 (channels
 * last) for an ImageNet model, with the semantics of Keras's
 * `imagenet_utils.preprocess_input(x, mode=...)`. The input may be of any
 * numeric dtype; the result is a new float32 tensor of the same shape (the
 * input is not disposed). Note that `'caffe'` also swaps the channel order to
 * BGR.
 *
 * @param x - `[height, width, 3]` or `[batch, height, width, 3]`, RGB 0..255.
 * @param options - See {@link PreprocessInputOptions}.
 * @returns A new float32 tensor, shape of `x`.
 * @throws {@link ConfigError} for an unknown mode.
 * @throws {@link ShapeError} unless `x` has rank 3 or 4 and 3 channels last.
 *
 * @example
 * ```ts
 * const pixels = tf.tensor3d([[[255, 128, 0]]]); // one orange pixel
 * preprocessInput(pixels).print();                    // [[[-103.939, 11.221, 131.32]]] (BGR)
 * preprocessInput(pixels, { mode: 'tf' }).print();    // [[[1, 0.00392, -1]]]
 * preprocessInput(pixels, { mode: 'torch' }).print(); // [[[2.2489, 0.2052, -1.8044]]]
 * ```
 */
export function preprocessInput(x: tf.Tensor, options: PreprocessInputOptions = {}): tf.Tensor {
  const mode = checkOneOf(options.mode ?? DEFAULT_PREPROCESS_MODE, PREPROCESS_MODES, 'preprocessInput', 'mode');
  if ((x.rank !== 3 && x.rank !== 4) || x.shape[x.rank - 1] !== 3) {
    throw new ShapeError(
      `preprocessInput: expects RGB pixels with 3 channels last, shaped [height, width, 3] or [batch, height, width, 3], got shape ${formatShape(x.shape)}`,
    );
  }
  return tf.tidy(() => {
    const pixels = tf.cast(x, 'float32');
    switch (mode) {
      case 'tf':
        return tf.sub(tf.div(pixels, 127.5), 1);
      case 'torch':
        return normalizeRgb(pixels, TORCH_MEAN_RGB, TORCH_STD_RGB);
      case 'caffe':
        return tf.sub(tf.reverse(pixels, -1), tf.tensor1d(CAFFE_MEAN_BGR));
    }
  });
}

/**
 * torchvision's `ToTensor` + `Normalize(mean, std)` on float32 RGB pixels
 * 0..255 (channels last): `(x / 255 - mean) / std` per channel, in float32.
 * Call inside `tf.tidy`.
 *
 * @example
 * ```ts
 * const x = tf.tidy(() => normalizeRgb(pixels, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]));
 * ```
 * @internal
 */
export function normalizeRgb(pixels: tf.Tensor, mean: readonly number[], std: readonly number[]): tf.Tensor {
  return tf.div(tf.sub(tf.div(pixels, 255), tf.tensor1d([...mean])), tf.tensor1d([...std]));
}
