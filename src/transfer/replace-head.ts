import * as tf from '@tensorflow/tfjs';
import { denseInits } from '../blocks/init.js';
import { styleSpec, type ResNetStyle } from '../blocks/style.js';
import { ConfigError } from '../errors.js';
import { modelInfo, setModelInfo } from '../models/model-info.js';
import { checkInteger, checkOneOf, describe, formatShape } from '../validate.js';
import { guardFrozenBatchNorm } from './frozen-batch-norm.js';

/**
 * Options of {@link replaceHead}.
 *
 * @example
 * ```ts
 * const options: ReplaceHeadOptions = { activation: 'linear', dropout: 0.2 };
 * ```
 */
export interface ReplaceHeadOptions {
  /**
   * Activation of the new classifier: `'softmax'` (probabilities, for
   * `categoricalCrossentropy`), `'sigmoid'` (multi-label) or `'linear'` (logits).
   * @defaultValue `'softmax'`
   */
  activation?: HeadActivation;
  /**
   * Dropout rate before the classifier (timm's `drop_rate`); none when 0.
   * @defaultValue 0
   */
  dropout?: number;
  /**
   * Global pooling added when the backbone ends with a feature map (a model
   * built with `includeTop: false, pooling: null`).
   * @defaultValue `'avg'`
   */
  pooling?: 'avg' | 'max';
  /**
   * Name of the new model.
   * @defaultValue the old model's name
   */
  name?: string;
}

/**
 * The classifier activations {@link replaceHead} offers.
 *
 * @example
 * ```ts
 * const activation: HeadActivation = 'sigmoid'; // multi-label
 * ```
 */
export type HeadActivation = 'softmax' | 'sigmoid' | 'linear';

/**
 * Defaults of {@link ReplaceHeadOptions}, stated once.
 *
 * @example
 * ```ts
 * replaceHead(model, 3, { ...DEFAULT_REPLACE_HEAD_OPTIONS, dropout: 0.5 });
 * ```
 */
export const DEFAULT_REPLACE_HEAD_OPTIONS = {
  /** Default of {@link ReplaceHeadOptions.activation}. */
  activation: 'softmax',
  /** Default of {@link ReplaceHeadOptions.dropout}: no dropout layer. */
  dropout: 0,
  /** Default of {@link ReplaceHeadOptions.pooling}. */
  pooling: 'avg',
} as const satisfies Omit<Required<ReplaceHeadOptions>, 'name'>;

/** Name of the dropout before the classifier, per style. */
const DROPOUT_NAME: Record<ResNetStyle, string> = { torchvision: 'head_drop', keras: 'top_dropout' };

/**
 * The pooled backbone output of `model`: the input of its classifier when
 * it has one (a last `Dense` layer), its output when that is a vector,
 * otherwise its feature map (pooled by the caller).
 */
function backboneOutput(model: tf.LayersModel, where: string): tf.SymbolicTensor {
  if (model.outputs.length !== 1) {
    throw new ConfigError(
      `${where}: model "${model.name}" has ${model.outputs.length} outputs; a head goes on a single-output classifier or backbone (not a featuresOnly model)`,
    );
  }
  const out = model.outputs[0];
  const last = out.sourceLayer;
  if (last.getClassName() === 'Dense') return last.input as tf.SymbolicTensor;
  if (out.shape.length === 2 || out.shape.length === 4) return out;
  throw new ConfigError(
    `${where}: model "${model.name}" ends with output shape ${formatShape(out.shape)}; expected a Dense classifier, a pooled vector [batch, channels] or a feature map [batch, height, width, channels]`,
  );
}

/**
 * A new classifier on a network's backbone: the old classifier (the last
 * `Dense` layer) is dropped, and a new `Dense` layer of `classes` units —
 * named as the style names it (`fc` in torchvision style, `predictions` in
 * Keras style) and initialised as the style does — goes on the pooled
 * features; a backbone ending with a feature map (`includeTop: false`) gets
 * global pooling first. The new model shares every backbone layer (and its
 * weights, and its frozen state) with `model`; what tfjs-resnet recorded of
 * the model (style, feature levels) carries over, so {@link freezeUpTo},
 * {@link featureInfo} and `summarize` work on the result. Frozen BatchNorm
 * layers run in inference mode (see {@link guardFrozenBatchNorm}).
 *
 * @param model - a classifier or a backbone (`includeTop: false`, with or without pooling); any single-output `tf.LayersModel` works.
 * @param classes - units of the new classifier.
 * @param options - activation, dropout, pooling, name; see {@link ReplaceHeadOptions}.
 * @returns the new model.
 * @throws {@link ConfigError} for a `classes` that is not a positive
 *   integer, an unknown activation or pooling, a dropout outside [0, 1), or
 *   a model with several outputs.
 *
 * @example
 * ```ts
 * import { resnet18, replaceHead, freezeUpTo } from 'tfjs-resnet';
 * const imagenet = resnet18({ init: 'zeros' });
 * await loadPyTorchWeights(imagenet, 'resnet18.safetensors');
 * const model = replaceHead(imagenet, 3);            // new 'fc' with 3 units, softmax
 * freezeUpTo(model, 'layer4');                        // train the head only
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * ```
 */
export function replaceHead(model: tf.LayersModel, classes: number, options: ReplaceHeadOptions = {}): tf.LayersModel {
  const where = 'replaceHead';
  checkInteger(classes, where, 'classes');
  const o = { ...DEFAULT_REPLACE_HEAD_OPTIONS, ...options };
  checkOneOf(o.activation, ['softmax', 'sigmoid', 'linear'], where, 'activation');
  checkOneOf(o.pooling, ['avg', 'max'], where, 'pooling');
  if (typeof o.dropout !== 'number' || !(o.dropout >= 0 && o.dropout < 1)) {
    throw new ConfigError(`${where}: dropout must be a rate in [0, 1), got ${describe(o.dropout)}`);
  }
  const info = modelInfo(model);
  const spec = styleSpec(info?.style ?? 'torchvision');
  let x = backboneOutput(model, where);
  if (x.shape.length === 4) {
    const name = o.pooling === 'avg' ? spec.globalAvgPool : spec.globalMaxPool;
    const pool = o.pooling === 'avg' ? tf.layers.globalAveragePooling2d({ name }) : tf.layers.globalMaxPooling2d({ name });
    x = pool.apply(x) as tf.SymbolicTensor;
  }
  if (o.dropout > 0) {
    x = tf.layers.dropout({ rate: o.dropout, name: DROPOUT_NAME[spec.name] }).apply(x) as tf.SymbolicTensor;
  }
  const fc = tf.layers.dense({ units: classes, activation: o.activation, name: spec.classifier, ...denseInits(spec, 'default') });
  const y = fc.apply(x) as tf.SymbolicTensor;
  const result = tf.model({ inputs: model.inputs, outputs: y, name: o.name ?? model.name });
  if (info !== undefined) setModelInfo(result, info);
  guardFrozenBatchNorm(result);
  return result;
}
