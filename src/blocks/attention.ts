import type * as tf from '@tensorflow/tfjs';
import type { ResNetStyle } from './style.js';
import type { WeightInit } from './init.js';
import type { UnitContext } from './conv-bn.js';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';

/**
 * What an attention module is told when a block applies it.
 *
 * @example
 * ```ts
 * const gate: BlockAttention = {
 *   kind: 'gate',
 *   apply: (x, ctx) => ctx.layer(ctx.sub('act'), () => tf.layers.activation({ activation: 'sigmoid', name: ctx.sub('act') })).apply(x) as tf.SymbolicTensor,
 * };
 * ```
 */
export interface AttentionContext {
  /** The module's name prefix: timm's `<block>.se` (`layer1.0.se`), `<block>_se` in Keras style. */
  readonly name: string;
  /** The network's style. */
  readonly style: ResNetStyle;
  /** The network's weight initialisation. */
  readonly init: WeightInit;
  /** The name of a sub-module: `sub('fc1')` is `layer1.0.se.fc1` in torchvision style. */
  sub(part: string): string;
  /**
   * The block's layer named `name`, created by `create` the first time — so
   * applying a block twice shares the attention's weights as well.
   */
  layer<L extends tf.layers.Layer>(name: string, create: () => L): L;
}

/**
 * A channel-attention module applied to a block's residual branch after its
 * last BatchNorm and before the addition — where timm puts `attn_layer`
 * (`se`). {@link squeezeExcite} is the built-in one; an ECA module is built in
 * `examples/new-block-type.ts`. Name the layers with `ctx.sub(…)` so their
 * names are the PyTorch module paths (`layer1.0.se.fc1`) and PyTorch weights
 * load by name.
 *
 * @example
 * ```ts
 * const model = resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], blockArgs: { attention: squeezeExcite() } });
 * ```
 */
export interface BlockAttention {
  /** The module's type, e.g. `'se'` or `'eca'`. */
  readonly kind: string;
  /** Applies the module to an NHWC tensor; the output has the input's shape. */
  apply(x: tf.SymbolicTensor, ctx: AttentionContext): tf.SymbolicTensor;
}

/** Whether a value is a {@link BlockAttention}. @internal */
export function isBlockAttention(value: unknown): value is BlockAttention {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<BlockAttention>).kind === 'string' &&
    typeof (value as Partial<BlockAttention>).apply === 'function'
  );
}

/** Throws a {@link ConfigError} unless `value` is a {@link BlockAttention} (or undefined). @internal */
export function checkAttention(value: unknown, where: string): BlockAttention | undefined {
  if (value === undefined || value === null) return undefined;
  if (isBlockAttention(value)) return value;
  throw new ConfigError(
    `${where}: attention must be a BlockAttention (an object with a string kind and an apply(x, ctx) function, e.g. squeezeExcite()), got ${describe(value)}`,
  );
}

/** Applies an attention module to a block's residual branch. @internal */
export function applyAttention(x: tf.SymbolicTensor, attention: BlockAttention, block: string, ctx: UnitContext): tf.SymbolicTensor {
  const name = ctx.spec.attention(block);
  return attention.apply(x, {
    name,
    style: ctx.spec.name,
    init: ctx.init,
    sub: (part) => ctx.spec.sub(name, part),
    layer: (layerName, create) => ctx.cache.get(layerName, create),
  });
}
