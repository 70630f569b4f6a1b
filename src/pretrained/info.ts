/**
 * What a model built with published weights records of them
 * ({@link pretrainedInfo}). Apart from the loader (`load.ts`), which presets
 * import lazily: this module holds the state both share.
 * @module
 */
import type * as tf from '@tensorflow/tfjs';
import type { LoadReport } from '../weights/load-options.js';
import type { PretrainedWeights } from './entry.js';

/**
 * What happened to the classifier of a model built with published weights:
 * `'loaded'` (the publisher's), `'reinitialized'` (another `classes`: a fresh
 * classifier, timm's rule) or `'omitted'` (`includeTop: false` or
 * `featuresOnly`: the publisher's classifier was not used).
 *
 * @example
 * ```ts
 * if (pretrainedInfo(model)?.classifier === 'reinitialized') console.log('train the classifier first');
 * ```
 */
export type ClassifierState = 'loaded' | 'reinitialized' | 'omitted';

/**
 * Which published weights a model was built with, and how they loaded.
 *
 * @example
 * ```ts
 * const info = pretrainedInfo(model)!;
 * console.log(info.weights.tag, info.classifier, info.downloaded, info.report.loaded.length);
 * ```
 */
export interface PretrainedInfo {
  /** The catalog entry. */
  readonly weights: PretrainedWeights;
  /** The file loaded: its path in the cache (Node) or its URL (browsers). */
  readonly file: string;
  /** Whether it was downloaded now (false: it came from the cache). */
  readonly downloaded: boolean;
  /** What happened to the classifier. */
  readonly classifier: ClassifierState;
  /** The loader's report (keys loaded, ignored, …). */
  readonly report: LoadReport;
}

const infos = new WeakMap<tf.LayersModel, PretrainedInfo>();

/**
 * The published weights `model` was built with by
 * `createModel(…, { pretrained })`, or `undefined`.
 *
 * @example
 * ```ts
 * const model = await createModel('resnet18', { pretrained: true, classes: 5 });
 * pretrainedInfo(model)?.classifier; // 'reinitialized'
 * pretrainedInfo(model)?.report.ignored; // ['fc.weight', 'fc.bias', …num_batches_tracked]
 * ```
 */
export function pretrainedInfo(model: tf.LayersModel): PretrainedInfo | undefined {
  return infos.get(model);
}

/** Records what `model` was built with (the loader calls it). @internal */
export function setPretrainedInfo(model: tf.LayersModel, info: PretrainedInfo): void {
  infos.set(model, info);
}
