import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../models/nearest-names.js';
import type { ResNetOptions } from '../models/options.js';
import { createModel, getModel, listModels, type RegisteredModel } from '../models/registry.js';
import { PROGRAM } from './command.js';

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

/** Builds model `name` from the registry, after checking the name. @internal */
export function buildModel(name: string, options: ResNetOptions, command: string): tf.LayersModel {
  modelEntry(name, command);
  return createModel(name, options);
}
