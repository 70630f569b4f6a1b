/**
 * Turning ImageNet class probabilities into ranked, labelled predictions
 * (Keras's `imagenet_utils.decode_predictions`).
 * @module
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';
import { describe, formatShape } from '../validate.js';
import { IMAGENET_CLASSES } from './classes.js';

/**
 * One ranked class of one image, as returned by {@link decodePredictions}.
 *
 * @example
 * ```ts
 * const [best]: ImagenetPrediction[] = decodePredictions(probs, { top: 1 })[0];
 * console.log(`${best.label} (#${best.index}): ${(best.probability * 100).toFixed(1)}%`);
 * ```
 */
export interface ImagenetPrediction {
  /** The class index, 0..999. */
  index: number;
  /** The class label, `IMAGENET_CLASSES[index]`. */
  label: string;
  /** The score of the class as given (a probability after softmax, else a logit). */
  probability: number;
}

/**
 * The number of classes {@link decodePredictions} returns per image when no
 * `top` is given: 5, as in Keras.
 *
 * @example
 * ```ts
 * decodePredictions(probs)[0].length === DEFAULT_TOP; // true
 * ```
 */
export const DEFAULT_TOP = 5;

/**
 * Options of {@link decodePredictions}.
 *
 * @example
 * ```ts
 * const options: DecodePredictionsOptions = { top: 3 };
 * const top3 = decodePredictions(probs, options);
 * ```
 */
export interface DecodePredictionsOptions {
  /**
   * How many classes to return per image, an integer in 1..1000.
   * @defaultValue 5 ({@link DEFAULT_TOP})
   */
  top?: number;
}

/**
 * Ranks the 1000 ImageNet-1k classes of each image by score, highest first,
 * and names them with {@link IMAGENET_CLASSES}, like Keras's
 * `decode_predictions`. Ties keep the lower class index first; NaN scores
 * rank last. Reads a tensor synchronously (`dataSync`) and does not dispose it.
 *
 * @param probs - Scores shaped `[batch, 1000]`: a tensor, or one array of 1000
 *   numbers per image. Softmax probabilities or raw logits (the order is the same).
 * @param options - See {@link DecodePredictionsOptions}.
 * @returns One array per image of `top` predictions, highest score first.
 * @throws {@link ShapeError} unless `probs` is shaped `[batch, 1000]`.
 * @throws {@link ConfigError} unless `top` is an integer in 1..1000.
 *
 * @example
 * ```ts
 * const probs = tf.softmax(model.predict(x) as tf.Tensor);
 * for (const { label, probability } of decodePredictions(probs, { top: 3 })[0]) {
 *   console.log(label, probability.toFixed(3)); // e.g. "tabby 0.612"
 * }
 * probs.dispose();
 * ```
 */
export function decodePredictions(probs: tf.Tensor | number[][], options: DecodePredictionsOptions = {}): ImagenetPrediction[][] {
  const numClasses = IMAGENET_CLASSES.length;
  const top = options.top ?? DEFAULT_TOP;
  if (typeof top !== 'number' || !Number.isInteger(top) || top < 1 || top > numClasses) {
    throw new ConfigError(`decodePredictions: top must be an integer in 1..${numClasses}, got ${describe(top)}`);
  }
  return scoreRows(probs, numClasses).map((row) => topScores(row, top, (index) => IMAGENET_CLASSES[index]));
}

/**
 * The `top` highest scores of one row, highest first (ties: lower index
 * first; NaN last), labelled by `label(index)`.
 * @internal
 */
export function topScores(row: ArrayLike<number>, top: number, label: (index: number) => string): ImagenetPrediction[] {
  const order = Array.from({ length: row.length }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(row[i]) ? -Infinity : row[i]);
  order.sort((a, b) => key(b) - key(a) || a - b);
  return order.slice(0, top).map((index) => ({ index, label: label(index), probability: row[index] }));
}

/** The per-image score rows of `probs`, after checking the `[batch, n]` shape. */
function scoreRows(probs: tf.Tensor | number[][], numClasses: number): ArrayLike<number>[] {
  const expected = `expects scores shaped [batch, ${numClasses}] (one row of ${numClasses} ImageNet class scores per image)`;
  if (Array.isArray(probs)) {
    probs.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== numClasses) {
        const got = Array.isArray(row) ? `${row.length} numbers` : describe(row);
        throw new ShapeError(`decodePredictions: ${expected}, got ${got} in row ${i}`);
      }
    });
    return probs;
  }
  if (probs == null || typeof (probs as Partial<tf.Tensor>).dataSync !== 'function') {
    throw new ShapeError(`decodePredictions: ${expected}, as a tf.Tensor or a number[][], got ${describe(probs)}`);
  }
  if (probs.dtype === 'string' || probs.dtype === 'complex64') {
    throw new ShapeError(`decodePredictions: ${expected}, as real numbers, got a ${probs.dtype} tensor`);
  }
  if (probs.rank !== 2 || probs.shape[1] !== numClasses) {
    throw new ShapeError(`decodePredictions: ${expected}, got shape ${formatShape(probs.shape)}`);
  }
  const data = probs.dataSync();
  const [batch] = probs.shape;
  return Array.from({ length: batch }, (_, b) => data.subarray(b * numClasses, (b + 1) * numClasses));
}
