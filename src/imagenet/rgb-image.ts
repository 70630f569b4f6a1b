/**
 * A decoded 8-bit RGB image in memory, and its conversions to and from tensors.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { describe, formatShape } from '../validate.js';

/**
 * An 8-bit RGB image: `height × width` pixels stored row by row, 3 bytes
 * (R, G, B) per pixel (HWC order), as returned by `decodeImage`.
 *
 * @example
 * ```ts
 * const red: RgbImage = { height: 1, width: 2, data: new Uint8Array([255, 0, 0, 255, 0, 0]) };
 * const x = imageToTensor(red); // float32 [1, 2, 3]
 * ```
 */
export interface RgbImage {
  /** The pixels, `height * width * 3` bytes, row-major, RGB interleaved. */
  data: Uint8Array;
  /** Rows, a positive integer. */
  height: number;
  /** Columns, a positive integer. */
  width: number;
}

/**
 * Throws a {@link ShapeError} unless `image` is a well-formed {@link RgbImage}.
 * @internal
 */
export function checkRgbImage(image: RgbImage, where: string): RgbImage {
  const { data, height, width } = image ?? ({} as Partial<RgbImage>);
  const positive = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (!positive(height) || !positive(width)) {
    throw new ShapeError(`${where}: an image needs positive integer height and width, got height ${describe(height)} and width ${describe(width)}`);
  }
  if (!(data instanceof Uint8Array) || data.length !== height * width * 3) {
    const got = data instanceof Uint8Array ? `${data.length} bytes` : describe(data);
    throw new ShapeError(`${where}: an RGB image of ${height}×${width} needs a Uint8Array of ${height * width * 3} bytes (height × width × 3), got ${got}`);
  }
  return image;
}

/**
 * The pixels of an {@link RgbImage} as a float32 tensor `[height, width, 3]`
 * with values 0..255, ready for `preprocessInput` (add a batch axis with
 * `expandDims(0)` for a model).
 *
 * @param image - The image.
 * @returns A new float32 tensor `[height, width, 3]`.
 * @throws {@link ShapeError} for a malformed image.
 *
 * @example
 * ```ts
 * const image = await loadImage('cat.jpg');
 * const x = tf.tidy(() => preprocessInput(imageToTensor(image), { mode: 'torch' }).expandDims(0));
 * ```
 */
export function imageToTensor(image: RgbImage): tf.Tensor3D {
  const { data, height, width } = checkRgbImage(image, 'imageToTensor');
  return tf.tensor3d(Float32Array.from(data), [height, width, 3], 'float32');
}

/**
 * Reads a `[height, width, 3]` tensor of RGB values 0..255 (any numeric dtype,
 * such as the int32 result of `tf.browser.fromPixels`) back into an
 * {@link RgbImage}, rounding to the nearest integer and clamping to 0..255.
 * The tensor is not disposed.
 *
 * @param x - A rank-3 tensor with 3 channels last.
 * @returns A new image.
 * @throws {@link ShapeError} for another shape.
 *
 * @example
 * ```ts
 * const image = tensorToImage(tf.browser.fromPixels(canvas));
 * const x = imagenetEvalTransform(image);
 * ```
 */
export function tensorToImage(x: tf.Tensor): RgbImage {
  if (x.rank !== 3 || x.shape[2] !== 3 || x.dtype === 'string' || x.dtype === 'complex64') {
    throw new ShapeError(`tensorToImage: expects a real-valued [height, width, 3] RGB tensor, got a ${x.dtype} tensor of shape ${formatShape(x.shape)}`);
  }
  const [height, width] = x.shape;
  // Uint8ClampedArray rounds half to even and clamps, as a uint8 conversion should.
  const data = new Uint8Array(Uint8ClampedArray.from(x.dataSync() as ArrayLike<number>).buffer);
  return checkRgbImage({ data, height, width }, 'tensorToImage');
}
