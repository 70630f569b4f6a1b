import type { OnnxLowering } from '../onnx/lowering.js';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';

/**
 * How {@link optimizeForInference} and {@link exportOnnx} treat a layer class
 * they don't know (a custom layer of yours). Register one with
 * {@link registerInferenceRule}.
 *
 * @example
 * ```ts
 * // A custom dropout-like layer: the identity at inference.
 * registerInferenceRule('MyStochasticDepth', { identity: true });
 * // A custom layer computing x·2 in ONNX.
 * registerInferenceRule('Double', {
 *   onnx: (ctx) => [ctx.node('Mul', [ctx.inputs[0].name, ctx.constant([2], [])])[0]],
 * });
 * ```
 */
export interface InferenceRule {
  /**
   * The layer is the identity at inference (dropout, stochastic depth…): the
   * optimizer removes it and the exporter skips it.
   * @defaultValue false
   */
  readonly identity?: boolean;
  /**
   * Lowers one application of the layer to ONNX nodes; returns the ONNX value
   * names of its outputs. Without it, {@link exportOnnx} refuses the layer.
   * ({@link optimizeForInference} copies layers it does not transform through
   * their config and weights, so it needs no rule.)
   */
  readonly onnx?: OnnxLowering;
}

/** Layers that are the identity at inference, built in. */
const IDENTITY_CLASSES: ReadonlySet<string> = new Set([
  'DropPath',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);

/** Convolutions whose kernel is `[kh, kw, in/groups, out]`: BN folds into them. */
const CONV_CLASSES: ReadonlySet<string> = new Set(['Conv2D', 'GroupedConv2D']);

const rules = new Map<string, InferenceRule>();

/**
 * Tells {@link optimizeForInference} and {@link exportOnnx} how to treat a
 * custom layer class, by its tfjs class name (`layer.getClassName()`).
 * Registering a class again replaces its rule. Built-in classes (Conv2D,
 * BatchNormalization, …) cannot be overridden.
 *
 * @example
 * ```ts
 * registerInferenceRule('MyDropBlock', { identity: true });
 * const fast = optimizeForInference(model); // MyDropBlock layers removed
 * ```
 */
export function registerInferenceRule(className: string, rule: InferenceRule): void {
  if (typeof className !== 'string' || className.length === 0) {
    throw new ConfigError(`registerInferenceRule: className must be a non-empty string, got ${describe(className)}`);
  }
  if (CONV_CLASSES.has(className) || className === 'BatchNormalization' || className === 'InputLayer') {
    throw new ConfigError(`registerInferenceRule: "${className}" is handled by tfjs-resnet itself and cannot be overridden`);
  }
  if (rule === null || typeof rule !== 'object' || (rule.onnx !== undefined && typeof rule.onnx !== 'function')) {
    throw new ConfigError(`registerInferenceRule("${className}"): a rule is an object { identity?: boolean, onnx?: (ctx) => string[] }, got ${describe(rule)}`);
  }
  rules.set(className, rule);
}

/** The registered rule of a class, if any. @internal */
export function registeredRule(className: string): InferenceRule | undefined {
  return rules.get(className);
}

/** Whether a layer class is the identity at inference. @internal */
export function isIdentityAtInference(className: string): boolean {
  return IDENTITY_CLASSES.has(className) || rules.get(className)?.identity === true;
}

/** Whether a layer class is a convolution BN can fold into. @internal */
export function isFoldableConv(className: string): boolean {
  return CONV_CLASSES.has(className);
}
