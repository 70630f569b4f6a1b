import * as tf from '@tensorflow/tfjs';
import type { LayerCache } from './layer-cache.js';
import type { StyleSpec } from './style.js';
import { convKernelInit, type WeightInit } from './init.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- DropPath and GroupedConv2D are imported for the TSDoc {@link}s
import { dropPath, groupedConv2d, type DropPath, type GroupedConv2D } from '../layers/index.js';

/**
 * Arguments of {@link conv}: a convolution unit, named and padded by the
 * style of its {@link UnitContext}.
 *
 * @example
 * ```ts
 * const args: ConvArgs = { filters: 64, kernelSize: 3, stride: 2, conv: 'layer2.0.conv1' };
 * ```
 */
export interface ConvArgs {
  /** Output channels. */
  filters: number;
  /** Kernel size (square). */
  kernelSize: number;
  /**
   * Stride.
   * @defaultValue 1
   */
  stride?: number;
  /**
   * Dilation.
   * @defaultValue 1
   */
  dilation?: number;
  /**
   * Groups of a grouped convolution (ResNeXt's cardinality); a
   * `GroupedConv2D` layer when above 1.
   * @defaultValue 1
   */
  groups?: number;
  /**
   * Whether the conv has a bias.
   * @defaultValue the style's rule (`StyleSpec.convBias`: Keras yes, PyTorch no)
   */
  bias?: boolean;
  /** Name of the convolution layer. */
  conv: string;
  /**
   * `'explicit'`: PyTorch's symmetric padding as a `ZeroPadding2D` (named
   * `spec.pad(conv)`) before a `'valid'` conv whatever the style and stride,
   * as the ResNet stems and timm's pre-activation blocks do; by default the
   * style's padding rule applies.
   * @defaultValue the style's rule
   */
  padding?: 'explicit';
}

/**
 * Arguments of {@link convBn}: a convolution, its BatchNormalization and an
 * optional ReLU, each named.
 *
 * @example
 * ```ts
 * const args: ConvBnArgs = { filters: 64, kernelSize: 1, conv: 'layer1.0.conv1', bn: 'layer1.0.bn1', act: 'layer1.0.act1' };
 * ```
 */
export interface ConvBnArgs extends ConvArgs {
  /** Name of the BatchNormalization layer. */
  bn: string;
  /**
   * Name of the ReLU after the BN.
   * @defaultValue no ReLU
   */
  act?: string;
  /**
   * Initialise the BN scale (gamma) to zero (zero-init of a block's last BN).
   * @defaultValue false
   */
  zeroGamma?: boolean;
}

/**
 * What the units of one block share: the style's build and naming rules,
 * the weight initialisation, and the block's {@link LayerCache} (so applying
 * the block again reuses its layers).
 *
 * @example
 * ```ts
 * // In a BaseBlock subclass:
 * const ctx: UnitContext = { spec: this.args.spec, init: this.args.init, cache: this.cache };
 * // Standalone:
 * const ctx2: UnitContext = { spec: styleSpec('torchvision'), init: 'default', cache: new LayerCache() };
 * ```
 */
export interface UnitContext {
  /** The style's build and naming rules. */
  readonly spec: StyleSpec;
  /** Weight initialisation. */
  readonly init: WeightInit;
  /** The layers of the block, by name. */
  readonly cache: LayerCache;
}

/**
 * A convolution with the style's padding rule. In torchvision style the
 * padding is PyTorch's symmetric `dilation·(k−1)/2`: `'same'` at stride 1
 * (symmetric for the odd kernels PyTorch pads this way; an even kernel gets
 * tfjs's and PyTorch's `padding='same'`, one more row and column after), an
 * explicit `ZeroPadding2D` of `floor(dilation·(k−1)/2)` before a `'valid'`
 * conv at a stride above 1. In Keras style it is Keras's `'same'`. With
 * `padding: 'explicit'` the `ZeroPadding2D` is always used. A `groups`
 * above 1 gives a {@link GroupedConv2D}. Kernel initialisation follows the
 * style and `ctx.init`.
 *
 * @example
 * ```ts
 * const ctx: UnitContext = { spec: styleSpec('torchvision'), init: 'default', cache: new LayerCache() };
 * const x = tf.input({ shape: [56, 56, 64] });
 * const y = conv(x, { filters: 128, kernelSize: 3, stride: 2, conv: 'layer2.0.conv1' }, ctx); // pads 1 (layer2.0.conv1_pad), then a 'valid' conv
 * ```
 */
export function conv(x: tf.SymbolicTensor, a: ConvArgs, ctx: UnitContext): tf.SymbolicTensor {
  const stride = a.stride ?? 1;
  const dilation = a.dilation ?? 1;
  const k = a.kernelSize;
  let padding: 'same' | 'valid' = k === 1 ? 'valid' : 'same';
  let input = x;
  if (padding === 'same' && (a.padding === 'explicit' || (ctx.spec.padding === 'symmetric' && stride > 1))) {
    const p = (dilation * (k - 1)) >> 1;
    input = ctx.cache.get(ctx.spec.pad(a.conv), () => tf.layers.zeroPadding2d({ padding: p, name: ctx.spec.pad(a.conv) })).apply(input) as tf.SymbolicTensor;
    padding = 'valid';
  }
  const groups = a.groups ?? 1;
  const common = {
    name: a.conv,
    filters: a.filters,
    kernelSize: k,
    strides: stride,
    dilationRate: dilation,
    padding,
    useBias: a.bias ?? ctx.spec.convBias,
    kernelInitializer: convKernelInit(ctx.spec, ctx.init),
    biasInitializer: 'zeros' as const,
  };
  const layer = ctx.cache.get<tf.layers.Layer>(a.conv, () => (groups > 1 ? groupedConv2d({ ...common, groups }) : tf.layers.conv2d(common)));
  return layer.apply(input) as tf.SymbolicTensor;
}

/**
 * A BatchNormalization over channels named `name`, with the style's epsilon
 * and momentum (PyTorch's 1e-5 and 0.1, Keras ResNet's 1.001e-5 and 0.99).
 *
 * @example
 * ```ts
 * const y = batchNorm(conv(x, { filters: 64, kernelSize: 1, conv: 'b.conv1' }, ctx), 'b.bn1', ctx);
 * ```
 */
export function batchNorm(x: tf.SymbolicTensor, name: string, ctx: UnitContext, zeroGamma = false): tf.SymbolicTensor {
  const layer = ctx.cache.get(name, () =>
    tf.layers.batchNormalization({
      name,
      axis: 3,
      epsilon: ctx.spec.epsilon,
      momentum: ctx.spec.momentum,
      gammaInitializer: zeroGamma ? 'zeros' : 'ones',
    }),
  );
  return layer.apply(x) as tf.SymbolicTensor;
}

/**
 * A ReLU layer named `name`.
 *
 * @example
 * ```ts
 * const y = relu(batchNorm(x, 'b.bn1', ctx), 'b.act1', ctx);
 * ```
 */
export function relu(x: tf.SymbolicTensor, name: string, ctx: UnitContext): tf.SymbolicTensor {
  return ctx.cache.get(name, () => tf.layers.activation({ activation: 'relu', name })).apply(x) as tf.SymbolicTensor;
}

/**
 * conv → BN → ReLU (the ReLU only when `a.act` names it): the unit most
 * residual blocks are made of.
 *
 * @example
 * ```ts
 * const y = convBn(x, { filters: 64, kernelSize: 3, conv: 'layer1.0.conv2', bn: 'layer1.0.bn2', act: 'layer1.0.act2' }, ctx);
 * ```
 */
export function convBn(x: tf.SymbolicTensor, a: ConvBnArgs, ctx: UnitContext): tf.SymbolicTensor {
  const y = batchNorm(conv(x, a, ctx), a.bn, ctx, a.zeroGamma);
  return a.act === undefined ? y : relu(y, a.act, ctx);
}

/**
 * The residual addition `shortcut + residual` (an `Add` named `names.add`)
 * followed by the output ReLU (named `names.out`).
 *
 * @example
 * ```ts
 * const y = addRelu(branch, shortcut, { add: 'layer1.0.add', out: 'layer1.0.act3' }, ctx);
 * ```
 */
export function addRelu(
  residual: tf.SymbolicTensor,
  shortcut: tf.SymbolicTensor,
  names: { readonly add: string; readonly out: string },
  ctx: UnitContext,
): tf.SymbolicTensor {
  return relu(add(residual, shortcut, names.add, ctx), names.out, ctx);
}

/**
 * The residual addition `shortcut + residual` as an `Add` layer named
 * `name`, with no activation after it (pre-activation blocks).
 *
 * @example
 * ```ts
 * const y = add(branch, shortcut, 'stages.0.blocks.0.add', ctx);
 * ```
 */
export function add(residual: tf.SymbolicTensor, shortcut: tf.SymbolicTensor, name: string, ctx: UnitContext): tf.SymbolicTensor {
  return ctx.cache.get(name, () => tf.layers.add({ name })).apply([shortcut, residual]) as tf.SymbolicTensor;
}

/**
 * The residual branch `y` through the block's stochastic depth (a
 * {@link DropPath} named by the style, `<block>.drop_path`) when `rate` > 0;
 * `y` itself otherwise.
 *
 * @example
 * ```ts
 * const y = dropPathIf(branch, this.args.dropPathRate, this.args.name, ctx);
 * ```
 */
export function dropPathIf(y: tf.SymbolicTensor, rate: number, block: string, ctx: UnitContext): tf.SymbolicTensor {
  if (rate <= 0) return y;
  const name = ctx.spec.dropPath(block);
  return ctx.cache.get(name, () => dropPath({ rate, name })).apply(y) as tf.SymbolicTensor;
}

/** 1×1 strided conv → BN: the projection ("option B") shortcut. @internal */
export function projection(
  x: tf.SymbolicTensor,
  { filters, stride, name }: { readonly filters: number; readonly stride: number; readonly name: string },
  ctx: UnitContext,
): tf.SymbolicTensor {
  const y = conv(x, { filters, kernelSize: 1, stride, conv: ctx.spec.shortcutConv(name) }, ctx);
  return batchNorm(y, ctx.spec.shortcutBn(name), ctx);
}

/**
 * timm's `downsample_avg`: average pool ({@link avgPoolDown}; none for
 * stride 1 without dilation), 1×1 conv, BN.
 * @internal
 */
export function avgDown(
  x: tf.SymbolicTensor,
  { filters, stride, dilation, name }: { readonly filters: number; readonly stride: number; readonly dilation: number; readonly name: string },
  ctx: UnitContext,
): tf.SymbolicTensor {
  const { spec } = ctx;
  const y = avgPoolDown(x, { stride, dilation, name: spec.avgDownPool(name) }, ctx);
  const z = conv(y, { filters, kernelSize: 1, conv: spec.avgDownConv(name) }, ctx);
  return batchNorm(z, spec.avgDownBn(name), ctx);
}

/**
 * The pooling of ResNet-D's average-pool shortcut (timm's `DownsampleAvg`
 * pool), named `name`; the input itself for stride 1 without dilation.
 * tfjs `'same'` 2×2 average pooling pads only at the bottom/right and leaves
 * the padding out of the average — exactly PyTorch's `AvgPool2d(2, s,
 * ceil_mode=True, count_include_pad=False)`. In a dilated stage timm uses
 * `AvgPool2dSame(2, 1)`: zero padding at the bottom/right (`<name>_pad`
 * in torchvision style) that *is* averaged.
 * @internal
 */
export function avgPoolDown(
  x: tf.SymbolicTensor,
  pool: { readonly stride: number; readonly dilation: number; readonly name: string },
  ctx: UnitContext,
): tf.SymbolicTensor {
  const { spec, cache } = ctx;
  const { stride, dilation, name } = pool;
  if (stride === 1 && dilation === 1) return x;
  if (dilation === 1) {
    return cache.get(name, () => tf.layers.averagePooling2d({ poolSize: 2, strides: stride, padding: 'same', name })).apply(x) as tf.SymbolicTensor;
  }
  const bottomRight: [number, number] = [0, 1];
  const padded = cache
    .get(spec.pad(name), () => tf.layers.zeroPadding2d({ padding: [bottomRight, bottomRight], name: spec.pad(name) }))
    .apply(x) as tf.SymbolicTensor;
  return cache.get(name, () => tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'valid', name })).apply(padded) as tf.SymbolicTensor;
}
