import type * as tf from '@tensorflow/tfjs';
import { BaseBlock, defineBlock, resolveBlockArgs, type BlockArgs } from './block.js';
import { addRelu, convBn } from './conv-bn.js';
import { shortcutFor } from './shortcut.js';
import { channelsOf } from '../validate.js';

/** Output channels of a bottleneck block per unit of `filters`. */
export const BOTTLENECK_EXPANSION = 4;

/**
 * Arguments of {@link bottleneckBlock}.
 *
 * @example
 * ```ts
 * const args: BottleneckBlockArgs = { filters: 64, stride: 1, name: 'layer1.0' };
 * ```
 */
export interface BottleneckBlockArgs extends BlockArgs {
  /**
   * Initialise the last BN's scale to zero, so the block starts as the
   * identity (torchvision's `zero_init_residual`).
   * @defaultValue false
   */
  zeroInitLastBn?: boolean;
}

class BottleneckBlock extends BaseBlock {
  constructor(private readonly zeroInitLastBn: boolean, ...rest: ConstructorParameters<typeof BaseBlock>) {
    super(...rest);
  }

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const inChannels = channelsOf(x, `bottleneck block "${this.name}"`);
    const { filters: width, stride, dilation, spec, name } = this.args;
    const ctx = { spec, init: this.args.init, cache: this.cache };
    const shortcut = (): tf.SymbolicTensor => shortcutFor(x, inChannels, this.outChannels, stride, name, ctx);
    const early = spec.shortcutFirst ? shortcut() : undefined;
    // torchvision (v1.5) strides the 3×3; Keras (v1) strides the first 1×1.
    const [stride1, stride2] = spec.bottleneckStride === 'conv1' ? [stride, 1] : [1, stride];
    // 1×1 reduce → 3×3 → 1×1 expand, each with BN (ReLU after the first two),
    // plus the shortcut, then ReLU.
    let y = convBn(x, { filters: width, kernelSize: 1, stride: stride1, conv: spec.conv(name, 1), bn: spec.bn(name, 1), act: spec.act(name, 1) }, ctx);
    y = convBn(y, { filters: width, kernelSize: 3, stride: stride2, dilation, conv: spec.conv(name, 2), bn: spec.bn(name, 2), act: spec.act(name, 2) }, ctx);
    y = convBn(y, { filters: this.outChannels, kernelSize: 1, conv: spec.conv(name, 3), bn: spec.bn(name, 3), zeroGamma: this.zeroInitLastBn }, ctx);
    return addRelu(y, early ?? shortcut(), spec.add(name), spec.out(name, 3), ctx);
  }
}

/**
 * The bottleneck residual block of ResNet-50/101/152 (He et al. 2015, Fig. 5
 * right): 1×1 reduce to `filters`, 3×3, 1×1 expand to `filters × 4`, each with
 * BatchNorm, and a shortcut added before the final ReLU. In torchvision style
 * the stride sits on the 3×3 (ResNet v1.5), in Keras style on the first 1×1.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 256] });
 * const y = bottleneckBlock({ filters: 128, stride: 2, name: 'layer2.0' }).apply(x); // [null, 28, 28, 512]
 * ```
 */
export const bottleneckBlock = defineBlock('bottleneck', BOTTLENECK_EXPANSION, (args: BottleneckBlockArgs) => {
  const resolved = resolveBlockArgs('bottleneck', args);
  return new BottleneckBlock(args.zeroInitLastBn ?? false, 'bottleneck', resolved, resolved.filters * BOTTLENECK_EXPANSION);
});
