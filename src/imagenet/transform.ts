/**
 * The evaluation transform of a set of weights, as timm and torchvision
 * apply it: resize the shorter side, center crop, normalise.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { checkInteger, checkOneOf, describe } from '../validate.js';
import { imagenetEvalTransform } from './eval-transform.js';
import { normalizeRgb } from './preprocess-input.js';
import { INTERPOLATIONS, type Interpolation } from './resize.js';
import type { RgbImage } from './rgb-image.js';

/**
 * The preprocessing of a network's input, as timm's `resolve_data_config`
 * gives it: what {@link createTransform} applies.
 *
 * @example
 * ```ts
 * const config: DataConfig = {
 *   inputSize: [224, 224], interpolation: 'bicubic', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
 *   cropPct: 0.95, resizeSize: 235,
 * };
 * ```
 */
export interface DataConfig {
  /** Height and width of the network input: the center crop. */
  readonly inputSize: readonly [number, number];
  /** The resize filter (Pillow's). */
  readonly interpolation: Interpolation;
  /** Per-channel mean, RGB, in units of 0..1 pixels. */
  readonly mean: readonly [number, number, number];
  /** Per-channel standard deviation, RGB. */
  readonly std: readonly [number, number, number];
  /** The crop fraction: the shorter side is resized to `floor(size / cropPct)`. */
  readonly cropPct: number;
  /** The shorter side before the crop: `floor(inputSize / cropPct)`, or the publisher's own figure (torchvision's `resize_size`). */
  readonly resizeSize: number;
}

/**
 * An evaluation transform: an image in, a normalised float32 tensor
 * `[height, width, 3]` out (add the batch axis with `expandDims(0)`).
 *
 * @example
 * ```ts
 * const transform: ImageTransform = createTransform(resolveDataConfig('resnet50.a1_in1k'));
 * const x = transform(await loadImage('cat.jpg')); // [224, 224, 3]
 * ```
 */
export type ImageTransform = (image: RgbImage | tf.Tensor) => tf.Tensor3D;

function checkTriple(value: unknown, what: string): readonly [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ConfigError(`createTransform: ${what} must be three finite numbers (R, G, B), got ${describe(value)}`);
  }
  return value as unknown as readonly [number, number, number];
}

/**
 * The evaluation transform of timm and torchvision for `config` (from
 * {@link resolveDataConfig}): resize the shorter side to
 * `config.resizeSize` (`floor(size / cropPct)`) with Pillow's filter
 * ({@link resizeImage}, byte-exact), center crop `inputSize`
 * ({@link centerCrop}), then `ToTensor` + `Normalize(mean, std)`. On the same
 * decoded pixels it gives the reference's input tensor.
 *
 * @throws {@link ConfigError} for a malformed config (a non-square
 *   `inputSize` is refused: timm resizes those differently).
 *
 * @example
 * ```ts
 * const transform = createTransform(resolveDataConfig(model));
 * const probs = tf.tidy(() => tf.softmax(model.predict(transform(image).expandDims(0)) as tf.Tensor));
 * ```
 */
export function createTransform(config: DataConfig): ImageTransform {
  const where = 'createTransform';
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(`${where}: expected a data config (from resolveDataConfig), got ${describe(config)}`);
  }
  const [height, width] = Array.isArray(config.inputSize) ? config.inputSize : [];
  const crop = checkInteger(height, where, 'inputSize[0]');
  if (width !== height) {
    throw new ConfigError(`${where}: inputSize must be square ([size, size]), got ${describe(config.inputSize)}`);
  }
  const resize = checkInteger(config.resizeSize, where, 'resizeSize');
  const interpolation = checkOneOf(config.interpolation, INTERPOLATIONS, where, 'interpolation');
  const mean = checkTriple(config.mean, 'mean');
  const std = checkTriple(config.std, 'std');
  if (std.some((s) => s === 0)) throw new ConfigError(`${where}: std must not contain 0, got ${describe(std)}`);
  return (image) => tf.tidy(() => normalizeRgb(imagenetEvalTransform(image, { resize, crop, interpolation }), mean, std) as tf.Tensor3D);
}
