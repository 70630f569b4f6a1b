import type * as tf from '@tensorflow/tfjs';
import type { BlockArgs, BlockFactory } from '../blocks/block.js';
import type { BottleneckBlockArgs } from '../blocks/bottleneck.js';
import { resolveBlockFactory, type BlockKind } from '../blocks/kinds.js';
import { LayerCache } from '../blocks/layer-cache.js';
import { styleSpec } from '../blocks/style.js';
import { stage } from '../stages/stage.js';
import type { StemType } from './stem.js';
import { planStages, resolveStagePlan } from './stage-plan.js';
import { assembleNetwork, stem } from './network.js';
import { resolveOptions, type ResNetOptions } from './options.js';
import { presetModel, type PresetWeightsOptions } from './preset-weights.js';
import { ConfigError } from '../errors.js';
import { checkOneOf, describe } from '../validate.js';

/**
 * The depths of the ResNets of He et al. (2015), Table 1.
 *
 * @example
 * ```ts
 * const depth: ResNetDepth = 50;
 * const model = resnet(depth);
 * ```
 */
export type ResNetDepth = 18 | 34 | 50 | 101 | 152;

/**
 * A custom residual network: a block type and the number of blocks per stage.
 *
 * @example
 * ```ts
 * const config: ResNetConfig = { block: 'basic', layers: [1, 1, 1, 1] }; // a ResNet-10
 * const model = resnet(config, { classes: 10, inputShape: [64, 64, 3] });
 * ```
 */
export interface ResNetConfig<A extends BlockArgs = BottleneckBlockArgs> {
  /** The block type: `'basic'`, `'bottleneck'` or any {@link BlockFactory}. */
  block: BlockKind | BlockFactory<A>;
  /** Blocks per stage; one entry per stage, each ≥ 1. */
  layers: number[];
  /**
   * The blocks' `filters` per stage.
   * @defaultValue `64 · 2^i` for stage i (64, 128, 256, 512)
   */
  widths?: number[];
  /**
   * Stride of each stage's first block.
   * @defaultValue 1 for the first stage, 2 for the others
   */
  strides?: number[];
  /**
   * Output channels of the stem convolution.
   * @defaultValue 64
   */
  stemWidth?: number;
  /**
   * The stem: one 7×7 convolution, or a deep stem of three 3×3 convolutions
   * (ResNet-C/D; see {@link StemType}).
   * @defaultValue `'default'`
   */
  stemType?: StemType;
  /**
   * Per stage after the first: replace its stride by dilation, keeping the
   * resolution (torchvision's `replace_stride_with_dilation`; `[false, true,
   * true]` gives output stride 8).
   * @defaultValue all false
   */
  replaceStrideWithDilation?: boolean[];
  /**
   * Further arguments for every block: for the built-in blocks `groups` and
   * `widthPerGroup` (ResNeXt, Wide ResNet), `attention` (`'se'`),
   * `shortcut` (`'avgPool'` for ResNet-D), `zeroInitLastBn`.
   */
  blockArgs?: Omit<Partial<A>, keyof BlockArgs>;
}

/** Layers per stage of each standard depth (He et al. 2015, Table 1). */
export const RESNET_DEPTHS: Readonly<Record<ResNetDepth, ResNetConfig>> = {
  18: { block: 'basic', layers: [2, 2, 2, 2] },
  34: { block: 'basic', layers: [3, 4, 6, 3] },
  50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  101: { block: 'bottleneck', layers: [3, 4, 23, 3] },
  152: { block: 'bottleneck', layers: [3, 8, 36, 3] },
};

const DEPTHS = Object.keys(RESNET_DEPTHS).map(Number) as ResNetDepth[];

/**
 * Builds a residual network as a plain `tf.LayersModel`: `resnet(50)` for a
 * standard depth, or `resnet({ block, layers, ... })` for a custom one. The
 * network is torchvision's ResNet v1.5 by default, `style: 'keras'` builds an
 * exact replica of `keras.applications` ResNet.
 *
 * @example
 * ```ts
 * const model = resnet(50, { classifierActivation: 'linear' });
 * const custom = resnet({ block: 'bottleneck', layers: [2, 2, 2] }, { classes: 10, inputShape: [64, 64, 3] });
 * // SE-ResNeXt-50-D 32×4d: grouped 3×3s, SE, deep stem, average-pool shortcuts
 * const senext = resnet(
 *   { block: 'bottleneck', layers: [3, 4, 6, 3], stemType: 'deep', blockArgs: { groups: 32, widthPerGroup: 4, attention: 'se', shortcut: 'avgPool' } },
 *   { outputStride: 16, dropPathRate: 0.05 },
 * );
 * ```
 */
export function resnet(depth: ResNetDepth, options?: ResNetOptions): tf.LayersModel;
export function resnet<A extends BlockArgs>(config: ResNetConfig<A> & { block: BlockFactory<A> }, options?: ResNetOptions): tf.LayersModel;
export function resnet(config: ResNetConfig, options?: ResNetOptions): tf.LayersModel;
export function resnet(depthOrConfig: ResNetDepth | ResNetConfig, options: ResNetOptions = {}): tf.LayersModel {
  if (typeof depthOrConfig === 'number' || typeof depthOrConfig !== 'object' || depthOrConfig === null) {
    const depth = checkOneOf(depthOrConfig, DEPTHS, 'resnet', 'depth');
    return buildResNet(RESNET_DEPTHS[depth], { name: `resnet${depth}`, ...options });
  }
  return buildResNet(depthOrConfig, options);
}

/**
 * The general builder behind {@link resnet} and every preset: stem, stages,
 * head. Validates the whole configuration before building anything.
 * @internal
 */
export function buildResNet(config: ResNetConfig, options: ResNetOptions): tf.LayersModel {
  const o = resolveOptions(options);
  const where = `resnet "${o.name}"`;
  const factory = resolveBlockFactory(config.block, where);
  const { layers, widths, strides, stemWidth, stemType } = resolveStagePlan(config, where, (i) => (i === 0 ? 1 : 2));
  const dilate = resolveDilation(config.replaceStrideWithDilation, options.outputStride, { strides, layers }, where);
  const plan = planStages({ layers, strides, stemStride: 4, outputStride: o.outputStride, dilate, dropPathRate: o.dropPathRate });

  const blockArgs: Record<string, unknown> = { ...config.blockArgs };
  if (options.zeroInitLastBn !== undefined) blockArgs.zeroInitLastBn = o.zeroInitLastBn;

  const spec = styleSpec(o.style);
  // Every block is made (and so validated) before any layer is built.
  const stages = plan.map((step, i) =>
    stage({
      block: factory,
      filters: widths[i],
      blocks: layers[i],
      stride: step.stride,
      dilation: step.dilation,
      firstDilation: step.dilationBefore,
      name: spec.stageName(i),
      style: o.style,
      init: o.init,
      blockArgs,
      dropPathRates: o.dropPathRate > 0 ? step.blocks.map((b) => b.dropPathRate) : undefined,
    }),
  );
  const ctx = { spec, init: o.init, cache: new LayerCache() };
  return assembleNetwork({
    model: o,
    head: o,
    ctx,
    stem: (input) => {
      const s = stem(input, { width: stemWidth, type: stemType }, ctx);
      return { output: s.pooled, feature: { name: 'act1', channels: stemWidth, reduction: 2, at: s.act } };
    },
    stages: stages.map((st, i) => ({ stage: st, feature: `layer${i + 1}`, reduction: plan[i].reduction })),
  });
}

/**
 * Per stage, whether its stride becomes dilation when
 * `replaceStrideWithDilation` (stages after the first) gives it; `undefined`
 * leaves it to the output stride ({@link planStages}, timm's rule). Both
 * given (`outputStride` other than 32) must agree.
 */
function resolveDilation(
  replace: unknown,
  outputStride: ResNetOptions['outputStride'],
  net: { strides: number[]; layers: number[] },
  where: string,
): boolean[] | undefined {
  if (replace === undefined) return undefined;
  const n = net.strides.length;
  if (!Array.isArray(replace) || replace.length > n - 1 || !replace.every((d) => typeof d === 'boolean')) {
    throw new ConfigError(
      `${where}: replaceStrideWithDilation must be an array of at most ${n - 1} booleans (one per stage after the first), got ${describe(replace)}`,
    );
  }
  const fromReplace = net.strides.map((_, i) => i > 0 && replace[i - 1] === true);
  if (outputStride === undefined || outputStride === 32) return fromReplace;
  const byRule = planStages({ ...net, stemStride: 4, outputStride, dropPathRate: 0 });
  const fromStride = byRule.map((step) => step.dilation !== step.dilationBefore);
  if (fromReplace.some((d, i) => d !== fromStride[i])) {
    throw new ConfigError(`${where}: outputStride ${outputStride} and replaceStrideWithDilation ${describe(replace)} disagree; give one of them`);
  }
  return fromReplace;
}

/**
 * ResNet-18 (basic blocks, [2, 2, 2, 2]); 11,689,512 trainable parameters as torchvision's.
 * With `weights` (torchvision's enum name, as `resnet18(weights='IMAGENET1K_V1')`
 * there), every preset resolves to the model with those published weights
 * loaded (see {@link createModel}'s `pretrained`).
 *
 * @example
 * ```ts
 * const model = resnet18({ classifierActivation: 'linear' });
 * ```
 */
export function resnet18(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet18(options?: ResNetOptions): tf.LayersModel;
export function resnet18(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return presetModel('resnet18', options, (o) => resnet(18, o));
}

/**
 * ResNet-34 (basic blocks, [3, 4, 6, 3]); 21,797,672 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const backbone = resnet34({ includeTop: false, pooling: 'avg' });
 * ```
 */
export function resnet34(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet34(options?: ResNetOptions): tf.LayersModel;
export function resnet34(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return presetModel('resnet34', options, (o) => resnet(34, o));
}

/**
 * ResNet-50 (bottleneck blocks, [3, 4, 6, 3]); 25,557,032 trainable parameters
 * as torchvision's, `countParams()` 25,636,712 in Keras style as Keras's.
 *
 * @example
 * ```ts
 * import { resnet50 } from 'tfjs-resnet';
 * const model = resnet50();
 * const probs = model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
 * const trained = await resnet50({ weights: 'IMAGENET1K_V2' }); // torchvision's weights, downloaded once and cached
 * ```
 */
export function resnet50(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet50(options?: ResNetOptions): tf.LayersModel;
export function resnet50(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return presetModel('resnet50', options, (o) => resnet(50, o));
}

/**
 * ResNet-101 (bottleneck blocks, [3, 4, 23, 3]); 44,549,160 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet101({ style: 'keras' });
 * ```
 */
export function resnet101(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet101(options?: ResNetOptions): tf.LayersModel;
export function resnet101(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return presetModel('resnet101', options, (o) => resnet(101, o));
}

/**
 * ResNet-152 (bottleneck blocks, [3, 8, 36, 3]); 60,192,808 trainable parameters as torchvision's.
 *
 * @example
 * ```ts
 * const model = resnet152({ init: 'zeros' }); // fast build, weights to be loaded
 * ```
 */
export function resnet152(options: PresetWeightsOptions): Promise<tf.LayersModel>;
export function resnet152(options?: ResNetOptions): tf.LayersModel;
export function resnet152(options?: ResNetOptions | PresetWeightsOptions): tf.LayersModel | Promise<tf.LayersModel> {
  return presetModel('resnet152', options, (o) => resnet(152, o));
}
