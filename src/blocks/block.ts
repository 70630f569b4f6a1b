import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_STYLE, RESNET_STYLES, styleSpec, type ResNetStyle, type StyleSpec } from './style.js';
import { LayerCache } from './layer-cache.js';
import type { WeightInit } from './init.js';
import { channelsOf, checkInteger, checkOneOf, checkRate, describe } from '../validate.js';
import { ConfigError, ShapeError } from '../errors.js';

/**
 * Arguments every residual block takes. Block types extend it with their own.
 *
 * @example
 * ```ts
 * const args: BlockArgs = { filters: 128, stride: 2, name: 'layer2.0' };
 * const y = basicBlock(args).apply(x);
 * ```
 */
export interface BlockArgs {
  /**
   * The block's width: the output channels of a basic block, the inner
   * (3×3) width of a bottleneck, whose output is `filters × expansion`.
   */
  filters: number;
  /**
   * Spatial stride of the block (on the 3×3 conv in torchvision style, on the
   * first 1×1 in Keras style), and of its projection shortcut.
   * @defaultValue 1
   */
  stride?: number;
  /**
   * Dilation of the block's 3×3 convolutions (torchvision's
   * `replace_stride_with_dilation`, timm's `output_stride`).
   * @defaultValue 1
   */
  dilation?: number;
  /**
   * Dilation of the block's first 3×3 convolution — the one that would
   * carry the stride. The first block of a dilated stage keeps the previous
   * stage's dilation there, as torchvision and timm do (`first_dilation`).
   * @defaultValue `dilation`
   */
  firstDilation?: number;
  /**
   * Stochastic depth: the probability of dropping the block's residual branch
   * per sample in training (timm's `DropPath`); identity at inference, and no
   * layer at all when 0. {@link stage} and `resnet(config)` fill it from the
   * network's `dropPathRate`, increasing linearly with depth.
   * @defaultValue 0
   */
  dropPathRate?: number;
  /**
   * Prefix of the block's layer names: `layer1.0` in torchvision style
   * (giving `layer1.0.conv1`, `layer1.0.downsample.0`, …), `conv2_block1` in
   * Keras style (giving `conv2_block1_1_conv`, …).
   * @defaultValue a unique name such as `basic_block_3`
   */
  name?: string;
  /**
   * Build and naming rules.
   * @defaultValue `'torchvision'`
   */
  style?: ResNetStyle;
  /**
   * Weight initialisation; `'zeros'` skips random draws for weights that will be loaded.
   * @defaultValue `'default'`
   */
  init?: WeightInit;
}

/**
 * A residual block: a recipe of layers applied to a symbolic NHWC tensor.
 * Its layers are created on the first `apply` and reused (shared weights) on
 * later ones.
 *
 * @example
 * ```ts
 * const input = tf.input({ shape: [56, 56, 64] });
 * const block = bottleneckBlock({ filters: 64, name: 'layer1.0' });
 * const y = block.apply(input); // [null, 56, 56, 256]
 * console.log(block.layers.map((l) => l.name));
 * ```
 */
export interface Block {
  /** The block type, e.g. `'basic'` or `'bottleneck'`. */
  readonly kind: string;
  /** The prefix of its layer names. */
  readonly name: string;
  /** Channels of the block's output. */
  readonly outChannels: number;
  /** Its spatial stride. */
  readonly stride: number;
  /** Applies the block to an NHWC symbolic tensor of known channels. */
  apply(x: tf.SymbolicTensor): tf.SymbolicTensor;
  /** The layers created so far (empty before the first `apply`). */
  readonly layers: tf.layers.Layer[];
}

/**
 * A block type: a factory of blocks that also declares the block's channel
 * expansion. This is the extension point — a new block type is a
 * `BlockFactory`, and `stage`, `resnet(config)` and weight loading work with it
 * unchanged (see the "writing a new block type" guide).
 *
 * @example
 * ```ts
 * const myBlock: BlockFactory = defineBlock('my', 1, (args) => basicBlock(args));
 * stage({ block: myBlock, filters: 64, blocks: 2, name: 'layer1' }).apply(x);
 * ```
 */
export interface BlockFactory<A extends BlockArgs = BlockArgs> {
  (args: A): Block;
  /** The block type's name, e.g. `'bottleneck'`. */
  readonly kind: string;
  /** Output channels per unit of `filters`: 1 for basic, 4 for bottleneck. */
  readonly expansion: number;
}

/**
 * Turns a function from args to {@link Block} into a {@link BlockFactory}
 * declaring its `kind` and `expansion`.
 *
 * @example
 * ```ts
 * const wideBasic = defineBlock('wide_basic', 1, (args: BlockArgs) => basicBlock(args));
 * ```
 */
export function defineBlock<A extends BlockArgs>(kind: string, expansion: number, create: (args: A) => Block): BlockFactory<A> {
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new ConfigError(`defineBlock: kind must be a non-empty string such as 'res2net_bottleneck', got ${describe(kind)}`);
  }
  if (typeof expansion !== 'number' || !Number.isInteger(expansion) || expansion < 1) {
    throw new ConfigError(`defineBlock("${kind}"): expansion must be a positive integer (output channels per unit of filters), got ${describe(expansion)}`);
  }
  if (typeof create !== 'function') {
    throw new ConfigError(`defineBlock("${kind}"): create must be a function from block arguments to a Block, got ${describe(create)}`);
  }
  const factory = (args: A): Block => {
    const block = create(args);
    // The declared expansion is what stage() and resnet(config) count channels with.
    if (block.outChannels !== args.filters * expansion) {
      throw new ConfigError(
        `${kind} block "${block.name}": has ${block.outChannels} output channels for filters ${args.filters}, but its block type declares expansion ${expansion} (filters × ${expansion} = ${args.filters * expansion}); make outChannels filters × expansion or declare the right expansion in defineBlock`,
      );
    }
    return block;
  };
  return Object.assign(factory, { kind, expansion });
}

/**
 * The common arguments of a block, validated and with their defaults filled
 * in by {@link resolveBlockArgs}; a {@link BaseBlock} holds them as `args`.
 *
 * @example
 * ```ts
 * const resolved: ResolvedBlockArgs = resolveBlockArgs('my', { filters: 64 });
 * resolved.name; // 'my_block_1'
 * resolved.spec.conv(resolved.name, 1); // 'my_block_1.conv1'
 * ```
 */
export interface ResolvedBlockArgs {
  /** {@link BlockArgs.filters}. */
  readonly filters: number;
  /** {@link BlockArgs.stride}. */
  readonly stride: number;
  /** {@link BlockArgs.dilation}. */
  readonly dilation: number;
  /** {@link BlockArgs.firstDilation}. */
  readonly firstDilation: number;
  /** {@link BlockArgs.dropPathRate}. */
  readonly dropPathRate: number;
  /** {@link BlockArgs.name}: the prefix of the block's layer names. */
  readonly name: string;
  /** The build and naming rules of {@link BlockArgs.style}. */
  readonly spec: StyleSpec;
  /** {@link BlockArgs.init}. */
  readonly init: WeightInit;
}

const counters = new Map<string, number>();

/** A fresh unique name for an unnamed block of a kind. @internal */
export function uniqueName(kind: string): string {
  const n = (counters.get(kind) ?? 0) + 1;
  counters.set(kind, n);
  return `${kind}_${n}`;
}

/**
 * Validates the common block arguments ({@link BlockArgs}) and fills in
 * their defaults (an unnamed block gets a unique name such as
 * `<kind>_block_3`); throws a {@link ConfigError} naming the block and the
 * argument. A block type's factory calls it first.
 *
 * @example
 * ```ts
 * const myBlock = defineBlock('my', 1, (args: BlockArgs) => new MyBlock(resolveBlockArgs('my', args)));
 * ```
 */
export function resolveBlockArgs(kind: string, args: BlockArgs): ResolvedBlockArgs {
  const name = args.name ?? uniqueName(`${kind}_block`);
  const where = `${kind} block "${name}"`;
  const style = checkOneOf(args.style ?? DEFAULT_STYLE, RESNET_STYLES, where, 'style');
  const dilation = checkInteger(args.dilation ?? 1, where, 'dilation');
  return {
    filters: checkInteger(args.filters, where, 'filters'),
    stride: checkInteger(args.stride ?? 1, where, 'stride'),
    dilation,
    firstDilation: checkInteger(args.firstDilation ?? dilation, where, 'firstDilation'),
    dropPathRate: checkRate(args.dropPathRate ?? 0, where, 'dropPathRate'),
    name,
    spec: styleSpec(style),
    init: checkOneOf(args.init ?? 'default', ['default', 'zeros'] as const, where, 'init'),
  };
}

/**
 * The base class of blocks: holds the resolved arguments and the block's
 * {@link LayerCache}, and gives the {@link Block} surface (`kind`, `name`,
 * `outChannels`, `stride`, `layers`). A subclass implements `apply`, making
 * its layers through the cache (the units of `conv-bn` do) so that applying
 * the block again shares them, and checks its input with `inputChannels`.
 *
 * @example
 * ```ts
 * class ConvBlock extends BaseBlock {
 *   apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
 *     this.inputChannels(x); // rank 4, known channels, the same on every apply
 *     const { spec, name, filters, stride } = this.args;
 *     const ctx = { spec, init: this.args.init, cache: this.cache };
 *     return convBn(x, { filters, kernelSize: 3, stride, conv: spec.conv(name, 1), bn: spec.bn(name, 1), act: spec.act(name, 1) }, ctx);
 *   }
 * }
 * const convBlock = defineBlock('conv', 1, (args: BlockArgs) => {
 *   const resolved = resolveBlockArgs('conv', args);
 *   return new ConvBlock('conv', resolved, resolved.filters);
 * });
 * ```
 * See examples/res2net.ts for a full residual block built on {@link residualFrame}.
 */
export abstract class BaseBlock implements Block {
  /** The prefix of the block's layer names. */
  readonly name: string;
  /** The block's stride. */
  readonly stride: number;
  /** The block's layers by name, made on the first `apply` and reused after. */
  protected readonly cache = new LayerCache();
  /** The block's validated arguments. */
  protected readonly args: ResolvedBlockArgs;
  /** The block type, e.g. `'bottleneck'`. */
  readonly kind: string;
  /** Channels of the block's output. */
  readonly outChannels: number;

  /**
   * @param kind - the block type (as in {@link defineBlock})
   * @param args - the resolved arguments ({@link resolveBlockArgs})
   * @param outChannels - channels of the block's output: `args.filters × expansion`
   */
  constructor(kind: string, args: ResolvedBlockArgs, outChannels: number) {
    this.kind = kind;
    this.args = args;
    this.name = args.name;
    this.stride = args.stride;
    this.outChannels = outChannels;
  }

  /** The layers created so far (empty before the first `apply`). */
  get layers(): tf.layers.Layer[] {
    return this.cache.all();
  }

  private seenChannels: number | undefined;

  /**
   * The channel count of an input (rank 4, known channels), which must equal
   * that of the first input the block was applied to: a block applied again
   * reuses its layers and weights.
   */
  protected inputChannels(x: tf.SymbolicTensor): number {
    const where = `${this.kind} block "${this.name}"`;
    const channels = channelsOf(x, where);
    if (this.seenChannels !== undefined && channels !== this.seenChannels) {
      throw new ShapeError(
        `${where}: applied again to an input with ${channels} channels; its layers (shared weights) were built for ${this.seenChannels} channels — create a new block for a different input`,
      );
    }
    this.seenChannels = channels;
    return channels;
  }

  /** Applies the block to an NHWC symbolic tensor of known channels. */
  abstract apply(x: tf.SymbolicTensor): tf.SymbolicTensor;
}
