import * as tf from '@tensorflow/tfjs';
import { BaseBlock, defineBlock, resolveBlockArgs, type BlockArgs, type ResolvedBlockArgs } from './block.js';
import { add, avgPoolDown, batchNorm, conv, dropPathIf, relu, type UnitContext } from './conv-bn.js';
import { styleNames, type StyleSpec } from './style.js';
import type { PreactNames } from './naming/names.js';
import { ConfigError, ShapeError } from '../errors.js';
import { checkBoolean, checkOneOf, describe } from '../validate.js';

/**
 * How a pre-activation block's shortcut projects when it does (see
 * {@link PreactBlockArgs.projection}): `'projection'` — a 1×1 strided
 * convolution of the pre-activated input (timm's `DownsampleConv`, Keras's
 * `_0_conv`); `'avgPool'` — a 2×2 average pool with the stride, then the 1×1
 * convolution (timm's `DownsampleAvg`, ResNet-D). Neither has a BatchNorm:
 * the next block's pre-activation normalises the sum.
 *
 * @example
 * ```ts
 * const shortcut: PreactShortcut = 'avgPool'; // as in timm's resnetv2_50d
 * ```
 */
export type PreactShortcut = 'projection' | 'avgPool';

/**
 * Every {@link PreactShortcut}.
 *
 * @example
 * ```ts
 * PREACT_SHORTCUTS.includes('avgPool'); // true
 * ```
 */
export const PREACT_SHORTCUTS: readonly PreactShortcut[] = ['projection', 'avgPool'];

/**
 * Arguments of {@link preactBottleneckBlock} and {@link preactBasicBlock}.
 *
 * @example
 * ```ts
 * const args: PreactBlockArgs = { filters: 64, name: 'stages.0.blocks.0', projection: true };
 * ```
 */
export interface PreactBlockArgs extends BlockArgs {
  /**
   * Whether the shortcut is a projection of the pre-activated input (1×1
   * convolution, see {@link PreactShortcut}). timm projects in the first
   * block of every stage; Keras in the first block of every stack. Without a
   * projection the shortcut is the block's raw input — subsampled by a 1×1
   * max pool when the block is strided (Keras's `MaxPooling2D(1, strides)`) —
   * so the channel count must be kept.
   * @defaultValue true when the block changes the shape (stride ≠ 1 or new channel count)
   */
  projection?: boolean;
  /**
   * The projection's kind.
   * @defaultValue `'projection'`
   */
  shortcut?: PreactShortcut;
  /**
   * Initialise the last convolution's kernel to zero, so the block starts as
   * its shortcut (timm's `zero_init_last` for pre-activation blocks).
   * @defaultValue false
   */
  zeroInitLast?: boolean;
  /**
   * Name of the 1×1 max pool that subsamples an unprojected strided shortcut.
   * Keras auto-names it (`max_pooling2d`, `max_pooling2d_1`, …), which
   * {@link resnetV2} reproduces.
   * @defaultValue `<block>_0_pool` (Keras style), `<block>.downsample.pool` (torchvision style)
   */
  subsampleName?: string;
}

/**
 * Defaults of {@link PreactBlockArgs}' own fields, stated once.
 *
 * @example
 * ```ts
 * PREACT_BLOCK_DEFAULTS.shortcut; // 'projection'
 * ```
 */
export const PREACT_BLOCK_DEFAULTS = {
  /** Default of {@link PreactBlockArgs.shortcut}. */
  shortcut: 'projection',
  /** Default of {@link PreactBlockArgs.zeroInitLast}. */
  zeroInitLast: false,
} as const;

/**
 * The layer names of a pre-activation block in a style (its naming table's
 * `preact`). In torchvision style they are timm's `ResNetV2` module paths
 * (BatchNormAct2d: `norm1` is the BN, `norm1.act` its ReLU); in Keras style
 * those of `keras.applications` ResNetV2.
 * @internal
 */
export function preactNames(spec: StyleSpec): PreactNames {
  return styleNames(spec.name).preact;
}

/** One convolution of a block's residual branch. */
interface BranchConv {
  readonly filters: number;
  readonly kernelSize: 1 | 3;
  readonly stride: number;
  readonly dilation: number;
}

interface PreactOwn {
  readonly projection: boolean | undefined;
  readonly shortcut: PreactShortcut;
  readonly zeroInitLast: boolean;
  readonly subsampleName: string | undefined;
}

class PreactBlock extends BaseBlock {
  private readonly own: PreactOwn;
  private readonly branch: readonly BranchConv[];

  constructor(kind: string, args: ResolvedBlockArgs, outChannels: number, parts: { own: PreactOwn; branch: readonly BranchConv[] }) {
    super(kind, args, outChannels);
    this.own = parts.own;
    this.branch = parts.branch;
  }

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const where = `${this.kind} block "${this.name}"`;
    const inChannels = this.inputChannels(x);
    const { spec, name, stride, dilation, init } = this.args;
    const n = preactNames(spec);
    const ctx: UnitContext = { spec, init, cache: this.cache };
    const out = this.outChannels;
    const projection = this.own.projection ?? (stride !== 1 || inChannels !== out);
    if (!projection && inChannels !== out) {
      throw new ShapeError(
        `${where}: without a projection the shortcut is the input itself, but the input has ${inChannels} channels and the block outputs ${out}; pass projection: true or an input of ${out} channels`,
      );
    }
    const preact = relu(batchNorm(x, n.preactBn(name), ctx), n.preactAct(name), ctx);

    // The shortcut first: timm registers `downsample` before `norm1`, Keras
    // creates `_0_conv` before `_1_conv`.
    let shortcut = x;
    if (projection) {
      const pooled = this.own.shortcut === 'avgPool' ? avgPoolDown(preact, { stride, dilation, name: n.shortcutPool(name) }, ctx) : preact;
      const convStride = this.own.shortcut === 'avgPool' ? 1 : stride;
      shortcut = conv(pooled, { filters: out, kernelSize: 1, stride: convStride, conv: n.shortcutConv(name) }, ctx);
    } else if (stride > 1) {
      const pool = this.own.subsampleName ?? n.subsample(name);
      shortcut = this.cache
        .get(pool, () => tf.layers.maxPooling2d({ poolSize: 1, strides: stride, padding: 'valid', name: pool }))
        .apply(x) as tf.SymbolicTensor;
    }

    // The residual branch: conv_i, then (but after the last) BN → ReLU.
    // A conv followed by a BN has no bias; the last one has the style's.
    let y = preact;
    this.branch.forEach((c, k) => {
      const i = k + 1;
      const last = i === this.branch.length;
      const convCtx = last && this.own.zeroInitLast ? { ...ctx, init: 'zeros' as const } : ctx;
      // Keras pads every 3×3 explicitly (its `_2_pad`), PyTorch symmetrically.
      const padding = spec.name === 'keras' ? ('explicit' as const) : undefined;
      y = conv(y, { ...c, padding, bias: last ? spec.convBias : false, conv: spec.conv(name, i) }, convCtx);
      if (!last) y = relu(batchNorm(y, n.bn(name, i), ctx), n.act(name, i), ctx);
    });

    y = dropPathIf(y, this.args.dropPathRate, name, ctx);
    return add(y, shortcut, n.add(name), ctx);
  }
}

/** Validates the pre-activation blocks' own arguments. */
function resolveOwn(args: PreactBlockArgs, where: string): PreactOwn {
  const check = (what: string, value: unknown): void => {
    if (value !== undefined) checkBoolean(value, where, what);
  };
  check('projection', args.projection);
  check('zeroInitLast', args.zeroInitLast);
  if (args.subsampleName !== undefined && (typeof args.subsampleName !== 'string' || args.subsampleName === '')) {
    throw new ConfigError(`${where}: subsampleName must be a non-empty string, got ${describe(args.subsampleName)}`);
  }
  return {
    projection: args.projection,
    shortcut: checkOneOf(args.shortcut ?? PREACT_BLOCK_DEFAULTS.shortcut, PREACT_SHORTCUTS, where, 'shortcut'),
    zeroInitLast: args.zeroInitLast ?? PREACT_BLOCK_DEFAULTS.zeroInitLast,
    subsampleName: args.subsampleName,
  };
}

/**
 * Output channels of a pre-activation bottleneck per unit of `filters`.
 *
 * @example
 * ```ts
 * preactBottleneckBlock({ filters: 64 }).outChannels === 64 * PREACT_BOTTLENECK_EXPANSION; // 256
 * ```
 */
export const PREACT_BOTTLENECK_EXPANSION = 4;

/**
 * The pre-activation bottleneck of ResNet v2 (He et al. 2016, "Identity
 * Mappings in Deep Residual Networks"): BN → ReLU first, then 1×1 reduce to
 * `filters`, BN → ReLU, 3×3 (strided), BN → ReLU, 1×1 expand to
 * `filters × 4`, added to the shortcut with no activation after the sum.
 * A projection shortcut is a 1×1 convolution of the *pre-activated* input.
 *
 * Torchvision style is timm's `PreActBottleneck` (module paths
 * `norm1`, `conv1`, `norm2`, …, `downsample.conv`; PyTorch padding); Keras
 * style is `keras.applications`' `residual_block_v2` (`_preact_bn`,
 * `_1_conv`, `_2_pad`, `_2_conv`, `_3_conv` with bias, `_0_conv` with bias,
 * `_out`; BN epsilon 1.001e-5). Both stride the 3×3.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const y = preactBottleneckBlock({ filters: 64, name: 'stages.0.blocks.0' }).apply(x); // [null, 56, 56, 256]
 * ```
 */
export const preactBottleneckBlock = defineBlock('preact_bottleneck', PREACT_BOTTLENECK_EXPANSION, (args: PreactBlockArgs) => {
  const resolved = resolveBlockArgs('preact_bottleneck', args);
  const own = resolveOwn(args, `preact_bottleneck block "${resolved.name}"`);
  const { filters, stride, firstDilation } = resolved;
  const out = filters * PREACT_BOTTLENECK_EXPANSION;
  return new PreactBlock('preact_bottleneck', resolved, out, {
    own,
    branch: [
      { filters, kernelSize: 1, stride: 1, dilation: 1 },
      { filters, kernelSize: 3, stride, dilation: firstDilation },
      { filters: out, kernelSize: 1, stride: 1, dilation: 1 },
    ],
  });
});

/**
 * The pre-activation basic block (timm's `PreActBasic`, used by its
 * `resnetv2_18`/`resnetv2_34`): BN → ReLU, 3×3 (strided), BN → ReLU, 3×3,
 * added to the shortcut with no activation after the sum. Output channels:
 * `filters`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [32, 32, 64] });
 * const y = preactBasicBlock({ filters: 128, stride: 2, name: 'stages.1.blocks.0' }).apply(x); // [null, 16, 16, 128]
 * ```
 */
export const preactBasicBlock = defineBlock('preact_basic', 1, (args: PreactBlockArgs) => {
  const resolved = resolveBlockArgs('preact_basic', args);
  const own = resolveOwn(args, `preact_basic block "${resolved.name}"`);
  const { filters, stride, dilation, firstDilation } = resolved;
  return new PreactBlock('preact_basic', resolved, filters, {
    own,
    branch: [
      { filters, kernelSize: 3, stride, dilation: firstDilation },
      { filters, kernelSize: 3, stride: 1, dilation },
    ],
  });
});
