import * as tf from '@tensorflow/tfjs';
import type { BlockArgs, BlockFactory } from '../blocks/block.js';
import { resolveBlockFactory, type BlockKind } from '../blocks/kinds.js';
import { LayerCache } from '../blocks/layer-cache.js';
import { RESNET_STYLES, styleSpec } from '../blocks/style.js';
import { stage } from '../stages/stage.js';
import { stem } from './stem.js';
import { head } from './head.js';
import { DEFAULT_OPTIONS, type ResNetOptions } from './options.js';
import { setModelInfo, type FeatureLevel } from './model-info.js';
import { ConfigError } from '../errors.js';
import { checkInteger, checkOneOf, describe } from '../validate.js';

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
export interface ResNetConfig<A extends BlockArgs = BlockArgs> {
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
   * Per stage after the first: replace its stride by dilation, keeping the
   * resolution (torchvision's `replace_stride_with_dilation`; `[false, true,
   * true]` gives output stride 8).
   * @defaultValue all false
   */
  replaceStrideWithDilation?: boolean[];
  /** Further arguments for every block (e.g. `{ zeroInitLastBn: true }`). */
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
 * ```
 */
export function resnet(depth: ResNetDepth, options?: ResNetOptions): tf.LayersModel;
export function resnet<A extends BlockArgs>(config: ResNetConfig<A>, options?: ResNetOptions): tf.LayersModel;
export function resnet(depthOrConfig: ResNetDepth | ResNetConfig, options: ResNetOptions = {}): tf.LayersModel {
  if (typeof depthOrConfig === 'number' || typeof depthOrConfig !== 'object' || depthOrConfig === null) {
    const depth = checkOneOf(depthOrConfig, DEPTHS, 'resnet', 'depth');
    return buildResNet(RESNET_DEPTHS[depth], { name: `resnet${depth}`, ...options });
  }
  return buildResNet(depthOrConfig, options);
}

function resolveOptions(options: ResNetOptions) {
  const where = `resnet "${options.name ?? 'resnet'}"`;
  const o = { ...DEFAULT_OPTIONS, name: 'resnet', ...options };
  const shape = o.inputShape;
  if (
    !Array.isArray(shape) ||
    shape.length !== 3 ||
    !shape.every((d, i) => (d === null && i < 2) || (typeof d === 'number' && Number.isInteger(d) && d > 0))
  ) {
    throw new ConfigError(
      `${where}: inputShape must be [height, width, channels] with positive integers (height and width may be null), got ${describe(shape)}`,
    );
  }
  if (typeof o.includeTop !== 'boolean') {
    throw new ConfigError(`${where}: includeTop must be true or false, got ${describe(o.includeTop)}`);
  }
  checkInteger(o.classes, where, 'classes');
  checkOneOf(o.pooling, ['avg', 'max', null], where, 'pooling');
  checkOneOf(o.classifierActivation, ['softmax', 'linear'], where, 'classifierActivation');
  checkOneOf(o.style, RESNET_STYLES, where, 'style');
  checkOneOf(o.init, ['default', 'zeros'], where, 'init');
  return o;
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
  if (!Array.isArray(config.layers) || config.layers.length === 0) {
    throw new ConfigError(`${where}: layers must be a non-empty array of block counts per stage, got ${describe(config.layers)}`);
  }
  const n = config.layers.length;
  const perStage = (what: string, value: unknown, fallback: (i: number) => number): number[] => {
    const arr = value ?? config.layers.map((_, i) => fallback(i));
    if (!Array.isArray(arr) || arr.length !== n) {
      throw new ConfigError(`${where}: ${what} must have one entry per stage (${n}), got ${describe(arr)}`);
    }
    return arr.map((v, i) => checkInteger(v, where, `${what}[${i}]`));
  };
  const layers = perStage('layers', config.layers, () => 1);
  const widths = perStage('widths', config.widths, (i) => 64 * 2 ** i);
  const strides = perStage('strides', config.strides, (i) => (i === 0 ? 1 : 2));
  const stemWidth = checkInteger(config.stemWidth ?? 64, where, 'stemWidth');
  const dilate = config.replaceStrideWithDilation ?? [];
  if (!Array.isArray(dilate) || dilate.length > n - 1 || !dilate.every((d) => typeof d === 'boolean')) {
    throw new ConfigError(
      `${where}: replaceStrideWithDilation must be an array of at most ${n - 1} booleans (one per stage after the first), got ${describe(dilate)}`,
    );
  }

  const spec = styleSpec(o.style);
  const ctx = { spec, init: o.init, cache: new LayerCache() };
  const input = tf.input({ shape: o.inputShape, name: 'input' });
  const s = stem(input, stemWidth, ctx);
  const features: FeatureLevel[] = [{ name: 'act1', channels: stemWidth, reduction: 2, layer: spec.stem.act }];
  let x = s.pooled;
  let reduction = 4;
  let dilation = 1;
  for (let i = 0; i < n; i++) {
    const previousDilation = dilation;
    let stride = strides[i];
    if (i > 0 && dilate[i - 1]) {
      dilation *= stride;
      stride = 1;
    }
    const st = stage({
      block: factory,
      filters: widths[i],
      blocks: layers[i],
      stride,
      dilation,
      firstDilation: previousDilation,
      name: spec.stageName(i),
      style: o.style,
      init: o.init,
      blockArgs: config.blockArgs,
    });
    x = st.apply(x);
    reduction *= stride;
    features.push({
      name: `layer${i + 1}`,
      channels: st.outChannels,
      reduction,
      layer: x.sourceLayer.name,
    });
  }
  const output = head(x, o, ctx);
  const model = tf.model({ inputs: input, outputs: output, name: o.name });
  setModelInfo(model, { style: o.style, features });
  return model;
}
