import type * as tf from '@tensorflow/tfjs';
import type { Block, BlockArgs, BlockFactory } from '../blocks/block.js';
import { uniqueName } from '../blocks/block.js';
import { resolveBlockFactory, type BlockKind } from '../blocks/kinds.js';
import { DEFAULT_STYLE, RESNET_STYLES, styleSpec, type ResNetStyle } from '../blocks/style.js';
import type { WeightInit } from '../blocks/init.js';
import { channelsOf, checkInteger, checkOneOf, describe } from '../validate.js';
import { ConfigError } from '../errors.js';

/**
 * Arguments of {@link stage}.
 *
 * @example
 * ```ts
 * const args: StageArgs = { block: 'bottleneck', filters: 128, blocks: 4, stride: 2, name: 'layer2' };
 * ```
 */
export interface StageArgs<A extends BlockArgs = BlockArgs> {
  /** The block type: `'basic'`, `'bottleneck'` or any {@link BlockFactory}. */
  block: BlockKind | BlockFactory<A>;
  /** The blocks' `filters` (inner width of a bottleneck). */
  filters: number;
  /** How many blocks the stage stacks; at least 1. */
  blocks: number;
  /**
   * Stride of the first block; the others have stride 1.
   * @defaultValue 1
   */
  stride?: number;
  /**
   * Dilation of the blocks' 3×3 convolutions (torchvision's
   * `replace_stride_with_dilation`, timm's `output_stride`); see `firstDilation`.
   * @defaultValue 1
   */
  dilation?: number;
  /**
   * Dilation of the first block's first 3×3 convolution (the one that would
   * carry the stride): the previous stage's dilation when this stage
   * replaces its stride by dilation, as torchvision and timm do.
   * @defaultValue `dilation`
   */
  firstDilation?: number;
  /**
   * The stage's name; its blocks are `<name>.0`, `<name>.1`, … in torchvision
   * style and `<name>_block1`, … in Keras style.
   * @defaultValue a unique name such as `stage_2`
   */
  name?: string;
  /**
   * Build and naming rules of the blocks.
   * @defaultValue `'torchvision'`
   */
  style?: ResNetStyle;
  /**
   * Weight initialisation of the blocks.
   * @defaultValue `'default'`
   */
  init?: WeightInit;
  /** Further arguments passed to every block (e.g. `zeroInitLastBn`). */
  blockArgs?: Omit<Partial<A>, keyof BlockArgs>;
  /**
   * Drop-path rate of each block (one entry per block), e.g. from the
   * network-wide linear rule of `resnet(…, { dropPathRate })`.
   * @defaultValue all 0
   */
  dropPathRates?: readonly number[];
  /**
   * Which block carries the stage's stride: the first (torchvision, timm)
   * or the last (Keras's ResNetV2 `stack2`). Blocks before the strided one
   * keep `firstDilation`, blocks after it take `dilation`.
   * @defaultValue `'first'`
   */
  stridedBlock?: 'first' | 'last';
  /**
   * The name of block `index`.
   * @defaultValue the style's rule: `<name>.<index>` (torchvision), `<name>_block<index + 1>` (Keras)
   */
  blockName?: (index: number) => string;
  /**
   * Arguments of block `index` over `blockArgs`, for what differs between the
   * blocks of a stage (e.g. ResNetV2's projection on the first block only).
   * @defaultValue none
   */
  blockArgsAt?: (index: number) => Omit<Partial<A>, keyof BlockArgs>;
}

/**
 * A stage: blocks applied in sequence, the first one strided.
 *
 * @example
 * ```ts
 * const s = stage({ block: 'basic', filters: 128, blocks: 2, stride: 2, name: 'layer2' });
 * const y = s.apply(x);
 * console.log(s.blocks.map((b) => b.name)); // ['layer2.0', 'layer2.1']
 * ```
 */
export interface Stage {
  /** The stage's name. */
  readonly name: string;
  /** Its blocks, in order. */
  readonly blocks: readonly Block[];
  /** Channels of the stage's output. */
  readonly outChannels: number;
  /** Its total spatial stride. */
  readonly stride: number;
  /** Applies every block in turn to an NHWC symbolic tensor of known channels. */
  apply(x: tf.SymbolicTensor): tf.SymbolicTensor;
}

/**
 * Builds a shape-checked stage of residual blocks — torchvision's
 * `_make_layer`, Keras's `stack1`. Invalid arguments throw a
 * {@link ConfigError}; an input that is not rank 4 with known channels throws
 * a {@link ShapeError}, each naming the stage and the argument.
 *
 * @example
 * ```ts
 * const input = tf.input({ shape: [56, 56, 64] });
 * const y = stage({ block: 'bottleneck', filters: 64, blocks: 3, name: 'layer1' }).apply(input);
 * // y.shape: [null, 56, 56, 256]
 * ```
 */
export function stage<A extends BlockArgs = BlockArgs>(args: StageArgs<A>): Stage {
  const name = args.name ?? uniqueName('stage');
  const where = `stage "${name}"`;
  const factory = resolveBlockFactory(args.block, where) as BlockFactory<A>;
  const filters = checkInteger(args.filters, where, 'filters');
  const count = checkInteger(args.blocks, where, 'blocks');
  const stride = checkInteger(args.stride ?? 1, where, 'stride');
  const dilation = checkInteger(args.dilation ?? 1, where, 'dilation');
  const firstDilation = checkInteger(args.firstDilation ?? dilation, where, 'firstDilation');
  const style = checkOneOf(args.style ?? DEFAULT_STYLE, RESNET_STYLES, where, 'style');
  const spec = styleSpec(style);
  const rates = args.dropPathRates;
  if (rates !== undefined && (!Array.isArray(rates) || rates.length !== count)) {
    throw new ConfigError(`${where}: dropPathRates must have one entry per block (${count}), got ${describe(rates)}`);
  }
  const stridedBlock = checkOneOf(args.stridedBlock ?? 'first', ['first', 'last'] as const, where, 'stridedBlock');
  const placed = placeStride(count, { stride, dilationBefore: firstDilation, dilation, stridedBlock });
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const blockArgs = {
      ...args.blockArgs,
      ...args.blockArgsAt?.(i),
      filters,
      ...placed[i],
      ...(rates !== undefined ? { dropPathRate: rates[i] } : {}),
      name: args.blockName?.(i) ?? spec.blockName(name, i),
      style,
      init: args.init,
    } as A;
    blocks.push(factory(blockArgs));
  }
  return {
    name,
    blocks,
    // The factory's expansion (checked by defineBlock on every block it makes).
    outChannels: filters * factory.expansion,
    stride,
    apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
      channelsOf(x, where);
      return blocks.reduce((y, block) => block.apply(y), x);
    },
  };
}

/**
 * Where a stage's stride and dilation fall on its blocks: the strided block
 * (the first, or the last for Keras's ResNetV2) carries `stride` and keeps
 * `dilationBefore` on its first 3×3 (timm's `first_dilation`); blocks before
 * it keep `dilationBefore`, blocks after it take `dilation`. The one rule
 * {@link stage} and the stage plan (`planStages`) share.
 * @internal
 */
export function placeStride(
  count: number,
  a: { readonly stride: number; readonly dilationBefore: number; readonly dilation: number; readonly stridedBlock?: 'first' | 'last' },
): Array<{ stride: number; firstDilation: number; dilation: number }> {
  const strided = a.stridedBlock === 'last' ? count - 1 : 0;
  return Array.from({ length: count }, (_, j) => ({
    stride: j === strided ? a.stride : 1,
    firstDilation: j <= strided ? a.dilationBefore : a.dilation,
    dilation: j < strided ? a.dilationBefore : a.dilation,
  }));
}
