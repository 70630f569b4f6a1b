import type * as tf from '@tensorflow/tfjs';
import type { ResNetOptions } from './options.js';
import { BUILTIN_CATALOGS, type BuiltinModelName } from './catalogs/index.js';
import { MODEL_SOURCES, type ModelDefinition, type ModelFilter, type ModelSource, type RegisteredModel, type RegisterModelOptions } from './registry-types.js';

// The registry's types live in ./registry-types.ts (imported by the catalogs too); re-exported here for callers.
export { MODEL_SOURCES } from './registry-types.js';
export type { ModelDefinition, ModelFilter, ModelReference, ModelSource, RegisteredModel, RegisterModelOptions } from './registry-types.js';
import { ConfigError } from '../errors.js';
import { checkBoolean, checkOneOf, describe } from '../validate.js';
import { didYouMean } from './nearest-names.js';
import { modelInfo } from './model-info.js';
import { featuresOnly } from '../features/features-only.js';
import { loadPyTorchWeights, type LoadPyTorchWeightsOptions, type PyTorchWeightsSource } from '../weights/load-pytorch.js';
import { loadKerasWeights, type KerasWeightsSource } from '../weights/load-keras.js';
import type { LoadWeightsOptions } from '../weights/load-options.js';
import { createPretrainedModel, wantsPretrained } from '../pretrained/load.js';
import type { PretrainedOptions } from '../pretrained/options.js';
import type { PretrainedTag } from '../pretrained/catalog-data.js';

/**
 * A model name for {@link createModel} and {@link getModel}: one of the
 * built-in names ({@link BuiltinModelName}), which editors complete, or any
 * other string — a name registered at run time with {@link registerModel}.
 * (`string & Record<never, never>` keeps the literal union from collapsing
 * into `string`, so completion still lists the built-in names; an unknown
 * name is caught at run time with the nearest registered names suggested.
 * For a compile-time check, type a name as {@link BuiltinModelName}.)
 *
 * @example
 * ```ts
 * const builtin: ModelName = 'resnet50d';   // completed by the editor
 * const mine: ModelName = 'my_resnet';      // registered at run time
 * ```
 */
export type ModelName = BuiltinModelName | (string & Record<never, never>);

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const models = new Map<string, RegisteredModel>();
const builtins = new Set<string>();

function entryOf(name: string, def: ModelDefinition): RegisteredModel {
  const where = `registerModel("${name}")`;
  if (typeof def !== 'object' || def === null || typeof def.build !== 'function') {
    throw new ConfigError(`${where}: the definition must be an object with a build(options) function, got ${describe(def)}`);
  }
  const source = checkOneOf(def.source, MODEL_SOURCES, where, 'source');
  if (def.description !== undefined && typeof def.description !== 'string') {
    throw new ConfigError(`${where}: description must be a string, got ${describe(def.description)}`);
  }
  if (def.defaults !== undefined && (typeof def.defaults !== 'object' || def.defaults === null)) {
    throw new ConfigError(`${where}: defaults must be an options object such as { classes: 10 }, got ${describe(def.defaults)}`);
  }
  const build = def.build.bind(def);
  return Object.freeze({
    name,
    source,
    description: def.description ?? '',
    defaults: Object.freeze({ ...def.defaults }),
    config: def.config,
    reference: def.reference === undefined ? undefined : Object.freeze({ ...def.reference }),
    build,
  });
}

/**
 * Registers a model name for {@link createModel} and {@link listModels} —
 * how the library's own families are added, and how an application adds its
 * own networks. Names are letters, digits, `_`, `.` and `-`.
 *
 * @throws {@link ConfigError} for an invalid name or definition, or a name
 *   already registered (unless `override` for a user's name).
 *
 * @example
 * ```ts
 * registerModel('resnet10_cifar', {
 *   source: 'user',
 *   build: (options) => resnet({ block: 'basic', layers: [1, 1, 1, 1] }, options),
 *   defaults: { inputShape: [32, 32, 3], classes: 10 },
 * });
 * const model = createModel('resnet10_cifar');
 * ```
 */
export function registerModel(name: string, definition: ModelDefinition, options: RegisterModelOptions = {}): void {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new ConfigError(
      `registerModel: the name must be a non-empty string of letters, digits, "_", "." and "-" starting with a letter or digit, got ${describe(name)}`,
    );
  }
  ensureBuiltins();
  if (models.has(name)) {
    if (builtins.has(name)) {
      throw new ConfigError(`registerModel("${name}"): "${name}" is a built-in ${models.get(name)?.source} model and cannot be replaced; choose another name`);
    }
    if (options.override !== true) {
      throw new ConfigError(`registerModel("${name}"): "${name}" is already registered; pass { override: true } to replace it`);
    }
  }
  models.set(name, entryOf(name, definition));
}

/**
 * Removes a name registered with {@link registerModel}; returns whether it
 * was registered. Built-in names cannot be removed.
 *
 * @example
 * ```ts
 * unregisterModel('resnet10_cifar'); // true
 * ```
 */
export function unregisterModel(name: string): boolean {
  ensureBuiltins();
  if (builtins.has(name)) {
    throw new ConfigError(`unregisterModel("${name}"): "${name}" is a built-in model and cannot be removed`);
  }
  return models.delete(name);
}

let loaded = false;
function ensureBuiltins(): void {
  if (loaded) return;
  loaded = true;
  for (const catalog of BUILTIN_CATALOGS) {
    for (const [name, def] of Object.entries(catalog)) {
      if (models.has(name)) throw new ConfigError(`built-in model "${name}" is defined twice`);
      models.set(name, entryOf(name, def));
      builtins.add(name);
    }
  }
}

function unknown(name: unknown, where: string): ConfigError {
  const names = [...models.keys()];
  const hint = typeof name === 'string' ? didYouMean(name, names, 3) : '';
  return new ConfigError(`${where}: unknown model ${describe(name)}; ${hint}listModels() lists the ${names.length} registered names`);
}

/**
 * The registered model `name`.
 *
 * @throws {@link ConfigError} for an unknown name, suggesting the nearest registered names.
 *
 * @example
 * ```ts
 * const { source, reference } = getModel('resnet50d'); // 'timm', { trainableParams: 25576264, ... }
 * ```
 */
export function getModel(name: ModelName): RegisteredModel {
  return lookup(name, 'getModel');
}

/** The registered entry of `name`, or an unknown-name {@link ConfigError} from `where`. */
function lookup(name: unknown, where: string): RegisteredModel {
  ensureBuiltins();
  const entry = typeof name === 'string' ? models.get(name) : undefined;
  if (entry === undefined) throw unknown(name, where);
  return entry;
}

/**
 * Options of {@link createModel}: the model options plus timm's
 * `features_only`.
 *
 * @example
 * ```ts
 * const options: CreateModelOptions = { featuresOnly: true, outIndices: [2, 3, 4] };
 * const fpnBackbone = createModel('resnet50', options); // outputs layer2, layer3, layer4
 * ```
 */
export interface CreateModelOptions extends ResNetOptions {
  /**
   * Return a multi-output model of the feature maps (stem activation and
   * each stage's output), as timm's `features_only` — see {@link featuresOnly}.
   * @defaultValue false
   */
  featuresOnly?: boolean;
  /**
   * With `featuresOnly`: which levels to output (0 the stem, then the stages;
   * negative counts from the end).
   * @defaultValue every level
   */
  outIndices?: number[];
}

/**
 * Options of {@link createModel} with weights to load: the model is built
 * without random initialisation and resolves once its weights are loaded.
 *
 * @example
 * ```ts
 * const model = await createModel('resnet50', { weights: 'resnet50.safetensors', classifierActivation: 'linear' });
 * ```
 */
export interface CreateModelWithWeightsOptions extends CreateModelOptions {
  /**
   * The weights: a PyTorch state dict (path, URL or bytes of a `torch.save`
   * checkpoint or safetensors file, or a tensor map) for torchvision/timm-style models, loaded with
   * {@link loadPyTorchWeights}; a tfjs weights manifest for Keras-style
   * models, loaded with {@link loadKerasWeights}.
   */
  weights: PyTorchWeightsSource | KerasWeightsSource;
  /**
   * Options of the loader (strictness, progress; for PyTorch checkpoints also
   * `checkpointKey` and `useEma`, see {@link LoadPyTorchWeightsOptions}).
   * @defaultValue strict loading
   */
  weightsOptions?: LoadWeightsOptions | LoadPyTorchWeightsOptions;
}

/**
 * Options of {@link createModel} with published weights: the model options,
 * which weights, and how to fetch and cache them ({@link PretrainedOptions}).
 *
 * @example
 * ```ts
 * const model = await createModel('resnet50', { pretrained: true, classifierActivation: 'linear' });
 * const tuned = await createModel('resnet50.a1_in1k', { pretrained: true, classes: 10 }); // new classifier
 * const cifar = await createModel('resnet32', { pretrained: true, mirror: 'http://127.0.0.1:8080' });
 * ```
 */
export interface CreatePretrainedOptions extends CreateModelOptions, PretrainedOptions {
  /**
   * Which published weights: `true` for those the name says (a tag such as
   * `resnet50.tv2_in1k`, or a model name for its default weights); or a tag;
   * a weights name of the model (`'a1_in1k'`); or torchvision's enum name
   * (`'IMAGENET1K_V2'`, `'DEFAULT'`).
   */
  pretrained: true | string;
  /**
   * Options of the weight loader (strictness, progress of the assignment).
   * @defaultValue strict loading
   */
  weightsOptions?: Pick<LoadWeightsOptions, 'strict' | 'onProgress'>;
}

/**
 * Builds a registered model by name, timm-style: `createModel('resnext50_32x4d')`.
 * Names follow the source whose weights they match (torchvision, timm,
 * Keras, paper); layer names are that source's module paths, so its weights
 * load by name. `options` go over the model's own defaults. With `weights`
 * it skips random initialisation (`init: 'zeros'`), loads them, and returns
 * a promise of the loaded model. With `pretrained` it returns a promise of
 * the model with published weights — the name may be a tag such as
 * `resnet50.a1_in1k`, or a model name for its default weights — downloaded
 * once into a verified cache (see {@link CreatePretrainedOptions},
 * {@link listPretrained}); `weights` may also be a torchvision enum name
 * (`'IMAGENET1K_V2'`).
 *
 * @throws {@link ConfigError} for an unknown name (suggesting the nearest
 *   registered names) or invalid options; with `pretrained`, the promise
 *   rejects with a `ConfigError` for an unknown tag (with a did-you-mean hint)
 *   and a `FetchError` when the weights cannot be downloaded or verified.
 *
 * @example
 * ```ts
 * const model = createModel('seresnet50', { classifierActivation: 'linear', init: 'zeros' });
 * const backbone = createModel('resnet50d', { includeTop: false, outputStride: 16 });
 * const features = createModel('resnet18', { featuresOnly: true, outIndices: [1, 2, 3, 4] });
 * const loaded = await createModel('resnet50', { weights: 'resnet50.safetensors' });
 * const trained = await createModel('resnet50', { pretrained: true }); // torchvision's DEFAULT weights
 * const cifar = await createModel('resnet32.akamaster_cifar10', { pretrained: true });
 * ```
 */
export function createModel(name: ModelName | PretrainedTag, options: CreatePretrainedOptions): Promise<tf.LayersModel>;
export function createModel(name: ModelName, options: CreateModelWithWeightsOptions): Promise<tf.LayersModel>;
export function createModel(name: ModelName, options?: CreateModelOptions): tf.LayersModel;
export function createModel(
  name: ModelName,
  options: CreateModelOptions | CreateModelWithWeightsOptions | CreatePretrainedOptions = {},
): tf.LayersModel | Promise<tf.LayersModel> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`createModel("${name}"): options must be an object, got ${describe(options)}`);
  }
  // Published weights (`pretrained`, or a torchvision enum name as `weights`): src/pretrained.
  if (wantsPretrained(options as { pretrained?: unknown })) {
    return createPretrainedModel(name, options as CreatePretrainedOptions, (model, modelOptions) => createModel(model, modelOptions));
  }
  const entry = lookup(name, 'createModel');
  const { featuresOnly: asFeatures, outIndices, weights, weightsOptions, ...modelOptions } = options as Partial<CreateModelWithWeightsOptions>;
  if (asFeatures !== undefined) checkBoolean(asFeatures, `createModel("${name}")`, 'featuresOnly');
  const finish = (model: tf.LayersModel): tf.LayersModel => (asFeatures ? featuresOnly(model, { outIndices }) : model);
  if (weights === undefined) {
    // Without weights to load, a features model needs no classifier.
    return finish(entry.build({ name, ...entry.defaults, ...modelOptions, ...(asFeatures ? { includeTop: false } : {}) }));
  }
  const model = entry.build({ name, init: 'zeros', ...entry.defaults, ...modelOptions });
  const load =
    modelInfo(model)?.style === 'keras'
      ? loadKerasWeights(model, weights as KerasWeightsSource, weightsOptions)
      : loadPyTorchWeights(model, weights as PyTorchWeightsSource, weightsOptions);
  return load.then(
    () => finish(model),
    (error: unknown) => {
      model.dispose();
      throw error;
    },
  );
}

/**
 * The registered model names, in registration order (the library's families
 * first), optionally filtered by source and name.
 *
 * @example
 * ```ts
 * listModels();                                  // ['resnet18', 'resnet34', ..., 'seresnext50_32x4d', ...]
 * listModels({ source: 'timm', match: 'se' });    // ['seresnet18', 'seresnet34', ...]
 * ```
 */
export function listModels(filter: ModelFilter = {}): string[] {
  ensureBuiltins();
  const sources = filter.source === undefined ? undefined : ([] as ModelSource[]).concat(filter.source as ModelSource);
  sources?.forEach((s) => checkOneOf(s, MODEL_SOURCES, 'listModels', 'source'));
  const { match } = filter;
  if (match !== undefined && typeof match !== 'string' && !(match instanceof RegExp)) {
    throw new ConfigError(`listModels: match must be a string or a RegExp, got ${describe(match)}`);
  }
  const test = (name: string): boolean =>
    match === undefined ? true : typeof match === 'string' ? name.includes(match) : new RegExp(match.source, match.flags.replace('g', '')).test(name);
  return [...models.values()].filter((m) => (sources === undefined || sources.includes(m.source)) && test(m.name)).map((m) => m.name);
}
