import type * as tf from '@tensorflow/tfjs';
import type { ResNetStyle } from '../blocks/style.js';

/**
 * One feature level of a network, as timm's `feature_info` reports it.
 *
 * @example
 * ```ts
 * const levels: FeatureLevel[] = featureInfo(resnet50());
 * // [{ name: 'act1', channels: 64, reduction: 2, layer: 'act1' }, { name: 'layer1', channels: 256, reduction: 4, ... }, ...]
 * ```
 */
export interface FeatureLevel {
  /** timm's module name of the level: `act1`, `layer1` … `layer4`. */
  readonly name: string;
  /** Channels of the feature map. */
  readonly channels: number;
  /** Its stride relative to the input. */
  readonly reduction: number;
  /** The name of the tfjs layer whose output is this level. */
  readonly layer: string;
}

/**
 * What tfjs-resnet knows of a model it built.
 *
 * @example
 * ```ts
 * const info = modelInfo(resnet18());
 * console.log(info?.style, info?.features.length);
 * ```
 */
export interface ModelInfo {
  /** The style it was built in. */
  readonly style: ResNetStyle;
  /** Its feature levels, stem first. */
  readonly features: readonly FeatureLevel[];
  /** For a model made by `featuresOnly`: the levels it returns, in output order. */
  readonly outputs?: readonly FeatureLevel[];
}

const infos = new WeakMap<tf.LayersModel, ModelInfo>();

/** Records what was built. @internal */
export function setModelInfo(model: tf.LayersModel, info: ModelInfo): void {
  infos.set(model, info);
}

/**
 * What tfjs-resnet recorded when it built `model`, or `undefined` for a model
 * it did not build (e.g. one loaded with `tf.loadLayersModel`).
 *
 * @example
 * ```ts
 * const model = resnet34();
 * modelInfo(model)?.features.map((f) => f.reduction); // [2, 4, 8, 16, 32]
 * ```
 */
export function modelInfo(model: tf.LayersModel): ModelInfo | undefined {
  return infos.get(model);
}
