/**
 * The parameter-free "option A" shortcut of the original ResNet paper's
 * CIFAR networks: spatial subsampling and zero channels.
 * @module
 */
// Registers the StridedSlice gradient tfjs-core lacks, so option-A nets train.
import './strided-slice-gradient.js';
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { checkInteger, checkOneOf, nhwcChannels } from '../validate.js';
import { type CallKwargs, type LayerArgs, REGISTRY_PACKAGE, layerWhere, oneShape, oneTensor, pairArg } from './layer-utils.js';

/**
 * Where {@link ShortcutPadChannels} puts the zero channels:
 * - `'split'`: ⌊(filters − in)/2⌋ before the input channels and the rest
 *   after, as akamaster/pytorch_resnet_cifar10's
 *   `F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes//4, planes//4))` (the widely
 *   used PyTorch CIFAR ResNets and their pretrained weights);
 * - `'end'`: all after the input channels, as fb.resnet.torch's shortcut type A.
 *
 * @example
 * ```ts
 * const placement: ChannelPadding = 'split';
 * ```
 */
export type ChannelPadding = 'split' | 'end';

const CHANNEL_PADDINGS: readonly ChannelPadding[] = ['split', 'end'];

/** The defaults of {@link ShortcutPadChannelsArgs}, stated once. */
const DEFAULTS = { strides: 1, channelPadding: 'split' } as const;

/**
 * Arguments of {@link shortcutPadChannels}.
 *
 * @example
 * ```ts
 * const args: ShortcutPadChannelsArgs = { filters: 32, strides: 2, name: 'layer2.0.shortcut' };
 * ```
 */
export interface ShortcutPadChannelsArgs extends LayerArgs {
  /** Output channels, at least the input channels. */
  filters: number;
  /**
   * Subsampling stride along height and width: keeps rows and columns
   * 0, s, 2s… (`x[:, ::s, ::s, :]`), so a side of n becomes ⌈n/s⌉.
   * @defaultValue 1
   */
  strides?: number | [number, number];
  /**
   * Where the zero channels go.
   * @defaultValue 'split'
   */
  channelPadding?: ChannelPadding;
}

/**
 * The "option A" identity shortcut of He et al.'s CIFAR ResNets: takes every
 * s-th row and column (`x[:, ::s, ::s, :]`) and zero-pads the channels up to
 * `filters` — by default ⌊(filters − in)/2⌋ zero channels before the input's
 * and the rest after, exactly akamaster/pytorch_resnet_cifar10's `LambdaLayer`
 * (see {@link ChannelPadding}). No weights.
 *
 * Registered for serialization as `ShortcutPadChannels`.
 *
 * @example
 * ```ts
 * const x = tf.ones([1, 32, 32, 16]);
 * const y = new ShortcutPadChannels({ filters: 32, strides: 2 }).apply(x) as tf.Tensor;
 * y.shape; // [1, 16, 16, 32]: channels 0–7 and 24–31 are zeros, 8–23 are x's
 * ```
 */
export class ShortcutPadChannels extends tf.layers.Layer {
  /** The class name under which the layer is serialized. */
  static className = 'ShortcutPadChannels';
  /** Output channels. */
  readonly filters: number;
  /** Subsampling strides `[height, width]`. */
  readonly strides: [number, number];
  /** Where the zero channels go. */
  readonly channelPadding: ChannelPadding;

  /** @throws {@link ConfigError} for a non-positive or non-integer `filters` or stride, an unknown `channelPadding`. */
  constructor(args: ShortcutPadChannelsArgs) {
    super(args);
    const where = this.where();
    this.filters = checkInteger(args.filters, where, 'filters');
    this.strides = pairArg(args.strides ?? DEFAULTS.strides, where, 'strides');
    this.channelPadding = checkOneOf(args.channelPadding ?? DEFAULTS.channelPadding, CHANNEL_PADDINGS, where, 'channelPadding');
  }

  private where(): string {
    return layerWhere(ShortcutPadChannels.className, this.name);
  }

  /** Input channels of an NHWC shape; at most `filters`. */
  private inputChannels(shape: ReadonlyArray<number | null>): number {
    const cin = nhwcChannels(shape, this.where());
    if (cin > this.filters) {
      throw new ShapeError(`${this.where()}: filters (${this.filters}) must be at least the input channels (${cin})`);
    }
    return cin;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inputChannels(oneShape(inputShape, this.where()));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape, this.where());
    this.inputChannels(shape);
    const sub = (d: number | null, s: number): number | null => (d == null ? null : Math.ceil(d / s));
    return [shape[0], sub(shape[1], this.strides[0]), sub(shape[2], this.strides[1]), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    const x = oneTensor(inputs, this.where());
    const extra = this.filters - this.inputChannels(x.shape);
    const [sh, sw] = this.strides;
    if (extra === 0 && sh === 1 && sw === 1) return x;
    return tf.tidy(() => {
      let y = x;
      // All-ones begin/end masks: the whole extent of every axis, every s-th row and column.
      if (sh > 1 || sw > 1) y = tf.stridedSlice(y, [0, 0, 0, 0], [0, 0, 0, 0], [1, sh, sw, 1], 0b1111, 0b1111);
      if (extra > 0) {
        const before = this.channelPadding === 'split' ? Math.floor(extra / 2) : 0;
        y = tf.pad(y, [
          [0, 0],
          [0, 0],
          [0, 0],
          [before, extra - before],
        ]);
      }
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      filters: this.filters,
      strides: [...this.strides],
      channelPadding: this.channelPadding,
    };
    return { ...config, ...super.getConfig() };
  }
}
tf.serialization.registerClass(ShortcutPadChannels, REGISTRY_PACKAGE);

/**
 * The "option A" shortcut of CIFAR ResNets: subsample by `strides`, zero-pad
 * channels to `filters` (see {@link ShortcutPadChannels}).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { shortcutPadChannels } from 'tfjs-resnet';
 * const x = tf.input({ shape: [32, 32, 16] });
 * const s = shortcutPadChannels({ filters: 32, strides: 2, name: 'layer2.0.shortcut' }).apply(x) as tf.SymbolicTensor;
 * s.shape; // [null, 16, 16, 32]
 * ```
 */
export function shortcutPadChannels(args: ShortcutPadChannelsArgs): ShortcutPadChannels {
  return new ShortcutPadChannels(args);
}
