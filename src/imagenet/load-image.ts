/**
 * Reading an image file and decoding it (Node only, as {@link decodeImage}).
 * @module
 */
import { fetchBytes, type FetchBytesOptions } from '../io/fetch-bytes.js';
import { decodeImage } from './decode-image.js';
import type { RgbImage } from './rgb-image.js';

/**
 * Loads a JPEG or PNG image as 8-bit RGB pixels: reads a file path, a
 * `file:` URL or an `http(s):` URL with `fetchBytes` (or takes the file's
 * bytes as they are) and decodes them with {@link decodeImage}.
 *
 * @param pathOrBytes - A file path, a `file:`/`http(s):` URL, or the file's bytes.
 * @param options - Passed to `fetchBytes` (timeout, abort signal, sha256, …);
 *   unused for bytes.
 * @returns The decoded image.
 * @throws {@link FetchError} when the file or URL cannot be read.
 * @throws {@link ConfigError} when the bytes are neither JPEG nor PNG or fail to decode.
 *
 * @example
 * ```ts
 * const image = await loadImage('images/cat.jpg');
 * const x = imagenetEvalTransform(image); // float32 [224, 224, 3], 0..255
 * ```
 */
export async function loadImage(pathOrBytes: string | URL | Uint8Array, options: FetchBytesOptions = {}): Promise<RgbImage> {
  const bytes = pathOrBytes instanceof Uint8Array ? pathOrBytes : await fetchBytes(pathOrBytes, options);
  return decodeImage(bytes);
}
