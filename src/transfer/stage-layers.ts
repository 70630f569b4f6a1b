import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { featureLevels } from '../features/feature-info.js';
import { describe } from '../validate.js';

/** The layers of one feature level: those its output needs that earlier levels do not. @internal */
export interface StageLayers {
  /** The level's name: `act1` (the stem), `layer1`, …. */
  readonly name: string;
  /** Its layers, in the model's order. */
  readonly layers: readonly tf.layers.Layer[];
}

/**
 * Splits a model tfjs-resnet built into its feature levels by the graph:
 * level k holds every layer the output of level k depends on that level
 * k−1's output does not (the stem holds the stem up to `act1`; `layer1`
 * starts with the stem's max pool). Layers after the last level (the head)
 * belong to none. Independent of naming style.
 * @internal
 */
export function stageLayers(model: tf.LayersModel, where: string): StageLayers[] {
  const levels = featureLevels(model, where);
  const inModel = new Set(model.layers);
  const assigned = new Set<tf.layers.Layer>();
  const stages: StageLayers[] = [];
  for (const level of levels) {
    const mine = new Set<tf.layers.Layer>();
    const stack: tf.layers.Layer[] = [model.getLayer(level.layer)];
    while (stack.length > 0) {
      const layer = stack.pop() as tf.layers.Layer;
      if (!inModel.has(layer) || assigned.has(layer) || mine.has(layer)) continue;
      mine.add(layer);
      for (const node of layer.inboundNodes) stack.push(...node.inboundLayers);
    }
    mine.forEach((l) => assigned.add(l));
    stages.push({ name: level.name, layers: model.layers.filter((l) => mine.has(l)) });
  }
  return stages;
}

/** The index of stage `name` among `stages`; a {@link ConfigError} naming the valid ones otherwise. @internal */
export function stageIndex(stages: readonly StageLayers[], name: unknown, where: string): number {
  const i = stages.findIndex((s) => s.name === name);
  if (i < 0) {
    throw new ConfigError(`${where}: unknown stage ${describe(name)}; valid stages of this model are ${stages.map((s) => `"${s.name}"`).join(', ')}`);
  }
  return i;
}
