/**
 * Decoding JPEG and PNG files into 8-bit RGB pixels (Node only: uses jpeg-js
 * and pngjs, whose PNG reader needs Node's zlib and Buffer).
 * @module
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { ConfigError } from '../errors.js';
import { decodeSequentialJpeg } from './jpeg-baseline.js';
import { readJpegFrame, ycbcrPlanesToRgb, ycbcrSubsampling, ycbcrToRgb } from './jpeg-color.js';
import type { RgbImage } from './rgb-image.js';

/**
 * The image file formats {@link decodeImage} reads.
 *
 * @example
 * ```ts
 * const format: ImageFormat | undefined = sniffImageFormat(bytes);
 * ```
 */
export type ImageFormat = 'jpeg' | 'png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/**
 * The format of an image file from its first bytes ("magic numbers"):
 * `'png'` for the 8-byte PNG signature, `'jpeg'` for `FF D8 FF`, else
 * `undefined`.
 *
 * @param bytes - The start of the file (or all of it).
 * @returns The format, or `undefined` when not recognized.
 *
 * @example
 * ```ts
 * sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // 'jpeg'
 * ```
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const startsWith = (sig: number[]): boolean => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (startsWith(PNG_SIGNATURE)) return 'png';
  if (startsWith(JPEG_SIGNATURE)) return 'jpeg';
  return undefined;
}

/**
 * Decodes a JPEG or PNG file, recognized by its magic bytes, into 8-bit RGB
 * pixels (HWC).
 *
 * - JPEG (jpeg-js): baseline and progressive; grayscale is replicated to RGB,
 *   CMYK converted. EXIF orientation is ignored (as PIL's `Image.open`).
 *   Sequential (baseline) grayscale files and YCbCr files with 4:4:4, 4:2:2
 *   or 4:2:0 chroma (nearly all photos) are decoded as libjpeg(-turbo) —
 *   Pillow's decoder — decodes them: its accurate integer inverse DCT, fancy
 *   chroma upsampling and fixed-point color conversion, so the pixels are
 *   Pillow's. Progressive YCbCr files get libjpeg's upsampling and color
 *   conversion over jpeg-js's inverse DCT (within 3 levels of Pillow's);
 *   plain jpeg-js, with nearest-neighbour upsampling and truncating float
 *   conversion, is off by 4–9 levels on average on 4:2:0 test images.
 * - PNG (pngjs): every color type and bit depth — grayscale and palette are
 *   expanded to RGB, 16-bit samples scaled to 8 bits (`round(v * 255 / 65535)`).
 *   Alpha is dropped, not composited: the RGB of a transparent pixel is kept,
 *   as PIL's `convert('RGB')` (torchvision's image loader) does. One pngjs
 *   quirk: pixels made transparent by a `tRNS` color key (not by an alpha
 *   channel) come out black.
 *
 * @param bytes - The whole file.
 * @returns The decoded image.
 * @throws {@link ConfigError} for bytes that are neither JPEG nor PNG (naming
 *   the accepted formats), or that fail to decode.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const { data, height, width } = decodeImage(await readFile('cat.png'));
 * console.log(height, width, data.length === height * width * 3); // e.g. 480 640 true
 * ```
 */
export function decodeImage(bytes: Uint8Array): RgbImage {
  if (!(bytes instanceof Uint8Array)) {
    throw new ConfigError(`decodeImage: expects the file's bytes as a Uint8Array (or Buffer), got ${typeof bytes}`);
  }
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ConfigError(
      `decodeImage: unrecognized image format (first bytes: ${head || 'none'}); accepted formats are JPEG (starting FF D8 FF) and PNG (starting 89 50 4E 47 0D 0A 1A 0A)`,
    );
  }
  try {
    return format === 'png' ? decodePng(bytes) : decodeJpegRgb(bytes);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConfigError(`decodeImage: the ${format.toUpperCase()} data could not be decoded: ${reason}`);
  }
}

function decodeJpegRgb(bytes: Uint8Array): RgbImage {
  const frame = readJpegFrame(bytes);
  const sampling = frame && ycbcrSubsampling(frame);
  const gray = frame !== undefined && frame.components.length === 1;
  if (sampling !== undefined || gray) {
    // Sequential files: libjpeg's own inverse DCT, so the pixels are Pillow's.
    const decoded = decodeSequentialJpeg(bytes);
    if (decoded !== undefined) {
      const { width, height, planes } = decoded;
      if (sampling !== undefined && planes.length === 3) {
        return { data: ycbcrPlanesToRgb(planes[0], planes[1], planes[2], width, height, sampling), height, width };
      }
      if (gray && planes.length === 1) {
        const [y] = planes;
        const data = new Uint8Array(width * height * 3);
        for (let row = 0; row < height; row++) {
          for (let col = 0; col < width; col++) data.fill(y.data[row * y.stride + col], (row * width + col) * 3, (row * width + col) * 3 + 3);
        }
        return { data, height, width };
      }
    }
  }
  if (sampling === undefined) {
    const { data, height, width } = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false });
    return { data, height, width };
  }
  const raw = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false, colorTransform: false });
  return { data: ycbcrToRgb(raw.data, raw.height, raw.width, sampling), height: raw.height, width: raw.width };
}

function decodePng(bytes: Uint8Array): RgbImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // pngjs always yields 8-bit RGBA (16-bit rescaled, gray and palette expanded).
  const png = PNG.sync.read(buffer);
  const { width, height } = png;
  const rgba = png.data;
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    data[i * 3] = rgba[j];
    data[i * 3 + 1] = rgba[j + 1];
    data[i * 3 + 2] = rgba[j + 2];
  }
  return { data, height, width };
}
