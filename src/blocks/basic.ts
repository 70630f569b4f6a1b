import type * as tf from '@tensorflow/tfjs';
import { BaseBlock, defineBlock, resolveBlockArgs } from './block.js';
import { convBn } from './conv-bn.js';
import { residualFrame, resolveResidual, type ResidualBlockArgs, type ResolvedResidual } from './residual.js';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';

/**
 * Arguments of {@link basicBlock}: the common residual-block arguments
 * (zero-init of the last BN, attention, shortcut type, drop-path).
 *
 * @example
 * ```ts
 * const args: BasicBlockArgs = { filters: 64, name: 'layer1.0', attention: 'se' };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named, documented interface of its own (the basic block may grow arguments)
export interface BasicBlockArgs extends ResidualBlockArgs {}

class BasicBlock extends BaseBlock {
  constructor(
    private readonly residual: ResolvedResidual,
    ...rest: ConstructorParameters<typeof BaseBlock>
  ) {
    super(...rest);
  }

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const inChannels = this.inputChannels(x);
    const { filters, stride, dilation, firstDilation, spec, name } = this.args;
    const ctx = { spec, init: this.args.init, cache: this.cache };
    // 3×3 (strided) → BN → ReLU → 3×3 → BN, plus the shortcut, then ReLU.
    return residualFrame(
      x,
      {
        inChannels,
        outChannels: filters,
        convCount: 2,
        block: this.args,
        residual: this.residual,
        main: (input) => {
          const y = convBn(
            input,
            { filters, kernelSize: 3, stride, dilation: firstDilation, conv: spec.conv(name, 1), bn: spec.bn(name, 1), act: spec.act(name, 1) },
            ctx,
          );
          return convBn(y, { filters, kernelSize: 3, dilation, conv: spec.conv(name, 2), bn: spec.bn(name, 2), zeroGamma: this.residual.zeroInitLastBn }, ctx);
        },
      },
      ctx,
    );
  }
}

/**
 * The basic residual block of ResNet-18/34 (He et al. 2015, Fig. 2 left):
 * two 3×3 convolutions with BatchNorm, ReLU between them, and a shortcut —
 * identity when shape is kept, else a {@link projectionShortcut} (or ResNet-D's
 * average-pool shortcut) — added before the final ReLU. Optional channel
 * attention (SE) and drop-path act on the residual branch before the
 * addition, as in timm. Output channels: `filters`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const y = basicBlock({ filters: 128, stride: 2, name: 'layer2.0' }).apply(x); // [null, 28, 28, 128]
 * ```
 */
export const basicBlock = defineBlock('basic', 1, (args: BasicBlockArgs) => {
  const resolved = resolveBlockArgs('basic', args);
  const where = `basic block "${resolved.name}"`;
  const residual = resolveResidual(args, where);
  // As timm asserts: the basic block has no groups and no width factor.
  const extra = args as { groups?: unknown; widthPerGroup?: unknown };
  if ((extra.groups ?? 1) !== 1 || (extra.widthPerGroup ?? 64) !== 64) {
    throw new ConfigError(
      `${where}: groups and widthPerGroup need a bottleneck block (the basic block supports only groups 1 and widthPerGroup 64), got groups ${describe(extra.groups)} and widthPerGroup ${describe(extra.widthPerGroup)}`,
    );
  }
  return new BasicBlock(residual, 'basic', resolved, resolved.filters);
});
