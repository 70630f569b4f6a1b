import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../models/nearest-names.js';
import type { ResNetOptions } from '../models/options.js';
import { createModel, getModel, listModels, type RegisteredModel } from '../models/registry.js';
import { PROGRAM, type OptionValues } from './command.js';

/**
 * The registry entry of `name`; an unknown name gives a {@link ConfigError}
 * suggesting the nearest names and how to list them all.
 * @internal
 */
export function modelEntry(name: string, command: string): RegisteredModel {
  const names = listModels();
  if (!names.includes(name)) {
    throw new ConfigError(
      `${PROGRAM} ${command}: unknown model "${name}"; ${didYouMean(name, names, 3)}valid models include ${names.slice(0, 8).join(', ')}, … (\`${PROGRAM} models\` lists all ${names.length})`,
    );
  }
  return getModel(name);
}

/** Builds the model of a registry entry (from {@link modelEntry}). @internal */
export function buildModel(entry: RegisteredModel, options: ResNetOptions): tf.LayersModel {
  return createModel(entry.name, options);
}

/**
 * The model of a registry entry, built to receive weights (`init: 'zeros'`),
 * ending in logits when `--logits` was given, else as registered.
 * @internal
 */
export function buildForWeights(entry: RegisteredModel, inputShape: [number | null, number | null, number], values: OptionValues): tf.LayersModel {
  return buildModel(entry, { init: 'zeros', inputShape, ...(values.logits === true ? { classifierActivation: 'linear' as const } : {}) });
}

/** The input shape of an entry's model: `--input` height×width when given, else its default (224×224×3 for ImageNet models). @internal */
export function inputShapeFor(entry: RegisteredModel, hw: [number, number] | undefined): [number | null, number | null, number] {
  const defaultShape = entry.defaults.inputShape ?? [224, 224, 3];
  return hw === undefined ? defaultShape : [hw[0], hw[1], defaultShape[2]];
}
