/**
 * The Node.js entry point, `tfjs-resnet/node`: everything of the main entry
 * plus what needs Node's file system — decoding JPEG and PNG files and
 * loading images from paths. Browser bundles import `tfjs-resnet` instead and
 * never pull `fs`.
 *
 * @example
 * ```ts
 * import { resnet50, loadImage, imagenetEvalTransform, preprocessInput } from 'tfjs-resnet/node';
 * const image = await loadImage('cat.jpg');
 * const x = preprocessInput(imagenetEvalTransform(image).expandDims(0), { mode: 'torch' });
 * ```
 * @packageDocumentation
 */
export * from './index.js';
export * from './imagenet/node.js';
export * from './cli/index.js';
