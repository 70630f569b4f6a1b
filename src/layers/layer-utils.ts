/**
 * Small pieces shared by the custom layers of `src/layers`: argument types,
 * (de)serialization of initializers and activations through tfjs's public
 * serialization map, input unwrapping and registration.
 * @internal
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';
import { checkInteger, checkOneOf, describe } from '../validate.js';

/**
 * The arguments every tfjs layer takes (`name`, `trainable`, `inputShape`,
 * `batchInputShape`, `batchSize`, `dtype`, `weights`, `inputDType`).
 * @internal
 */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** A tfjs-layers initializer instance, e.g. `tf.initializers.heNormal({})`. @internal */
export type Initializer = ReturnType<typeof tf.initializers.heNormal>;

/** What a layer's `call` receives besides its inputs (`training`, `mask`…). @internal */
export type CallKwargs = Parameters<tf.layers.Layer['call']>[1];

/** The tfjs activation identifiers (those of `tf.layers.activation`). @internal */
type TfjsActivation = Parameters<typeof tf.layers.activation>[0]['activation'];

/**
 * The activations a layer of tfjs-resnet accepts: the identifiers of
 * `tf.layers.activation` / `tf.layers.conv2d`.
 *
 * @example
 * ```ts
 * LAYER_ACTIVATIONS.includes('relu'); // true
 * ```
 */
export const LAYER_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'softplus',
  'softsign',
  'tanh',
  'softmax',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
] as const satisfies readonly TfjsActivation[];

/**
 * An activation identifier, as `tf.layers.conv2d({ activation })` takes it.
 *
 * @example
 * ```ts
 * const act: LayerActivation = 'relu';
 * ```
 */
export type LayerActivation = (typeof LAYER_ACTIVATIONS)[number];

/**
 * The initializer names a layer of tfjs-resnet accepts in place of an
 * initializer instance (those of `tf.initializers` that need no argument).
 *
 * @example
 * ```ts
 * LAYER_INITIALIZERS.includes('heNormal'); // true
 * ```
 */
export const LAYER_INITIALIZERS = [
  'zeros',
  'ones',
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'leCunNormal',
  'leCunUniform',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'orthogonal',
] as const;

/**
 * An initializer name, as `tf.layers.conv2d({ kernelInitializer })` takes it.
 *
 * @example
 * ```ts
 * const init: LayerInitializer = 'heNormal';
 * ```
 */
export type LayerInitializer = (typeof LAYER_INITIALIZERS)[number];

/** A registered tfjs class and its `fromConfig`. */
type Registered = [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, tf.serialization.FromConfigMethod<tf.serialization.Serializable>];

function registered(className: string): Registered | undefined {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  return Object.prototype.hasOwnProperty.call(map, className) ? map[className] : undefined;
}

function isInitializer(value: unknown): value is Initializer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { apply?: unknown }).apply === 'function' &&
    typeof (value as { getClassName?: unknown }).getClassName === 'function' &&
    typeof (value as { getConfig?: unknown }).getConfig === 'function'
  );
}

function isConfigObject(value: unknown): value is { className: string; config?: tf.serialization.ConfigDict } {
  return typeof value === 'object' && value !== null && typeof (value as { className?: unknown }).className === 'string';
}

/**
 * An initializer from an instance, a name of {@link LAYER_INITIALIZERS} or a
 * serialized `{ className, config }` (as `getConfig()` writes it and
 * `fromConfig` reads it back).
 * @throws {@link ConfigError} for anything else.
 * @internal
 */
export function resolveInitializer(value: unknown, where: string, what: string): Initializer {
  if (isInitializer(value)) return value;
  let className: string;
  let config: tf.serialization.ConfigDict = {};
  if (typeof value === 'string') {
    const name = checkOneOf(value, LAYER_INITIALIZERS, where, what);
    className = name.charAt(0).toUpperCase() + name.slice(1);
  } else if (isConfigObject(value)) {
    className = value.className;
    config = value.config ?? {};
  } else {
    throw new ConfigError(
      `${where}: ${what} must be an initializer (e.g. tf.initializers.heNormal({})), one of ${LAYER_INITIALIZERS.join(', ')}, or a serialized { className, config }; got ${describe(value)}`,
    );
  }
  const entry = registered(className);
  const made = entry === undefined ? undefined : entry[1](entry[0], { ...config });
  if (!isInitializer(made)) {
    throw new ConfigError(`${where}: ${what} names an unknown initializer class ${describe(className)}`);
  }
  return made;
}

/** The serialized form `{ className, config }` of an initializer. @internal */
export function serializeInitializer(init: Initializer): tf.serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() };
}

/** What an activation does to a tensor. @internal */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/**
 * The identifier and function of an activation given as an identifier of
 * {@link LAYER_ACTIVATIONS} (`undefined`/`null` → `'linear'`).
 * @throws {@link ConfigError} for an unknown identifier.
 * @internal
 */
export function resolveActivation(value: unknown, where: string): { name: LayerActivation; apply: ActivationFn } {
  // tfjs's pythonic round trip turns 'gelu_new' into 'geluNew'.
  const raw = value == null ? 'linear' : value === 'geluNew' ? 'gelu_new' : value;
  const name = checkOneOf(raw, LAYER_ACTIVATIONS, where, 'activation');
  const entry = registered(name);
  const made = entry === undefined ? undefined : (entry[1](entry[0], {}) as unknown as { apply?: unknown });
  if (made === undefined || typeof made.apply !== 'function') {
    throw new ConfigError(`${where}: activation ${describe(name)} is not registered with tfjs`);
  }
  const fn = made as unknown as { apply(x: tf.Tensor): tf.Tensor };
  return { name, apply: (x) => fn.apply(x) };
}

/** The single tensor of a layer's inputs. @internal */
export function oneTensor(inputs: tf.Tensor | tf.Tensor[], where: string): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new ShapeError(`${where}: expects exactly one input tensor, got ${inputs.length}`);
  return inputs[0];
}

/** The single shape of a layer's input shapes. @internal */
export function oneShape(inputShape: tf.Shape | tf.Shape[], where: string): tf.Shape {
  if (Array.isArray(inputShape[0])) {
    const shapes = inputShape as tf.Shape[];
    if (shapes.length !== 1) throw new ShapeError(`${where}: expects exactly one input, got ${shapes.length}`);
    return shapes[0];
  }
  return inputShape as tf.Shape;
}

/** A number or `[a, b]` argument as a pair of integers ≥ 1. @internal */
export function pairArg(value: number | readonly number[], where: string, what: string): [number, number] {
  if (typeof value === 'number') {
    checkInteger(value, where, what);
    return [value, value];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [checkInteger(value[0], where, what), checkInteger(value[1], where, what)];
  }
  throw new ConfigError(`${where}: ${what} must be an integer ≥ 1 or a pair of them, got ${describe(value)}`);
}

/** `GroupedConv2D "name"`, the subject of a layer's error messages. @internal */
export function layerWhere(className: string, name: string): string {
  return `${className} "${name}"`;
}

/** The package name under which the layers are registered (`TfjsResnet>GroupedConv2D`). @internal */
export const REGISTRY_PACKAGE = 'TfjsResnet';
