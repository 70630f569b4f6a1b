// The registry's types: what a model definition, a registered model and a
// filter are. Catalogs (./catalogs) and the registry (./registry.ts) both
// import them; this module imports neither.
import type * as tf from '@tensorflow/tfjs';
import type { ResNetOptions } from './options.js';
import type { ResNetConfig } from './resnet.js';

/**
 * Whose network a model name reproduces — and so whose weights it loads:
 * `'torchvision'`, `'timm'`, `'keras'` (Keras Applications), `'paper'` (a
 * paper's own configuration, e.g. the CIFAR-10 ResNets of He et al.) or
 * `'user'` (registered by the application).
 *
 * @example
 * ```ts
 * const timmNames = listModels({ source: 'timm' });
 * ```
 */
export type ModelSource = 'torchvision' | 'timm' | 'keras' | 'paper' | 'user';

/**
 * Every {@link ModelSource}.
 *
 * @example
 * ```ts
 * for (const source of MODEL_SOURCES) console.log(source, listModels({ source }).length);
 * ```
 */
export const MODEL_SOURCES: readonly ModelSource[] = ['torchvision', 'timm', 'keras', 'paper', 'user'];

/**
 * Reference figures of a model, as its source reports them — what tests
 * check the built network against.
 *
 * @example
 * ```ts
 * const ref: ModelReference = { trainableParams: 25_557_032, buffers: 53_120 };
 * ```
 */
export interface ModelReference {
  /** Trainable parameters (PyTorch: `sum(p.numel() for p in model.parameters())`). */
  readonly trainableParams?: number;
  /** Non-trainable values: BatchNorm running means and variances (PyTorch buffers without `num_batches_tracked`). */
  readonly buffers?: number;
  /** All parameters as Keras counts them (`model.count_params()`). */
  readonly totalParams?: number;
  /** Multiply–adds of one 224×224 image, counted over convolutions and linear layers as torchvision's figures are. */
  readonly macs224?: number;
}

/**
 * What {@link registerModel} takes: how to build the network and where it
 * comes from.
 *
 * @example
 * ```ts
 * const def: ModelDefinition = {
 *   source: 'user',
 *   description: 'ResNet-10 for 64×64 inputs',
 *   build: (options) => resnet({ block: 'basic', layers: [1, 1, 1, 1] }, options),
 *   defaults: { inputShape: [64, 64, 3], classes: 10 },
 * };
 * ```
 */
export interface ModelDefinition {
  /**
   * Builds the network. It receives the caller's options over the
   * definition's `defaults`, with `name` defaulting to the registered name.
   */
  build(options: ResNetOptions): tf.LayersModel;
  /** Whose network this is. */
  source: ModelSource;
  /**
   * A one-line description.
   * @defaultValue `''`
   */
  description?: string;
  /**
   * Options that differ from the library's defaults for this model (e.g.
   * `inputShape: [32, 32, 3]` and `classes: 10` for a CIFAR net); the caller's
   * options override them.
   * @defaultValue `{}`
   */
  defaults?: ResNetOptions;
  /**
   * The architecture, when the model is `resnet(config)` — so users can
   * start from it: `resnet({ ...getModel('resnet50d').config!, layers: [2, 2, 2, 2] })`.
   */
  config?: ResNetConfig;
  /** Reference figures from the source. */
  reference?: ModelReference;
}

/**
 * A registered model: its {@link ModelDefinition} and name.
 *
 * @example
 * ```ts
 * const entry: RegisteredModel = getModel('seresnet50');
 * console.log(entry.source, entry.reference?.trainableParams); // 'timm' 28088024
 * ```
 */
export interface RegisteredModel {
  /** The registered name. */
  readonly name: string;
  /** Whose network this is. */
  readonly source: ModelSource;
  /** A one-line description. */
  readonly description: string;
  /** Options that differ from the library's defaults for this model. */
  readonly defaults: Readonly<ResNetOptions>;
  /** The architecture, when the model is `resnet(config)`. */
  readonly config?: ResNetConfig;
  /** Reference figures from the source. */
  readonly reference?: ModelReference;
  /** Builds the network; {@link createModel} is the usual way to call it. */
  build(options: ResNetOptions): tf.LayersModel;
}

/**
 * Options of {@link registerModel}.
 *
 * @example
 * ```ts
 * registerModel('my_resnet', def, { override: true });
 * ```
 */
export interface RegisterModelOptions {
  /**
   * Replace a name registered before (a user's own; built-in names cannot be replaced).
   * @defaultValue false
   */
  override?: boolean;
}

/**
 * A filter of {@link listModels}.
 *
 * @example
 * ```ts
 * listModels({ source: ['torchvision', 'timm'], match: /^seresn/ });
 * ```
 */
export interface ModelFilter {
  /** Only models of this source (or these sources). */
  source?: ModelSource | readonly ModelSource[];
  /** Only names containing this string, or matching this regular expression. */
  match?: string | RegExp;
}
