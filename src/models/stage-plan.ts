import { ConfigError } from '../errors.js';
import { checkInteger, checkOneOf, describe } from '../validate.js';
import { deepStemWidths, STEM_TYPES, type StemType } from './stem.js';
import { placeStride } from '../stages/stage.js';

/** The per-stage and stem fields every network configuration shares. @internal */
export interface StagePlanConfig {
  layers: unknown;
  widths?: unknown;
  strides?: unknown;
  stemWidth?: unknown;
  stemType?: unknown;
}

/** A validated plan of stages and stem. @internal */
export interface StagePlan {
  readonly layers: number[];
  readonly widths: number[];
  readonly strides: number[];
  readonly stemWidth: number;
  readonly stemType: StemType;
}

/**
 * Validates the block counts, widths and strides per stage (one entry per
 * stage, each a positive integer; widths default to `64 · 2^i`, strides to
 * `defaultStride(i, n)`) and the stem's width and type; throws a
 * {@link ConfigError} naming the argument.
 * @internal
 */
export function resolveStagePlan(config: StagePlanConfig, where: string, defaultStride: (i: number, n: number) => number): StagePlan {
  if (!Array.isArray(config.layers) || config.layers.length === 0) {
    throw new ConfigError(`${where}: layers must be a non-empty array of block counts per stage, got ${describe(config.layers)}`);
  }
  const n = config.layers.length;
  const perStage = (what: string, value: unknown, fallback: (i: number) => number): number[] => {
    const arr = value ?? Array.from({ length: n }, (_, i) => fallback(i));
    if (!Array.isArray(arr) || arr.length !== n) {
      throw new ConfigError(`${where}: ${what} must have one entry per stage (${n}), got ${describe(arr)}`);
    }
    return arr.map((v, i) => checkInteger(v, where, `${what}[${i}]`));
  };
  const layers = perStage('layers', config.layers, () => 1);
  const widths = perStage('widths', config.widths, (i) => 64 * 2 ** i);
  const strides = perStage('strides', config.strides, (i) => defaultStride(i, n));
  const stemWidth = checkInteger(config.stemWidth ?? 64, where, 'stemWidth');
  const stemType = checkOneOf(config.stemType ?? 'default', STEM_TYPES, where, 'stemType');
  if (stemType !== 'default' && (stemWidth % 2 !== 0 || deepStemWidths(stemType, stemWidth)[0] < 1)) {
    throw new ConfigError(`${where}: a ${stemType} stem needs an even stemWidth of at least ${stemType === 'deep' ? 2 : 8}, got ${stemWidth}`);
  }
  return { layers, widths, strides, stemWidth, stemType };
}

/**
 * timm's stochastic depth, linear over all blocks of the network: block k of
 * K (counting from 0 across stages) drops its branch with `rate·k/(K−1)` (0
 * when there is a single block). One array of rates per stage.
 * @internal
 */
export function linearDropPathRates(layers: readonly number[], rate: number): number[][] {
  const total = layers.reduce((a, b) => a + b, 0);
  let k = 0;
  return layers.map((blocks) => Array.from({ length: blocks }, () => (total > 1 ? (rate * k++) / (total - 1) : 0)));
}

/**
 * Arguments of {@link planStages}.
 * @internal
 */
export interface PlanStagesArgs {
  /** Blocks per stage. */
  readonly layers: readonly number[];
  /** The stride each stage would have without dilation. */
  readonly strides: readonly number[];
  /** Stride of the stem: 4 for the ImageNet stems (stride-2 conv, stride-2 pool), 1 for the CIFAR nets. */
  readonly stemStride: number;
  /**
   * The largest total stride: once the stride so far has reached it, a
   * stage's stride becomes dilation (timm's `output_stride`). Ignored when
   * `dilate` is given.
   */
  readonly outputStride: number;
  /** Per stage, whether its stride becomes dilation (torchvision's `replace_stride_with_dilation`), instead of `outputStride`'s rule. */
  readonly dilate?: readonly boolean[];
  /** The network's stochastic-depth rate ({@link linearDropPathRates}). */
  readonly dropPathRate: number;
  /** Which block of a stage carries its stride: the first (torchvision, timm) or the last (Keras's ResNetV2 `stack2`). @defaultValue `'first'` */
  readonly stridedBlock?: 'first' | 'last';
}

/** Where one block of a stage sits in the network's stride and dilation. @internal */
export interface BlockPlan {
  /** The block's stride. */
  readonly stride: number;
  /** Dilation of its first 3×3 convolution (the one that would carry the stride). */
  readonly firstDilation: number;
  /** Dilation of its other 3×3 convolutions. */
  readonly dilation: number;
  /** Its stochastic-depth rate. */
  readonly dropPathRate: number;
}

/** One stage of a {@link planStages} plan. @internal */
export interface StageStep {
  /** The stage's stride once its dilation is decided (1 for a dilated stage). */
  readonly stride: number;
  /** Dilation before the stage (that of the previous stage). */
  readonly dilationBefore: number;
  /** Dilation of the stage's blocks after its strided block. */
  readonly dilation: number;
  /** Total stride of the network after this stage (input size / feature size). */
  readonly reduction: number;
  /** Its blocks, in order. */
  readonly blocks: readonly BlockPlan[];
}

/**
 * The stage plan of every family: each stage's stride, dilation before and
 * after it, the reduction after it, and each block's stride, dilations and
 * drop-path rate. The output-stride rule is timm's (`make_blocks`): starting
 * from the stem's stride, a stage whose stride would take the network past
 * the stride reached so far once that has reached `outputStride` dilates
 * instead (`dilation *= stride`, stride 1). So a net of stride-2 stages
 * never exceeds `outputStride` (a custom stride of 4 can jump past it, as in
 * timm): a five-stage net at output stride 32 dilates its fifth
 * stage, as timm's would. Within a stage, the strided block keeps the
 * previous dilation on its first 3×3 (`first_dilation`), the blocks before
 * it (Keras's ResNetV2 strides the last one) keep the previous dilation,
 * the blocks after it take the new one.
 * @internal
 */
export function planStages(args: PlanStagesArgs): StageStep[] {
  const rates = linearDropPathRates(args.layers, args.dropPathRate);
  let netStride = args.stemStride;
  let dilation = 1;
  return args.layers.map((count, i) => {
    const dilationBefore = dilation;
    let stride = args.strides[i];
    const dilate = args.dilate !== undefined ? args.dilate[i] === true : netStride >= args.outputStride;
    if (dilate && stride > 1) {
      dilation *= stride;
      stride = 1;
    } else {
      netStride *= stride;
    }
    const placed = placeStride(count, { stride, dilationBefore, dilation, stridedBlock: args.stridedBlock });
    const blocks = placed.map((block, j) => ({ ...block, dropPathRate: rates[i][j] }));
    return { stride, dilationBefore, dilation, reduction: netStride, blocks };
  });
}
