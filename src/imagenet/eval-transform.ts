/**
 * torchvision's ImageNet evaluation transform: resize the shorter side, then
 * center crop.
 * @module
 */
import type * as tf from '@tensorflow/tfjs';
import { checkInteger } from '../validate.js';
import { centerCrop } from './center-crop.js';
import { resizeImage, type Interpolation } from './resize.js';
import { checkRgbImage, imageToTensor, tensorToImage, type RgbImage } from './rgb-image.js';

/**
 * Options of {@link imagenetEvalTransform}.
 *
 * @example
 * ```ts
 * const args: ImagenetEvalTransformArgs = { resize: 232, crop: 224 }; // torchvision's IMAGENET1K_V2 ResNet-50 recipe
 * const x = imagenetEvalTransform(image, args);
 * ```
 */
export interface ImagenetEvalTransformArgs {
  /**
   * The length the shorter side is resized to, keeping the aspect ratio.
   * @defaultValue 256 ({@link DEFAULT_EVAL_RESIZE})
   */
  resize?: number;
  /**
   * The side of the square center crop taken after resizing.
   * @defaultValue 224 ({@link DEFAULT_EVAL_CROP})
   */
  crop?: number;
  /**
   * The resize filter (Pillow's).
   * @defaultValue `'bilinear'`
   */
  interpolation?: Interpolation;
}

/**
 * The default shorter-side length of {@link imagenetEvalTransform}: 256.
 *
 * @example
 * ```ts
 * imagenetEvalTransform(image, { resize: DEFAULT_EVAL_RESIZE, crop: DEFAULT_EVAL_CROP }); // the defaults
 * ```
 */
export const DEFAULT_EVAL_RESIZE = 256;

/**
 * The default center-crop side of {@link imagenetEvalTransform}: 224.
 *
 * @example
 * ```ts
 * const x = imagenetEvalTransform(image); // [DEFAULT_EVAL_CROP, DEFAULT_EVAL_CROP, 3]
 * ```
 */
export const DEFAULT_EVAL_CROP = 224;

/**
 * The size torchvision's `Resize(size)` (an int) gives an image: the shorter
 * side becomes `size`, the longer `int(size * long / short)` (truncated), so
 * 300×400 → 256×341. Heights and widths, not PIL's (width, height).
 *
 * @param height - The image rows.
 * @param width - The image columns.
 * @param size - The new shorter side.
 * @returns The new height and width.
 * @throws {@link ConfigError} unless all three are positive integers.
 *
 * @example
 * ```ts
 * shorterSideSize(300, 400, 256); // { height: 256, width: 341 }
 * ```
 */
export function shorterSideSize(
  height: number,
  width: number,
  size: number,
): {
  /** The new number of rows. */
  height: number;
  /** The new number of columns. */
  width: number;
} {
  checkInteger(height, 'shorterSideSize', 'height');
  checkInteger(width, 'shorterSideSize', 'width');
  checkInteger(size, 'shorterSideSize', 'size');
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { height: size, width: Math.trunc((size * width) / height) };
}

/**
 * torchvision's standard ImageNet evaluation preprocessing up to (not
 * including) `ToTensor` + `Normalize`: `Resize(resize)` on the shorter side
 * with Pillow's antialiased bilinear filter ({@link resizeImage}), then
 * `CenterCrop(crop)` with torchvision's rounding ({@link centerCrop}).
 * Returns float32 pixels 0..255; finish with
 * `preprocessInput(x, { mode: 'torch' })`, which is `ToTensor` + `Normalize`
 * with the ImageNet mean and std.
 *
 * Fidelity: the resize and crop follow Pillow and torchvision integer for
 * integer (8-bit rounding after each resize pass included), so the output
 * equals torchvision's on the same decoded pixels; JPEG decoding itself
 * differs from PIL's libjpeg-turbo by at most a few levels (see `decodeImage`).
 *
 * @param image - An {@link RgbImage} (from `decodeImage`/`loadImage`), or a
 *   `[height, width, 3]` tensor of values 0..255 such as
 *   `tf.browser.fromPixels(img)` (read back synchronously, rounded to 8 bits,
 *   not disposed).
 * @param args - See {@link ImagenetEvalTransformArgs}.
 * @returns A new float32 tensor `[crop, crop, 3]`, RGB 0..255.
 * @throws {@link ShapeError} for a malformed image or tensor.
 * @throws {@link ConfigError} unless `resize` and `crop` are positive integers.
 *
 * @example
 * ```ts
 * const image = await loadImage('cat.jpg');
 * const probs = tf.tidy(() => {
 *   const x = preprocessInput(imagenetEvalTransform(image), { mode: 'torch' }).expandDims(0);
 *   return tf.softmax(model.predict(x) as tf.Tensor);
 * });
 * console.log(decodePredictions(probs)[0][0].label);
 * probs.dispose();
 * ```
 */
export function imagenetEvalTransform(image: RgbImage | tf.Tensor, args: ImagenetEvalTransformArgs = {}): tf.Tensor3D {
  const resize = checkInteger(args.resize ?? DEFAULT_EVAL_RESIZE, 'imagenetEvalTransform', 'resize');
  const crop = checkInteger(args.crop ?? DEFAULT_EVAL_CROP, 'imagenetEvalTransform', 'crop');
  const rgb = isTensor(image) ? tensorToImage(image) : checkRgbImage(image, 'imagenetEvalTransform');
  const resized = resizeImage(rgb, { ...shorterSideSize(rgb.height, rgb.width, resize), interpolation: args.interpolation });
  return imageToTensor(centerCrop(resized, { height: crop, width: crop }));
}

function isTensor(x: RgbImage | tf.Tensor): x is tf.Tensor {
  return x != null && typeof (x as Partial<tf.Tensor>).dataSync === 'function';
}
