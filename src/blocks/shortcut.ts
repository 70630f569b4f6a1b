import type * as tf from '@tensorflow/tfjs';
import { BaseBlock, resolveBlockArgs, type Block, type BlockArgs } from './block.js';
import { conv, batchNorm, type UnitContext } from './conv-bn.js';
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
   * @defaultValue a unique name such as `projection_1`
   */
  name?: string;
}

/** 1×1 strided conv → BN: the projection ("option B") shortcut. @internal */
export function projection(
  x: tf.SymbolicTensor,
  filters: number,
  stride: number,
  name: string,
  ctx: UnitContext,
): tf.SymbolicTensor {
  const y = conv(x, { filters, kernelSize: 1, stride, conv: ctx.spec.shortcutConv(name) }, ctx);
  return batchNorm(y, ctx.spec.shortcutBn(name), ctx);
}

/**
 * The shortcut of a residual block: identity when the block keeps the shape,
 * a projection when its stride is not 1 or its channel count changes.
 * @internal
 */
export function shortcutFor(
  x: tf.SymbolicTensor,
  inChannels: number,
  outChannels: number,
  stride: number,
  blockName: string,
  ctx: UnitContext,
): tf.SymbolicTensor {
  if (stride === 1 && inChannels === outChannels) return x;
  return projection(x, outChannels, stride, ctx.spec.shortcut(blockName), ctx);
}

class ProjectionShortcut extends BaseBlock {
  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    channelsOf(x, `projection shortcut "${this.name}"`);
    const ctx = { spec: this.args.spec, init: this.args.init, cache: this.cache };
    return projection(x, this.outChannels, this.stride, this.name, ctx);
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
