import type * as tf from '@tensorflow/tfjs';
import type { BlockArgs, ResolvedBlockArgs } from './block.js';
import { applyAttention, checkAttention, type BlockAttention } from './attention.js';
import { addRelu, dropPathIf, relu, type UnitContext } from './conv-bn.js';
import { shortcutFor, SHORTCUT_TYPES, type ShortcutType } from './shortcut.js';
import { squeezeExcite } from './squeeze-excite.js';
import { checkBoolean, checkOneOf } from '../validate.js';

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

/** The resolved parts of a residual block outside its convolutions. @internal */
export interface ResolvedResidual {
  readonly zeroInitLastBn: boolean;
  readonly attention: BlockAttention | undefined;
  readonly shortcut: ShortcutType;
}

/** Validates {@link ResidualBlockArgs}' own fields. @internal */
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
 * The common frame of a residual block: `main` builds the convolutions of the
 * residual branch (in Keras style after the shortcut, as Keras orders its
 * layers); then attention, drop-path, the shortcut, the addition and the
 * output ReLU (`<block>.act<convCount>`).
 * @internal
 */
export function residualBlock(
  x: tf.SymbolicTensor,
  inChannels: number,
  outChannels: number,
  convCount: number,
  args: ResolvedBlockArgs,
  residual: ResolvedResidual,
  ctx: UnitContext,
  main: (x: tf.SymbolicTensor) => tf.SymbolicTensor,
): tf.SymbolicTensor {
  const { spec } = ctx;
  const { name, stride, dilation } = args;
  const type = residual.shortcut;
  const shortcut = (): tf.SymbolicTensor | undefined =>
    type === 'none' ? undefined : shortcutFor(x, { inChannels, outChannels, stride, dilation, block: name, type }, ctx);
  const early = spec.shortcutFirst ? shortcut() : undefined;
  let y = main(x);
  if (residual.attention !== undefined) y = applyAttention(y, residual.attention, name, ctx);
  y = dropPathIf(y, args.dropPathRate, name, ctx);
  const side = early ?? shortcut();
  // A plain block (shortcut 'none') ends in its ReLU, with no addition.
  return side === undefined ? relu(y, spec.out(name, convCount), ctx) : addRelu(y, side, spec.add(name), spec.out(name, convCount), ctx);
}
