import type * as tf from '@tensorflow/tfjs';
import { BaseBlock, resolveBlockArgs, type Block, type BlockArgs, type ResolvedBlockArgs } from './block.js';
import { applyAttention, checkAttention, type BlockAttention } from './attention.js';
import { addRelu, avgDown, dropPathIf, projection, relu, type UnitContext } from './conv-bn.js';
import { squeezeExcite } from './squeeze-excite.js';
import { shortcutPadChannels } from '../layers/index.js';
import { channelsOf, checkBoolean, checkOneOf } from '../validate.js';

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

/**
 * Arguments shared by the built-in residual blocks ({@link basicBlock},
 * {@link bottleneckBlock}): the parts of a residual block that sit outside
 * its convolutions.
 *
 * @example
 * ```ts
 * const args: ResidualBlockArgs = { filters: 64, name: 'layer1.0', attention: 'se', shortcut: 'avgPool' };
 * ```
 */
export interface ResidualBlockArgs extends BlockArgs {
  /**
   * Initialise the last BN's scale to zero, so the block starts as the
   * identity (torchvision's `zero_init_residual`, timm's `zero_init_last`).
   * @defaultValue false
   */
  zeroInitLastBn?: boolean;
  /**
   * Channel attention on the residual branch, after the last BN and before
   * the addition (timm's `attn_layer`, module `<block>.se`): `'se'` for
   * {@link squeezeExcite} with timm's defaults, or any {@link BlockAttention}.
   * @defaultValue none
   */
  attention?: 'se' | BlockAttention;
  /**
   * How the shortcut changes shape when the block does, or `'none'` for a
   * plain block without shortcut (see {@link ShortcutType}).
   * @defaultValue `'projection'`
   */
  shortcut?: ShortcutType;
}

/**
 * Defaults of {@link ResidualBlockArgs}, stated once.
 *
 * @example
 * ```ts
 * RESIDUAL_BLOCK_DEFAULTS.shortcut; // 'projection'
 * ```
 */
export const RESIDUAL_BLOCK_DEFAULTS = {
  /** Default of {@link ResidualBlockArgs.zeroInitLastBn}. */
  zeroInitLastBn: false,
  /** Default of {@link ResidualBlockArgs.shortcut}. */
  shortcut: 'projection',
} as const;

/**
 * The validated {@link ResidualBlockArgs} fields of a block, from
 * {@link resolveResidual}: what {@link residualFrame} needs besides the
 * block's common arguments.
 *
 * @example
 * ```ts
 * const residual: ResolvedResidual = resolveResidual({ filters: 64, attention: 'se' }, 'my block');
 * residual.shortcut; // 'projection'
 * ```
 */
export interface ResolvedResidual {
  /** Initialise the block's last BN scale to zero. */
  readonly zeroInitLastBn: boolean;
  /** The attention on the residual branch, if any. */
  readonly attention: BlockAttention | undefined;
  /** The shortcut type. */
  readonly shortcut: ShortcutType;
}

/**
 * Validates the fields of {@link ResidualBlockArgs} a residual block adds to
 * {@link BlockArgs} (`zeroInitLastBn`, `attention`, `shortcut`), filling in
 * their defaults; throws a {@link ConfigError} naming `where` and the field.
 *
 * @example
 * ```ts
 * const residual = resolveResidual(args, `my block "${name}"`);
 * ```
 */
export function resolveResidual(args: ResidualBlockArgs, where: string): ResolvedResidual {
  const zero = checkBoolean(args.zeroInitLastBn ?? RESIDUAL_BLOCK_DEFAULTS.zeroInitLastBn, where, 'zeroInitLastBn');
  const attention = args.attention === 'se' ? squeezeExcite() : checkAttention(args.attention, where);
  return {
    zeroInitLastBn: zero,
    attention,
    shortcut: checkOneOf(args.shortcut ?? RESIDUAL_BLOCK_DEFAULTS.shortcut, SHORTCUT_TYPES, where, 'shortcut'),
  };
}

/**
 * What {@link residualFrame} wraps around a block's residual branch.
 *
 * @example
 * ```ts
 * const frame: ResidualFrameArgs = { inChannels: 64, outChannels: 256, convCount: 3, block: this.args, residual, main: (x) => x };
 * ```
 */
export interface ResidualFrameArgs {
  /** Channels of the block's input. */
  readonly inChannels: number;
  /** Channels of the block's output (the residual branch's and the shortcut's). */
  readonly outChannels: number;
  /**
   * How many convolutions the residual branch has: the output ReLU is named
   * after it (timm's `act<n>`: `act2` for a basic block, `act3` for a bottleneck).
   */
  readonly convCount: number;
  /** The block's common arguments (name, stride, dilation, drop-path rate). */
  readonly block: ResolvedBlockArgs;
  /** The block's attention, shortcut type and last-BN zero-init. */
  readonly residual: ResolvedResidual;
  /** Builds the residual branch's convolutions from the block input; returns the branch output (after its last BN). */
  readonly main: (x: tf.SymbolicTensor) => tf.SymbolicTensor;
}

/**
 * The frame of a post-activation residual block — what every block of
 * ResNet v1 shares around its convolutions: `main` (the residual branch),
 * then the channel attention, the stochastic depth, the shortcut ({@link
 * ShortcutType}: identity when the shape is kept, a projection or ResNet-D
 * average-pool projection otherwise, or none for a plain block), the
 * addition and the output ReLU, each named by the style. In Keras style the
 * shortcut is built before `main`, as Keras orders its layers.
 *
 * @example
 * ```ts
 * // Inside a BaseBlock subclass's apply(x):
 * const inChannels = this.inputChannels(x);
 * const { spec, name } = this.args;
 * const ctx = { spec, init: this.args.init, cache: this.cache };
 * return residualFrame(x, {
 *   inChannels, outChannels: this.outChannels, convCount: 1, block: this.args, residual,
 *   main: (input) => convBn(input, { filters: this.outChannels, kernelSize: 3, conv: spec.conv(name, 1), bn: spec.bn(name, 1) }, ctx),
 * }, ctx);
 * ```
 */
export function residualFrame(x: tf.SymbolicTensor, frame: ResidualFrameArgs, ctx: UnitContext): tf.SymbolicTensor {
  const { spec } = ctx;
  const { inChannels, outChannels, convCount, residual } = frame;
  const { name, stride, dilation } = frame.block;
  const type = residual.shortcut;
  const shortcut = (): tf.SymbolicTensor | undefined =>
    type === 'none' ? undefined : shortcutFor(x, { inChannels, outChannels, stride, dilation, block: name, type }, ctx);
  const early = spec.shortcutFirst ? shortcut() : undefined;
  let y = frame.main(x);
  if (residual.attention !== undefined) y = applyAttention(y, residual.attention, name, ctx);
  y = dropPathIf(y, frame.block.dropPathRate, name, ctx);
  const side = early ?? shortcut();
  // A plain block (shortcut 'none') ends in its ReLU, with no addition.
  const out = spec.out(name, convCount);
  return side === undefined ? relu(y, out, ctx) : addRelu(y, side, { add: spec.add(name), out }, ctx);
}

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
