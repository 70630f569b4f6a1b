import type * as tf from '@tensorflow/tfjs';
import { BaseBlock, defineBlock, resolveBlockArgs } from './block.js';
import { convBn } from './conv-bn.js';
import { residualFrame, resolveResidual, type ResidualBlockArgs, type ResolvedResidual } from './residual.js';
import { ConfigError } from '../errors.js';
import { checkInteger } from '../validate.js';

/**
 * Output channels of a bottleneck block per unit of `filters`.
 *
 * @example
 * ```ts
 * const outChannels = 64 * BOTTLENECK_EXPANSION; // 256
 * ```
 */
export const BOTTLENECK_EXPANSION = 4;

/**
 * Defaults of {@link BottleneckBlockArgs}' own fields, stated once.
 *
 * @example
 * ```ts
 * BOTTLENECK_DEFAULTS.widthPerGroup; // 64: torchvision's width_per_group
 * ```
 */
export const BOTTLENECK_DEFAULTS = {
  /** Default of {@link BottleneckBlockArgs.groups}: an ordinary 3×3 convolution. */
  groups: 1,
  /** Default of {@link BottleneckBlockArgs.widthPerGroup}. */
  widthPerGroup: 64,
} as const;

/**
 * Arguments of {@link bottleneckBlock}.
 *
 * @example
 * ```ts
 * const resnextArgs: BottleneckBlockArgs = { filters: 64, name: 'layer1.0', groups: 32, widthPerGroup: 4 };
 * ```
 */
export interface BottleneckBlockArgs extends ResidualBlockArgs {
  /**
   * Groups of the 3×3 convolution — ResNeXt's cardinality (torchvision's
   * `groups`, timm's `cardinality`).
   * @defaultValue 1
   */
  groups?: number;
  /**
   * Width of each group per 64 of `filters` (torchvision's `width_per_group`,
   * timm's `base_width`): the inner width is
   * `floor(filters · widthPerGroup / 64) · groups` — 4 with 32 groups for
   * ResNeXt-50 32×4d, 128 for Wide ResNet-50-2.
   * @defaultValue 64
   */
  widthPerGroup?: number;
}

/** The inner (3×3) width of a bottleneck, as torchvision and timm compute it. @internal */
export function bottleneckWidth(filters: number, groups: number, widthPerGroup: number): number {
  return Math.floor((filters * widthPerGroup) / 64) * groups;
}

class BottleneckBlock extends BaseBlock {
  constructor(
    private readonly residual: ResolvedResidual,
    private readonly groups: number,
    private readonly width: number,
    ...rest: ConstructorParameters<typeof BaseBlock>
  ) {
    super(...rest);
  }

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const inChannels = this.inputChannels(x);
    const { stride, firstDilation, spec, name } = this.args;
    const { width, groups } = this;
    const ctx = { spec, init: this.args.init, cache: this.cache };
    // torchvision (v1.5) strides the 3×3; Keras (v1) strides the first 1×1.
    const [stride1, stride2] = spec.bottleneckStride === 'conv1' ? [stride, 1] : [1, stride];
    // 1×1 reduce → 3×3 (grouped) → 1×1 expand, each with BN (ReLU after the
    // first two), plus the shortcut, then ReLU.
    return residualFrame(
      x,
      {
        inChannels,
        outChannels: this.outChannels,
        convCount: 3,
        block: this.args,
        residual: this.residual,
        main: (input) => {
          let y = convBn(
            input,
            { filters: width, kernelSize: 1, stride: stride1, conv: spec.conv(name, 1), bn: spec.bn(name, 1), act: spec.act(name, 1) },
            ctx,
          );
          y = convBn(
            y,
            {
              filters: width,
              kernelSize: 3,
              stride: stride2,
              dilation: firstDilation,
              groups,
              conv: spec.conv(name, 2),
              bn: spec.bn(name, 2),
              act: spec.act(name, 2),
            },
            ctx,
          );
          return convBn(
            y,
            { filters: this.outChannels, kernelSize: 1, conv: spec.conv(name, 3), bn: spec.bn(name, 3), zeroGamma: this.residual.zeroInitLastBn },
            ctx,
          );
        },
      },
      ctx,
    );
  }
}

/**
 * The bottleneck residual block of ResNet-50/101/152 (He et al. 2015, Fig. 5
 * right): 1×1 reduce, 3×3, 1×1 expand to `filters × 4`, each with BatchNorm,
 * and a shortcut added before the final ReLU. In torchvision style the stride
 * sits on the 3×3 (ResNet v1.5), in Keras style on the first 1×1. With
 * `groups` and `widthPerGroup` it is ResNeXt's and Wide ResNet's block (the
 * 3×3 a grouped convolution); optional channel attention (SE) and drop-path
 * act on the residual branch before the addition, as in timm.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 256] });
 * const y = bottleneckBlock({ filters: 128, stride: 2, name: 'layer2.0' }).apply(x); // [null, 28, 28, 512]
 * const z = bottleneckBlock({ filters: 64, groups: 32, widthPerGroup: 4, name: 'layer1.1' }).apply(x); // ResNeXt
 * ```
 */
export const bottleneckBlock = defineBlock('bottleneck', BOTTLENECK_EXPANSION, (args: BottleneckBlockArgs) => {
  const resolved = resolveBlockArgs('bottleneck', args);
  const where = `bottleneck block "${resolved.name}"`;
  const residual = resolveResidual(args, where);
  const groups = checkInteger(args.groups ?? BOTTLENECK_DEFAULTS.groups, where, 'groups');
  const widthPerGroup = checkInteger(args.widthPerGroup ?? BOTTLENECK_DEFAULTS.widthPerGroup, where, 'widthPerGroup');
  const width = bottleneckWidth(resolved.filters, groups, widthPerGroup);
  if (width < 1) {
    throw new ConfigError(
      `${where}: the inner width floor(filters · widthPerGroup / 64) · groups is 0 for filters ${resolved.filters} and widthPerGroup ${widthPerGroup}; widthPerGroup must be at least ${Math.ceil(64 / resolved.filters)}`,
    );
  }
  return new BottleneckBlock(residual, groups, width, 'bottleneck', resolved, resolved.filters * BOTTLENECK_EXPANSION);
});
