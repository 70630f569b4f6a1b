import * as tf from '@tensorflow/tfjs';
import type { LayerCache } from './layer-cache.js';
import type { StyleSpec } from './style.js';
import { convKernelInit, type WeightInit } from './init.js';
import { dropPath, groupedConv2d, type DropPath } from '../layers/index.js';

/** What a convolution needs to know. @internal */
export interface ConvArgs {
  filters: number;
  kernelSize: number;
  stride?: number;
  dilation?: number;
  /**
   * Groups of a grouped convolution (ResNeXt's cardinality); a
   * `GroupedConv2D` layer when above 1.
   */
  groups?: number;
  /** Whether the conv has a bias; by default the style's rule (Keras yes, PyTorch no). */
  bias?: boolean;
  /** Name of the convolution layer. */
  conv: string;
  /**
   * `'explicit'`: PyTorch's symmetric padding as a `ZeroPadding2D` (named
   * `spec.pad(conv)`) before a `'valid'` conv whatever the style and stride,
   * as the ResNet stems and timm's pre-activation blocks do; by default the
   * style's padding rule applies.
   */
  padding?: 'explicit';
}

/** What a conv → BN (→ ReLU) unit needs to know. @internal */
export interface ConvBnArgs extends ConvArgs {
  /** Name of the BatchNormalization layer. */
  bn: string;
  /** Name of the ReLU after the BN; none when omitted. */
  act?: string;
  /** Initialise the BN scale (gamma) to zero (zero-init of a block's last BN). */
  zeroGamma?: boolean;
}

/** Style, initialisation and layer cache shared by the units of one block. @internal */
export interface UnitContext {
  readonly spec: StyleSpec;
  readonly init: WeightInit;
  readonly cache: LayerCache;
}

/**
 * A convolution with the style's padding rule. In torchvision style the
 * padding is PyTorch's symmetric `dilation·(k−1)/2`: `'same'` where tfjs pads
 * symmetrically (stride 1, odd kernel), an explicit `ZeroPadding2D` before a
 * `'valid'` conv otherwise. In Keras style it is Keras's `'same'`. With
 * `padding: 'explicit'` the `ZeroPadding2D` is always used.
 * @internal
 */
export function conv(x: tf.SymbolicTensor, a: ConvArgs, ctx: UnitContext): tf.SymbolicTensor {
  const stride = a.stride ?? 1;
  const dilation = a.dilation ?? 1;
  const k = a.kernelSize;
  let padding: 'same' | 'valid' = k === 1 ? 'valid' : 'same';
  let input = x;
  if (padding === 'same' && (a.padding === 'explicit' || (ctx.spec.padding === 'symmetric' && stride > 1))) {
    const p = (dilation * (k - 1)) >> 1;
    input = ctx.cache
      .get(ctx.spec.pad(a.conv), () => tf.layers.zeroPadding2d({ padding: p, name: ctx.spec.pad(a.conv) }))
      .apply(input) as tf.SymbolicTensor;
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
  const layer = ctx.cache.get<tf.layers.Layer>(a.conv, () =>
    groups > 1 ? groupedConv2d({ ...common, groups }) : tf.layers.conv2d(common),
  );
  return layer.apply(input) as tf.SymbolicTensor;
}

/** A BatchNormalization over channels with the style's epsilon and momentum. @internal */
export function batchNorm(
  x: tf.SymbolicTensor,
  name: string,
  ctx: UnitContext,
  zeroGamma = false,
): tf.SymbolicTensor {
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

/** A named ReLU layer. @internal */
export function relu(x: tf.SymbolicTensor, name: string, ctx: UnitContext): tf.SymbolicTensor {
  return ctx.cache
    .get(name, () => tf.layers.activation({ activation: 'relu', name }))
    .apply(x) as tf.SymbolicTensor;
}

/** conv → BN → ReLU (the ReLU only when `a.act` names it). @internal */
export function convBn(x: tf.SymbolicTensor, a: ConvBnArgs, ctx: UnitContext): tf.SymbolicTensor {
  const y = batchNorm(conv(x, a, ctx), a.bn, ctx, a.zeroGamma);
  return a.act === undefined ? y : relu(y, a.act, ctx);
}

/** The residual addition followed by the output ReLU. @internal */
export function addRelu(
  residual: tf.SymbolicTensor,
  shortcut: tf.SymbolicTensor,
  addName: string,
  outName: string,
  ctx: UnitContext,
): tf.SymbolicTensor {
  const sum = ctx.cache
    .get(addName, () => tf.layers.add({ name: addName }))
    .apply([shortcut, residual]) as tf.SymbolicTensor;
  return relu(sum, outName, ctx);
}

/**
 * The residual addition `shortcut + residual` as a named `Add` layer, with no
 * activation after it (pre-activation blocks). @internal
 */
export function add(
  residual: tf.SymbolicTensor,
  shortcut: tf.SymbolicTensor,
  name: string,
  ctx: UnitContext,
): tf.SymbolicTensor {
  return ctx.cache.get(name, () => tf.layers.add({ name })).apply([shortcut, residual]) as tf.SymbolicTensor;
}

/**
 * The stem's 3×3 stride-2 max pooling with padding 1 (`pad`, then `pool`).
 * Zero padding stands in for PyTorch's −∞ because the input is a ReLU's
 * output (≥ 0) and every window keeps a real element.
 * @internal
 */
export function stemMaxPool(x: tf.SymbolicTensor, pad: string, pool: string, ctx: UnitContext): tf.SymbolicTensor {
  const padded = ctx.cache.get(pad, () => tf.layers.zeroPadding2d({ padding: 1, name: pad })).apply(x) as tf.SymbolicTensor;
  return ctx.cache
    .get(pool, () => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: pool }))
    .apply(padded) as tf.SymbolicTensor;
}

/**
 * The residual branch `y` through the block's stochastic depth (a
 * {@link DropPath} named by the style) when `rate` > 0; `y` itself otherwise.
 * @internal
 */
export function dropPathIf(y: tf.SymbolicTensor, rate: number, block: string, ctx: UnitContext): tf.SymbolicTensor {
  if (rate <= 0) return y;
  const name = ctx.spec.dropPath(block);
  return ctx.cache.get(name, () => dropPath({ rate, name })).apply(y) as tf.SymbolicTensor;
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
  stride: number,
  dilation: number,
  name: string,
  ctx: UnitContext,
): tf.SymbolicTensor {
  const { spec, cache } = ctx;
  if (stride === 1 && dilation === 1) return x;
  if (dilation === 1) {
    return cache
      .get(name, () => tf.layers.averagePooling2d({ poolSize: 2, strides: stride, padding: 'same', name }))
      .apply(x) as tf.SymbolicTensor;
  }
  const padded = cache
    .get(spec.pad(name), () => tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: spec.pad(name) }))
    .apply(x) as tf.SymbolicTensor;
  return cache
    .get(name, () => tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'valid', name }))
    .apply(padded) as tf.SymbolicTensor;
}
