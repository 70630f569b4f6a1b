import * as tf from '@tensorflow/tfjs';
import { BaseBlock, resolveBlockArgs, type Block, type BlockArgs } from './block.js';
import { batchNorm, conv, type UnitContext } from './conv-bn.js';
import { shortcutPadChannels } from '../layers/index.js';
import { channelsOf } from '../validate.js';

/**
 * Arguments of {@link projectionShortcut}.
 *
 * @example
 * ```ts
 * const args: ProjectionShortcutArgs = { filters: 256, stride: 1, name: 'layer1.0.downsample' };
 * ```
 */
export interface ProjectionShortcutArgs extends Omit<BlockArgs, 'dilation'> {
  /** Output channels of the 1×1 projection. */
  filters: number;
  /**
   * Prefix of its layer names: `layer1.0.downsample` gives `layer1.0.downsample.0`
   * (conv) and `.1` (BN) in torchvision style; `conv2_block1_0` gives
   * `conv2_block1_0_conv` and `_bn` in Keras style.
   * @defaultValue a unique name such as `projection_block_1`
   */
  name?: string;
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
 * How a block's shortcut changes shape when the block does (stride ≠ 1 or
 * new channel count):
 * - `'projection'`: 1×1 strided conv → BN (torchvision, "option B"; `downsample.0/.1`);
 * - `'avgPool'`: 2×2 average pool with the stride (ceil mode, partial windows
 *   averaged over their valid pixels), then 1×1 conv → BN — ResNet-D's
 *   shortcut, timm's `avg_down` (`downsample.0` pool, `.1` conv, `.2` BN; no
 *   pool when only the channels change);
 * - `'padChannels'`: subsampling with the stride and zero channels, no
 *   parameters — "option A" of the paper's CIFAR nets ({@link ShortcutPadChannels},
 *   one layer named like the projection, `<block>.downsample`);
 * - `'none'`: no shortcut and no addition at all — the "plain" networks of
 *   the degradation experiment.
 *
 * Otherwise a shape-keeping shortcut is the identity.
 *
 * @example
 * ```ts
 * const model = resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], blockArgs: { shortcut: 'avgPool' } });
 * ```
 */
export type ShortcutType = 'projection' | 'avgPool' | 'padChannels' | 'none';

/**
 * Every {@link ShortcutType}.
 *
 * @example
 * ```ts
 * SHORTCUT_TYPES.includes('avgPool'); // true
 * ```
 */
export const SHORTCUT_TYPES: readonly ShortcutType[] = ['projection', 'avgPool', 'padChannels', 'none'];

/** What a block's shortcut needs to know. @internal */
export interface ShortcutArgs {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  /** The block's (stage's) dilation. */
  readonly dilation: number;
  readonly block: string;
  readonly type: Exclude<ShortcutType, 'none'>;
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
 * The shortcut of a residual block: identity when the block keeps the shape,
 * else the block's {@link ShortcutType}.
 * @internal
 */
export function shortcutFor(x: tf.SymbolicTensor, a: ShortcutArgs, ctx: UnitContext): tf.SymbolicTensor {
  if (a.stride === 1 && a.inChannels === a.outChannels) return x;
  const name = ctx.spec.shortcut(a.block);
  switch (a.type) {
    case 'avgPool':
      return avgDown(x, { filters: a.outChannels, stride: a.stride, dilation: a.dilation, name }, ctx);
    case 'padChannels':
      return ctx.cache.get(name, () => shortcutPadChannels({ filters: a.outChannels, strides: a.stride, name })).apply(x) as tf.SymbolicTensor;
    default:
      return projection(x, { filters: a.outChannels, stride: a.stride, name }, ctx);
  }
}

class ProjectionShortcut extends BaseBlock {
  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    channelsOf(x, `projection shortcut "${this.name}"`);
    const ctx = { spec: this.args.spec, init: this.args.init, cache: this.cache };
    return projection(x, { filters: this.outChannels, stride: this.stride, name: this.name }, ctx);
  }
}

/**
 * A projection shortcut: 1×1 convolution with the given stride, then
 * BatchNormalization — what a residual block uses when its stride is not 1 or
 * its channel count changes (torchvision's `downsample`, Keras's `_0_conv`).
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const main = bottleneckBlock({ filters: 64, name: 'b' }).apply(x);
 * const side = projectionShortcut({ filters: 256, name: 'side' }).apply(x); // [null, 56, 56, 256]
 * ```
 */
export function projectionShortcut(args: ProjectionShortcutArgs): Block {
  const resolved = resolveBlockArgs('projection', { ...args, name: args.name });
  return new ProjectionShortcut('projection', resolved, resolved.filters);
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
  const padded = cache
    .get(spec.pad(name), () =>
      tf.layers.zeroPadding2d({
        padding: [
          [0, 1],
          [0, 1],
        ],
        name: spec.pad(name),
      }),
    )
    .apply(x) as tf.SymbolicTensor;
  return cache.get(name, () => tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'valid', name })).apply(padded) as tf.SymbolicTensor;
}
