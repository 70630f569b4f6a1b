import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';
import { allLayers, guardFrozenBatchNorm } from './frozen-batch-norm.js';
import { stageIndex, stageLayers, type StageLayers } from './stage-layers.js';
import { paramCount } from '../models/summary.js';

/**
 * What a freeze or unfreeze did.
 *
 * @example
 * ```ts
 * const { layers, trainableParams } = freezeUpTo(model, 'layer3');
 * console.log(`${layers.length} layers frozen, ${trainableParams} parameters left to train`);
 * ```
 */
export interface FreezeResult {
  /** Names of the layers whose `trainable` flag was set (those with weights or not). */
  readonly layers: readonly string[];
  /** Trainable parameters of the model afterwards. */
  readonly trainableParams: number;
}

/**
 * Sets `trainable` on the given layers, keeps frozen BatchNorm layers in
 * inference mode, and refreshes the weights a compiled model trains
 * (tfjs collects them at `compile` time).
 */
function setTrainable(model: tf.LayersModel, layers: readonly tf.layers.Layer[], trainable: boolean): FreezeResult {
  for (const layer of layers) layer.trainable = trainable;
  guardFrozenBatchNorm(model);
  // tfjs-layers trains the weights collected at compile(); without this a
  // model compiled before freezing would go on updating its frozen weights.
  const compiled = model as unknown as { collectedTrainableWeights?: tf.LayerVariable[] };
  if (compiled.collectedTrainableWeights != null) compiled.collectedTrainableWeights = model.trainableWeights;
  return { layers: layers.map((l) => l.name), trainableParams: paramCount(model.trainableWeights) };
}

/** The layers of the named stages (of `all`, from `stageLayers`); an unknown name is a {@link ConfigError}. */
function layersOfStages(all: readonly StageLayers[], stages: readonly string[], where: string): tf.layers.Layer[] {
  const chosen = new Set(stages.map((s) => stageIndex(all, s, where)));
  return all.filter((_, i) => chosen.has(i)).flatMap((s) => s.layers);
}

/**
 * Freezes a network from its input up to and including stage `stage` —
 * `'act1'` (the stem), `'layer1'` … `'layer4'` for ResNets — the usual
 * fine-tuning set-up: the early, generic features stay fixed while the later
 * stages and the head train. Frozen layers get `trainable = false`, and their
 * BatchNorm layers run in inference mode during `fit` (see
 * {@link guardFrozenBatchNorm}); layers after the stage are left as they are.
 *
 * Stages are found from the graph (see {@link featureInfo} for their names),
 * so any style and custom `resnet(config)` nets work. Freeze before
 * `compile`, as in Keras; a model compiled already has its list of trained
 * weights refreshed.
 *
 * @param model - a model built by tfjs-resnet (or a model from {@link replaceHead} / {@link featuresOnly} of one).
 * @param stage - the last stage to freeze.
 * @returns the frozen layers' names and the trainable parameters left.
 * @throws {@link ConfigError} for an unknown stage (the message lists the
 *   model's stages) or a model tfjs-resnet did not build.
 *
 * @example
 * ```ts
 * import { resnet50, replaceHead, freezeUpTo } from 'tfjs-resnet';
 * const model = replaceHead(resnet50({ init: 'zeros' }), 5); // then load pretrained weights into the backbone
 * freezeUpTo(model, 'layer3');                               // train layer4 and the new head only
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * ```
 */
export function freezeUpTo(model: tf.LayersModel, stage: string): FreezeResult {
  const stages = stageLayers(model, 'freezeUpTo');
  const last = stageIndex(stages, stage, 'freezeUpTo');
  return setTrainable(
    model,
    stages.slice(0, last + 1).flatMap((s) => s.layers),
    false,
  );
}

/**
 * Freezes the named stages only (e.g. `['act1', 'layer1']`), leaving every
 * other layer as it is. See {@link freezeUpTo} for what freezing does.
 *
 * @param model - a model built by tfjs-resnet.
 * @param stages - stage names from {@link featureInfo}: `'act1'`, `'layer1'`, ….
 * @returns the frozen layers' names and the trainable parameters left.
 * @throws {@link ConfigError} for an unknown stage or an empty list.
 *
 * @example
 * ```ts
 * freezeStages(model, ['act1', 'layer1', 'layer2']); // the same as freezeUpTo(model, 'layer2')
 * ```
 */
export function freezeStages(model: tf.LayersModel, stages: readonly string[]): FreezeResult {
  const all = stageLayers(model, 'freezeStages');
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new ConfigError(
      `freezeStages: stages must be a non-empty array of stage names (${all.map((s) => `"${s.name}"`).join(', ')}), got ${describe(stages)}`,
    );
  }
  return setTrainable(model, layersOfStages(all, stages, 'freezeStages'), false);
}

/**
 * Makes layers trainable again: the named stages, or every layer of the
 * model (head included) when `stages` is omitted — e.g. for a second,
 * low-learning-rate phase of fine-tuning. Their BatchNorm layers train
 * normally again (batch statistics in `fit`, moving statistics updated).
 * Works on any `tf.LayersModel` when `stages` is omitted.
 *
 * @param model - the model.
 * @param stages - stage names from {@link featureInfo}; all layers when omitted.
 * @returns the unfrozen layers' names and the trainable parameters now.
 * @throws {@link ConfigError} for an unknown stage.
 *
 * @example
 * ```ts
 * freezeUpTo(model, 'layer4');     // phase 1: train the head
 * unfreeze(model, ['layer4']);     // phase 2: the last stage too
 * unfreeze(model);                 // phase 3: everything
 * model.compile({ optimizer: tf.train.sgd(1e-4), loss: 'categoricalCrossentropy' });
 * ```
 */
export function unfreeze(model: tf.LayersModel, stages?: readonly string[]): FreezeResult {
  if (stages === undefined) {
    model.trainable = true; // undoes `model.trainable = false`, which leaves the layers' own flags alone
    return setTrainable(model, allLayers(model), true);
  }
  return setTrainable(model, layersOfStages(stageLayers(model, 'unfreeze'), stages, 'unfreeze'), true);
}
