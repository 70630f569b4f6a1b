import type * as tf from '@tensorflow/tfjs';
import { BaseBlock, defineBlock, resolveBlockArgs, type BlockArgs } from './block.js';
import { addRelu, convBn } from './conv-bn.js';
import { shortcutFor } from './shortcut.js';
import { channelsOf } from '../validate.js';

/**
 * Arguments of {@link basicBlock}.
 *
 * @example
 * ```ts
 * const args: BasicBlockArgs = { filters: 64, name: 'layer1.0' };
 * ```
 */
export interface BasicBlockArgs extends BlockArgs {
  /**
   * Initialise the last BN's scale to zero, so the block starts as the
   * identity (torchvision's `zero_init_residual`).
   * @defaultValue false
   */
  zeroInitLastBn?: boolean;
}

class BasicBlock extends BaseBlock {
  constructor(private readonly zeroInitLastBn: boolean, ...rest: ConstructorParameters<typeof BaseBlock>) {
    super(...rest);
  }

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const inChannels = channelsOf(x, `basic block "${this.name}"`);
    const { filters, stride, dilation, spec, name } = this.args;
    const ctx = { spec, init: this.args.init, cache: this.cache };
    const shortcut = (): tf.SymbolicTensor => shortcutFor(x, inChannels, filters, stride, name, ctx);
    const early = spec.shortcutFirst ? shortcut() : undefined;
    // 3×3 (strided) → BN → ReLU → 3×3 → BN, plus the shortcut, then ReLU.
    let y = convBn(x, { filters, kernelSize: 3, stride, dilation, conv: spec.conv(name, 1), bn: spec.bn(name, 1), act: spec.act(name, 1) }, ctx);
    y = convBn(y, { filters, kernelSize: 3, dilation, conv: spec.conv(name, 2), bn: spec.bn(name, 2), zeroGamma: this.zeroInitLastBn }, ctx);
    return addRelu(y, early ?? shortcut(), spec.add(name), spec.out(name, 2), ctx);
  }
}

/**
 * The basic residual block of ResNet-18/34 (He et al. 2015, Fig. 2 left):
 * two 3×3 convolutions with BatchNorm, ReLU between them, and a shortcut —
 * identity when shape is kept, else a {@link projectionShortcut} — added
 * before the final ReLU. Output channels: `filters`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const y = basicBlock({ filters: 128, stride: 2, name: 'layer2.0' }).apply(x); // [null, 28, 28, 128]
 * ```
 */
export const basicBlock = defineBlock('basic', 1, (args: BasicBlockArgs) => {
  const resolved = resolveBlockArgs('basic', args);
  return new BasicBlock(args.zeroInitLastBn ?? false, 'basic', resolved, resolved.filters);
});
