import type * as tf from '@tensorflow/tfjs';
import type { BlockFactory } from '../blocks/block.js';
import { resolveBlockFactory } from '../blocks/kinds.js';
import { batchNorm, relu, type UnitContext } from '../blocks/conv-bn.js';
import { LayerCache } from '../blocks/layer-cache.js';
import { preactBasicBlock, preactBottleneckBlock, PREACT_SHORTCUTS, type PreactBlockArgs, type PreactShortcut } from '../blocks/preact.js';
import { styleNames, styleSpec, type ResNetStyle, type StyleSpec } from '../blocks/style.js';
import type { ResNetV2Names } from '../blocks/naming/names.js';
import { assembleNetwork, preactStem } from './network.js';
import { resolveOptions, type ResNetOptions } from './options.js';
import type { StemType } from './stem.js';
import { planStages, resolveStagePlan } from './stage-plan.js';
import { stage } from '../stages/stage.js';
import { ConfigError } from '../errors.js';
import { checkOneOf, describe } from '../validate.js';

/**
 * The built-in pre-activation block types, usable wherever
 * {@link ResNetV2Config.block} expects a block.
 *
 * @example
 * ```ts
 * const kind: PreactBlockKind = 'bottleneck';
 * ```
 */
export type PreactBlockKind = 'basic' | 'bottleneck';

/** By kind; the order is the one error messages list. */
const PREACT_KINDS: Record<PreactBlockKind, BlockFactory<PreactBlockArgs>> = {
  bottleneck: preactBottleneckBlock,
  basic: preactBasicBlock,
};

/**
 * A pre-activation (v2) residual network: a block type and the number of
 * blocks per stage.
 *
 * @example
 * ```ts
 * const config: ResNetV2Config = { block: 'bottleneck', layers: [3, 4, 6, 3], stemType: 'deep', shortcut: 'avgPool' }; // timm's resnetv2_50d
 * const model = resnetV2(config, { classes: 10 });
 * ```
 */
export interface ResNetV2Config {
  /**
   * The block type: `'bottleneck'` ({@link preactBottleneckBlock}),
   * `'basic'` ({@link preactBasicBlock}) or any block factory taking
   * {@link PreactBlockArgs}.
   */
  block: PreactBlockKind | BlockFactory<PreactBlockArgs>;
  /** Blocks per stage; one entry per stage, each ≥ 1. */
  layers: number[];
  /**
   * The blocks' `filters` per stage.
   * @defaultValue `64 · 2^i` for stage i (64, 128, 256, 512)
   */
  widths?: number[];
  /**
   * Stride of each stage. In torchvision (timm) style it sits on the stage's
   * first block, in Keras style on its last block (Keras's `stack2`).
   * @defaultValue `[1, 2, 2, 2, …]` in torchvision style, `[2, 2, …, 2, 1]` in Keras style
   */
  strides?: number[];
  /**
   * Output channels of the stem.
   * @defaultValue 64
   */
  stemWidth?: number;
  /**
   * The stem's convolutions: one 7×7 (`'default'`) or three 3×3 (`'deep'`,
   * `'deep_tiered'`, timm's `stem_type='deep'`/`'tiered'`), with BN → ReLU
   * between them but none after: the first block's pre-activation follows.
   * @defaultValue `'default'`
   */
  stemType?: StemType;
  /**
   * The projection shortcut of each stage's first block: a strided 1×1
   * convolution, or ResNet-D's average pool then 1×1 convolution (timm's
   * `avg_down=True`).
   * @defaultValue `'projection'`
   */
  shortcut?: PreactShortcut;
  /** Further arguments for every block (e.g. `{ zeroInitLast: true }`). */
  blockArgs?: Omit<Partial<PreactBlockArgs>, 'filters' | 'stride' | 'dilation' | 'firstDilation' | 'name' | 'style' | 'init' | 'projection' | 'shortcut'>;
}

/**
 * The rules and names of a pre-activation network outside its blocks:
 * timm's `ResNetV2` in torchvision style, `keras.applications` ResNetV2 in
 * Keras style (names from the style's naming table, `resnetV2`).
 */
interface V2Layout extends ResNetV2Names {
  /** The style's spec, with this family's stage, block and head names. */
  readonly spec: StyleSpec;
  /** Which block of a stage carries its stride. */
  readonly strideOn: 'first' | 'last';
  /** The stem's max pool is timm's exact −∞-padded one (Keras pads with zeros). */
  readonly exactPool: boolean;
}

function layoutOf(style: ResNetStyle): V2Layout {
  const names = styleNames(style).resnetV2;
  const { stageName, blockName, globalAvgPool, globalMaxPool, classifier } = names;
  return {
    ...names,
    spec: { ...styleSpec(style), stageName, blockName, globalAvgPool, globalMaxPool, classifier },
    strideOn: style === 'keras' ? 'last' : 'first',
    exactPool: style !== 'keras',
  };
}

/** Validated {@link ResNetV2Config}. */
interface ResolvedV2Config {
  readonly factory: BlockFactory<PreactBlockArgs>;
  readonly layers: number[];
  readonly widths: number[];
  readonly strides: number[];
  readonly stemWidth: number;
  readonly stemType: StemType;
  readonly shortcut: PreactShortcut;
}

function resolveConfig(config: ResNetV2Config, layout: V2Layout, where: string): ResolvedV2Config {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(`${where}: the configuration must be an object such as { block: 'bottleneck', layers: [3, 4, 6, 3] }, got ${describe(config)}`);
  }
  const factory = resolveBlockFactory(config.block, where, PREACT_KINDS, 'a block factory taking PreactBlockArgs');
  const defaultStride = layout.strideOn === 'first' ? (i: number) => (i === 0 ? 1 : 2) : (i: number, n: number) => (i === n - 1 ? 1 : 2);
  return {
    factory,
    ...resolveStagePlan(config, where, defaultStride),
    shortcut: checkOneOf(config.shortcut ?? 'projection', PREACT_SHORTCUTS, where, 'shortcut'),
  };
}

/**
 * Builds a pre-activation residual network (ResNet v2, He et al. 2016) as a
 * plain `tf.LayersModel`: stem, stages of pre-activation blocks, a final
 * BN → ReLU, then the head.
 *
 * - `style: 'torchvision'` (the default) is timm's `ResNetV2` with BatchNorm
 *   (`resnetv2_50` …): layer names are timm's module paths (`stem.conv`,
 *   `stages.0.blocks.0.norm1`, `…downsample.conv`, `norm`, `head.fc` — a
 *   Dense holding timm's 1×1-conv classifier), the stride on each stage's
 *   first block, PyTorch's padding, BN epsilon 1e-5.
 * - `style: 'keras'` is `keras.applications` ResNetV2 (`resnet50v2` …):
 *   Keras's layer names (`conv2_block1_preact_bn`, `post_bn`, `predictions`),
 *   the stride on each stack's *last* block, biased `conv1_conv`, `_0_conv`
 *   and `_3_conv`, epsilon 1.001e-5.
 *
 * Options are those of every builder; `outputStride` 16 or 8 dilates the last
 * stages instead of striding them (timm's `output_stride`),
 * `dropPathRate` adds timm's linearly increasing stochastic depth, and
 * `zeroInitLastBn` zero-initialises each block's last convolution (timm's
 * `zero_init_last`: a pre-activation block ends in a convolution).
 *
 * @throws {@link ConfigError} for an invalid configuration or option.
 *
 * @example
 * ```ts
 * const timmLike = resnetV2({ block: 'bottleneck', layers: [3, 4, 6, 3] }, { classifierActivation: 'linear' });
 * const kerasLike = resnetV2({ block: 'bottleneck', layers: [3, 4, 6, 3] }, { style: 'keras' });
 * ```
 */
export function resnetV2(config: ResNetV2Config, options: ResNetOptions = {}): tf.LayersModel {
  const o = resolveOptions({ name: 'resnetv2', ...options });
  const where = `resnetV2 "${o.name}"`;
  const layout = layoutOf(o.style);
  const c = resolveConfig(config, layout, where);
  const { spec } = layout;

  const stridedBlock = layout.strideOn;
  const plan = planStages({ layers: c.layers, strides: c.strides, stemStride: 4, outputStride: o.outputStride, dropPathRate: o.dropPathRate, stridedBlock });

  let subsamples = 0;
  // Every block is made (and so validated) before any layer is built.
  const stages = plan.map((step, i) => {
    const stageName = spec.stageName(i);
    const strided = stridedBlock === 'first' ? 0 : c.layers[i] - 1;
    return stage({
      block: c.factory,
      filters: c.widths[i],
      blocks: c.layers[i],
      stride: step.stride,
      dilation: step.dilation,
      firstDilation: step.dilationBefore,
      stridedBlock,
      name: stageName,
      blockName: (j) => spec.blockName(stageName, j),
      style: o.style,
      init: o.init,
      blockArgs: {
        ...config.blockArgs,
        ...(options.zeroInitLastBn !== undefined ? { zeroInitLast: o.zeroInitLastBn } : {}),
        shortcut: c.shortcut,
      },
      // timm projects in each stage's first block (the basic block only
      // when the shape changes), Keras in each stack's first block; Keras
      // subsamples an unprojected strided shortcut with a named 1×1 max pool.
      blockArgsAt: (j) => ({
        projection: j === 0 ? (c.factory === preactBasicBlock && stridedBlock === 'first' ? undefined : true) : false,
        ...(j === strided && j !== 0 && step.stride > 1 ? { subsampleName: layout.subsample(subsamples++) } : {}),
      }),
      dropPathRates: step.blocks.map((block) => block.dropPathRate),
    });
  });
  const ctx: UnitContext = { spec, init: o.init, cache: new LayerCache() };
  return assembleNetwork({
    model: o,
    head: o,
    ctx,
    stem: (input) => {
      const s = preactStem(input, { width: c.stemWidth, type: c.stemType, names: layout, exactPool: layout.exactPool }, ctx);
      return { output: s.pooled, feature: { name: s.feature.sourceLayer.name, channels: c.stemWidth, reduction: 2, at: s.feature } };
    },
    stages: stages.map((st, i) => ({ stage: st, feature: st.name, reduction: plan[i].reduction })),
    // Pre-activation: the last block's output is normalised once more.
    preHead: (x) => relu(batchNorm(x, layout.postBn, ctx), layout.postAct, ctx),
  });
}

/**
 * Blocks per stage of the standard ResNet v2 depths (bottleneck blocks).
 *
 * @example
 * ```ts
 * const model = resnetV2({ block: 'bottleneck', layers: RESNETV2_DEPTHS[101] }, { style: 'keras' });
 * ```
 */
export const RESNETV2_DEPTHS = {
  /** ResNet-50 v2. */
  50: [3, 4, 6, 3],
  /** ResNet-101 v2. */
  101: [3, 4, 23, 3],
  /** ResNet-152 v2. */
  152: [3, 8, 36, 3],
} as const satisfies Record<number, readonly number[]>;

/** A preset of a fixed style: the caller may not ask for the other one. @internal */
export function resnetV2Preset(style: ResNetStyle, config: ResNetV2Config, name: string, options: ResNetOptions = {}): tf.LayersModel {
  if (options.style !== undefined && options.style !== style) {
    throw new ConfigError(
      `${name}: is built in ${describe(style)} style only (its layer names and arithmetic are those of ${style === 'keras' ? 'keras.applications' : 'timm'}), got style ${describe(options.style)}; use resnetV2(config, { style }) for the other layout`,
    );
  }
  return resnetV2(config, { name, ...options, style });
}

/** The bottleneck ResNetV2 of a standard depth. @internal */
export const resnetV2Bottlenecks = (depth: keyof typeof RESNETV2_DEPTHS): ResNetV2Config => ({
  block: 'bottleneck',
  layers: [...RESNETV2_DEPTHS[depth]],
});

/**
 * ResNet50V2 exactly as `keras.applications.ResNet50V2` (Keras layer names,
 * stride on each stack's last block); `countParams()` 25,613,800.
 *
 * @example
 * ```ts
 * const model = resnet50v2();
 * model.getLayer('conv2_block1_preact_bn');
 * ```
 */
export function resnet50v2(options?: ResNetOptions): tf.LayersModel {
  return resnetV2Preset('keras', resnetV2Bottlenecks(50), 'resnet50v2', options);
}

/**
 * ResNet101V2 exactly as `keras.applications.ResNet101V2`; `countParams()` 44,675,560.
 *
 * @example
 * ```ts
 * const backbone = resnet101v2({ includeTop: false, pooling: 'avg' });
 * ```
 */
export function resnet101v2(options?: ResNetOptions): tf.LayersModel {
  return resnetV2Preset('keras', resnetV2Bottlenecks(101), 'resnet101v2', options);
}

/**
 * ResNet152V2 exactly as `keras.applications.ResNet152V2`; `countParams()` 60,380,648.
 *
 * @example
 * ```ts
 * const model = resnet152v2({ init: 'zeros' }); // fast build, weights to be loaded
 * ```
 */
export function resnet152v2(options?: ResNetOptions): tf.LayersModel {
  return resnetV2Preset('keras', resnetV2Bottlenecks(152), 'resnet152v2', options);
}
