import type * as tf from '@tensorflow/tfjs';
import { basicBlock, type BasicBlockArgs } from '../blocks/basic.js';
import { convBn, type UnitContext } from '../blocks/conv-bn.js';
import { LayerCache } from '../blocks/layer-cache.js';
import { styleNames, styleSpec, type StyleSpec } from '../blocks/style.js';
import { stage } from '../stages/stage.js';
import { assembleNetwork } from './network.js';
import type { ResNetOptions } from './options.js';
import { resolveOptions } from './options.js';
import { planStages } from './stage-plan.js';
import { ConfigError } from '../errors.js';
import { checkBoolean, describe } from '../validate.js';

/**
 * Options of {@link cifarResnet}: those of every builder, with CIFAR-10's
 * defaults, plus `plain`.
 *
 * @example
 * ```ts
 * const options: CifarResNetOptions = { plain: true, classes: 100 };
 * const plain56 = cifarResnet(56, options);
 * ```
 */
export interface CifarResNetOptions extends ResNetOptions {
  /**
   * Build the "plain" counterpart: the same layers without shortcuts (no
   * addition; each block ends in its ReLU) — the degradation experiment of
   * He et al. 2015, Fig. 6.
   * @defaultValue false
   */
  plain?: boolean;
}

/**
 * Defaults of the CIFAR networks that differ from {@link DEFAULT_OPTIONS},
 * stated once: 32×32 RGB input, 10 classes.
 *
 * @example
 * ```ts
 * const model = cifarResnet(20, { ...CIFAR_DEFAULTS, classes: 100 });
 * ```
 */
export const CIFAR_DEFAULTS = {
  /** CIFAR's 32×32 RGB images. */
  inputShape: [32, 32, 3],
  /** CIFAR-10's classes. */
  classes: 10,
  /** Default of {@link CifarResNetOptions.plain}: with shortcuts. */
  plain: false,
} as const satisfies CifarResNetOptions;

/** Filters of the three stages and of the stem (He et al. 2015, §4.2). */
const CIFAR_WIDTHS = [16, 32, 64] as const;

/** The depths of the paper's CIFAR-10 table (Table 6), valid examples for error messages. */
const PAPER_DEPTHS = [20, 32, 44, 56, 110, 1202] as const;

/**
 * Blocks per stage of a CIFAR ResNet of `depth` layers: `(depth − 2) / 6`;
 * throws a {@link ConfigError} unless `depth` is `6n + 2` with n ≥ 1.
 * @internal
 */
export function cifarBlocks(depth: unknown, where: string): number {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new ConfigError(
      `${where}: depth must be 6n + 2 with n ≥ 1 basic blocks per stage (8, 14, 20, …; the paper's are ${PAPER_DEPTHS.join(', ')}), got ${describe(depth)}`,
    );
  }
  return (depth - 2) / 6;
}

/**
 * A CIFAR-10 residual network of the original paper (He et al. 2015, §4.2):
 * a 3×3 convolution of 16 filters with BN and ReLU (no max pool), three
 * stages of `n = (depth − 2) / 6` basic blocks with 16, 32 and 64 filters
 * (the last two strided), global average pooling and a dense classifier —
 * `6n + 2` weighted layers. Shortcuts are identities; where a block halves
 * the resolution and doubles the channels the shortcut subsamples with
 * stride 2 and zero-pads the new channels ("option A", no parameters), so a
 * ResNet has exactly as many parameters as its plain counterpart
 * (`plain: true`). ResNet-20/32/44/56/110 have 269,722 · 464,154 · 658,586 ·
 * 853,018 · 1,727,962 trainable parameters.
 *
 * Layer names are PyTorch module paths as in the widely used PyTorch
 * reimplementation of these nets (`conv1`, `bn1`, `layer1.0.conv1`,
 * `layer1.0.bn1`, …, classifier `linear`), so its state dicts load by name;
 * `style: 'keras'` names them the Keras way (`conv2_block1_1_conv`, …,
 * `predictions`). Input 32×32×3 and 10 classes by default; `outputStride` has
 * no effect (the network's stride is 4).
 *
 * @throws {@link ConfigError} unless `depth` is `6n + 2` (n ≥ 1), or for an invalid option.
 *
 * @example
 * ```ts
 * const resnet56 = cifarResnet(56);
 * const plain56 = cifarResnet(56, { plain: true });
 * const logits = resnet56.predict(tf.zeros([8, 32, 32, 3])) as tf.Tensor; // [8, 10]
 * ```
 */
export function cifarResnet(depth: number, options: CifarResNetOptions = {}): tf.LayersModel {
  const n = cifarBlocks(depth, `cifarResnet(${describe(depth)})`);
  const { plain = CIFAR_DEFAULTS.plain, ...rest } = options;
  checkBoolean(plain, `cifarResnet(${depth})`, 'plain');
  const o = resolveOptions({ ...CIFAR_DEFAULTS, name: `${plain ? 'plain' : 'resnet'}${depth}`, ...rest });

  // The style's names, with the CIFAR nets' own where they differ (the PyTorch classifier `linear`).
  const spec: StyleSpec = { ...styleSpec(o.style), ...styleNames(o.style).cifar };
  const ctx: UnitContext = { spec, init: o.init, cache: new LayerCache() };
  const blockArgs: Partial<BasicBlockArgs> = { shortcut: plain ? 'none' : 'padChannels' };
  if (options.zeroInitLastBn !== undefined) blockArgs.zeroInitLastBn = o.zeroInitLastBn;
  const plan = planStages({
    layers: CIFAR_WIDTHS.map(() => n),
    strides: CIFAR_WIDTHS.map((_, i) => (i === 0 ? 1 : 2)),
    stemStride: 1,
    outputStride: o.outputStride,
    dropPathRate: o.dropPathRate,
  });

  // Every block is made (and so validated) before any layer is built.
  const stages = plan.map((step, i) =>
    stage({
      block: basicBlock,
      filters: CIFAR_WIDTHS[i],
      blocks: n,
      stride: step.stride,
      name: spec.stageName(i),
      style: o.style,
      init: o.init,
      blockArgs,
      dropPathRates: o.dropPathRate > 0 ? step.blocks.map((b) => b.dropPathRate) : undefined,
    }),
  );
  const width = CIFAR_WIDTHS[0];
  const names = spec.stem;
  return assembleNetwork({
    model: o,
    head: o,
    ctx,
    stem: (input) => {
      const act = convBn(input, { filters: width, kernelSize: 3, conv: names.conv, bn: names.bn, act: names.act }, ctx);
      return { output: act, feature: { name: 'act1', channels: width, reduction: 1, at: act } };
    },
    stages: stages.map((st, i) => ({ stage: st, feature: `layer${i + 1}`, reduction: plan[i].reduction })),
  });
}
