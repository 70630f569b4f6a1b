/**
 * ImageNet input and output that runs anywhere tfjs runs (browser-safe):
 * the class labels, Keras-style input normalization, prediction decoding,
 * and torchvision's resize/center-crop evaluation transform on in-memory
 * RGB images. File decoding and loading are Node-only, in `./node.js`.
 *
 * @example
 * ```ts
 * import { IMAGENET_CLASSES, preprocessInput, decodePredictions } from 'tfjs-resnet';
 * const probs = tf.tidy(() => tf.softmax(model.predict(preprocessInput(batch)) as tf.Tensor));
 * const [best] = decodePredictions(probs, { top: 1 })[0];
 * console.log(best.label === IMAGENET_CLASSES[best.index]); // true
 * probs.dispose();
 * ```
 * @module
 */
export { IMAGENET_CLASSES } from './classes.js';
export { preprocessInput, PREPROCESS_MODES, DEFAULT_PREPROCESS_MODE, type PreprocessMode, type PreprocessInputOptions } from './preprocess-input.js';
export { decodePredictions, DEFAULT_TOP, type ImagenetPrediction, type DecodePredictionsOptions } from './decode-predictions.js';
export { imageToTensor, tensorToImage, type RgbImage } from './rgb-image.js';
export { resizeImage, INTERPOLATIONS, type ResizeImageArgs, type Interpolation } from './resize.js';
export { createTransform, type DataConfig, type ImageTransform } from './transform.js';
export { centerCrop, type CenterCropArgs } from './center-crop.js';
export { imagenetEvalTransform, shorterSideSize, DEFAULT_EVAL_RESIZE, DEFAULT_EVAL_CROP, type ImagenetEvalTransformArgs } from './eval-transform.js';
