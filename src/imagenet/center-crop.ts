/**
 * Center cropping of RGB images with torchvision's rounding and zero padding.
 * @module
 */
import { checkInteger } from '../validate.js';
import { checkRgbImage, type RgbImage } from './rgb-image.js';

/**
 * The output size of {@link centerCrop}.
 *
 * @example
 * ```ts
 * const size: CenterCropArgs = { height: 224, width: 224 };
 * const crop = centerCrop(image, size);
 * ```
 */
export interface CenterCropArgs {
  /** Output rows, a positive integer. */
  height: number;
  /** Output columns, a positive integer. */
  width: number;
}

/** Python 3's `round()`: to the nearest integer, halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The first source row (or column) of a centered window of `crop` samples in
 * `size` samples, as torchvision's `center_crop`: `int(round((size − crop) / 2))`
 * (Python rounds halves to even), or, when the crop is larger, minus the zero
 * padding torchvision adds before it, `(crop − size) // 2`.
 */
function cropOffset(size: number, crop: number): number {
  return crop > size ? -Math.floor((crop - size) / 2) : roundHalfEven((size - crop) / 2);
}

/**
 * Cuts the centered `height × width` window out of an image, exactly as
 * torchvision's `transforms.CenterCrop`: the top row is
 * `int(round((image.height − height) / 2.0))` with Python's round-half-to-even
 * (so 341 → 224 columns starts at column 58, not 59), the same for the left
 * column; a window larger than the image is padded with black as torchvision
 * does.
 *
 * @param image - The source image.
 * @param size - The output height and width.
 * @returns A new image of `size`.
 * @throws {@link ShapeError} for a malformed image.
 * @throws {@link ConfigError} unless height and width are positive integers.
 *
 * @example
 * ```ts
 * const resized = resizeImage(image, { height: 256, width: 341 });
 * const crop = centerCrop(resized, { height: 224, width: 224 }); // rows 16..239, columns 58..281
 * ```
 */
export function centerCrop(image: RgbImage, size: CenterCropArgs): RgbImage {
  const { data, height, width } = checkRgbImage(image, 'centerCrop');
  const outHeight = checkInteger(size?.height, 'centerCrop', 'height');
  const outWidth = checkInteger(size?.width, 'centerCrop', 'width');
  const top = cropOffset(height, outHeight);
  const left = cropOffset(width, outWidth);
  const out = new Uint8Array(outHeight * outWidth * 3);
  // Columns of the output that fall inside the source.
  const x0 = Math.max(0, -left);
  const x1 = Math.min(outWidth, width - left);
  for (let y = 0; y < outHeight; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= height || x1 <= x0) continue;
    const from = (sy * width + x0 + left) * 3;
    out.set(data.subarray(from, from + (x1 - x0) * 3), (y * outWidth + x0) * 3);
  }
  return { data: out, height: outHeight, width: outWidth };
}
