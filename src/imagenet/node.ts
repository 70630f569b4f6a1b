/**
 * Node-only ImageNet image input: decoding JPEG/PNG files (jpeg-js, pngjs)
 * and loading them from disk, plus, for one-stop imports, the browser-safe
 * transform and tensor conversion they feed. Not re-exported by
 * `./index.js`; meant for a Node-only entry point or a dynamic import.
 *
 * @example
 * ```ts
 * import { loadImage, imagenetEvalTransform } from 'tfjs-resnet/node';
 * const x = imagenetEvalTransform(await loadImage('cat.jpg')); // float32 [224, 224, 3]
 * ```
 * @module
 */
export { decodeImage, sniffImageFormat, type ImageFormat } from './decode-image.js';
export { loadImage } from './load-image.js';
export { imagenetEvalTransform, DEFAULT_EVAL_RESIZE, DEFAULT_EVAL_CROP, type ImagenetEvalTransformArgs } from './eval-transform.js';
export { imageToTensor, type RgbImage } from './rgb-image.js';
