/**
 * `createModel(name, { pretrained: true })`: a registered network with
 * published weights, fetched through the verified cache.
 * @module
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, PyTorchFileError, SafetensorsError, WeightsError } from '../errors.js';
import { featuresOnly } from '../features/features-only.js';
import type { ResNetOptions } from '../models/options.js';
import { checkBoolean, describe } from '../validate.js';
import { loadPyTorchWeights } from '../weights/load-pytorch.js';
import type { LoadWeightsOptions } from '../weights/load-options.js';
import { discardUnverified, fetchPretrained, type FetchedWeights } from './cache.js';
import { findPretrained, TORCHVISION_ENUM, torchvisionWeightsTag } from './catalog.js';
import { resolvePretrainedOptions, type PretrainedOptions } from './options.js';
import { setPretrainedInfo, type ClassifierState } from './info.js';

/**
 * What {@link createPretrainedModel} takes: `createModel`'s options with
 * published weights (`CreatePretrainedOptions`), loosely typed — the caller
 * (the registry, a preset) checks the types it exposes.
 * @internal
 */
export interface PretrainedRequest extends ResNetOptions, PretrainedOptions {
  pretrained?: unknown;
  weights?: unknown;
  weightsOptions?: Pick<LoadWeightsOptions, 'strict' | 'onProgress'>;
  featuresOnly?: boolean;
  outIndices?: number[];
}

/**
 * Builds a registered model without weights (the registry's `createModel`, or
 * a preset's builder), so that this module needs no import of the registry.
 * @internal
 */
export type BuildModel = (model: string, options: ResNetOptions) => tf.LayersModel;

/**
 * Whether `createModel` options ask for published weights: `pretrained` (not
 * `false`), or `weights` naming a torchvision enum (`'IMAGENET1K_V2'`, `'DEFAULT'`).
 * @internal
 */
export function wantsPretrained(options: { pretrained?: unknown; weights?: unknown }): boolean {
  const { pretrained, weights } = options;
  return (pretrained !== undefined && pretrained !== false) || (typeof weights === 'string' && TORCHVISION_ENUM.test(weights));
}

/** The tag a `createModel` call asks for (see {@link wantsPretrained}). */
function requestedTag(name: string, options: { pretrained?: unknown; weights?: unknown }, where: string): string {
  const { pretrained, weights } = options;
  if (pretrained === undefined || pretrained === false) {
    const tag = torchvisionWeightsTag(name, weights, where);
    if (tag !== undefined) return tag;
    throw new ConfigError(
      `${where}: weights must name torchvision's weights ("DEFAULT", "IMAGENET1K_V1", "IMAGENET1K_V2"), got ${describe(weights)}; ` +
        `for a file of your own use createModel(name, { weights: path })`,
    );
  }
  if (weights !== undefined) {
    throw new ConfigError(`${where}: pass either pretrained (published weights) or weights (your own file), not both`);
  }
  if (pretrained === true) return name;
  if (typeof pretrained !== 'string' || pretrained === '') {
    throw new ConfigError(
      `${where}: pretrained must be true, a tag such as "resnet50.tv2_in1k", or a weights name such as "IMAGENET1K_V2", got ${describe(pretrained)}`,
    );
  }
  const model = name.includes('.') ? findPretrained(name, where).model : name;
  const enumTag = torchvisionWeightsTag(model, pretrained, where);
  if (enumTag !== undefined) return enumTag;
  return pretrained.includes('.') ? pretrained : `${model}.${pretrained}`;
}

/**
 * Builds the model of the weights `options` ask for (see
 * {@link wantsPretrained}) with `build`, and loads them.
 * @internal
 */
export async function createPretrainedModel(name: string, options: PretrainedRequest, build: BuildModel): Promise<tf.LayersModel> {
  const where = `createModel("${name}")`;
  const entry = findPretrained(requestedTag(name, options, where), where);
  const model = name.includes('.') ? entry.model : name;
  if (model !== entry.model) {
    throw new ConfigError(`${where}: the weights "${entry.tag}" are for ${entry.model}, not ${model}; use createModel("${entry.tag}", { pretrained: true })`);
  }
  const {
    pretrained: _pretrained,
    weights: _weights,
    weightsOptions,
    cacheDir,
    offline,
    mirror,
    headers,
    timeoutMs,
    signal,
    onProgress,
    featuresOnly: asFeatures,
    outIndices,
    ...modelOptions
  } = options;
  if (asFeatures !== undefined) checkBoolean(asFeatures, where, 'featuresOnly');
  const fetchOptions = resolvePretrainedOptions({ cacheDir, offline, mirror, headers, timeoutMs, signal, onProgress }, where);

  // Built before the download, so that invalid model options fail at once.
  const headless = modelOptions.includeTop === false || asFeatures === true;
  const classes = modelOptions.classes ?? entry.classes;
  const classifier: ClassifierState = headless ? 'omitted' : classes === entry.classes ? 'loaded' : 'reinitialized';
  const built = build(entry.model, {
    inputShape: [...entry.data.inputSize, 3],
    ...(entry.style !== undefined ? { style: entry.style } : {}),
    ...(classifier === 'reinitialized' ? {} : { init: 'zeros' as const }),
    ...modelOptions,
    ...(asFeatures === true ? { includeTop: false } : {}),
    classes,
  });
  let fetched: FetchedWeights | undefined;
  try {
    fetched = await fetchPretrained(entry, fetchOptions, where);
    const report = await loadPyTorchWeights(built, fetched.source, {
      ...weightsOptions,
      skipKeys: classifier === 'loaded' ? undefined : [`${entry.classifier}.weight`, `${entry.classifier}.bias`],
    });
    const result = asFeatures === true ? featuresOnly(built, { outIndices }) : built;
    setPretrainedInfo(result, {
      weights: entry,
      file: typeof fetched.source === 'string' ? fetched.source : fetched.file.url,
      downloaded: fetched.downloaded,
      classifier,
      report,
    });
    return result;
  } catch (error) {
    built.dispose();
    // A file whose contents do not load (malformed, or not these weights) must not stay cached as if it were
    // good — unless its digest was verified: then it is the publisher's file and stays.
    if (fetched !== undefined && (error instanceof WeightsError || error instanceof SafetensorsError || error instanceof PyTorchFileError)) {
      const file = fetched;
      if (await discardUnverified(file).catch(() => false)) {
        error.message += ` (the file ${typeof file.source === 'string' ? file.source : file.file.url} was removed from the cache)`;
      }
    }
    throw error;
  }
}
