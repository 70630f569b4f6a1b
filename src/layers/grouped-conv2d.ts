/**
 * A 2-D convolution with channel groups (PyTorch's `nn.Conv2d(groups=…)`),
 * which tfjs-layers lacks: the 3×3 convolution of ResNeXt and wide grouped
 * bottlenecks.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../errors.js';
import { checkInteger, checkOneOf, nhwcChannels } from '../validate.js';
import {
  type CallKwargs,
  type Initializer,
  type LayerActivation,
  type LayerArgs,
  type LayerInitializer,
  REGISTRY_PACKAGE,
  layerWhere,
  oneShape,
  oneTensor,
  pairArg,
  resolveActivation,
  resolveInitializer,
  serializeInitializer,
} from './layer-utils.js';

/**
 * Spatial padding of a {@link GroupedConv2D}, as in `tf.layers.conv2d`.
 *
 * @example
 * ```ts
 * const padding: GroupedConv2DPadding = 'same';
 * ```
 */
export type GroupedConv2DPadding = 'valid' | 'same';

const PADDINGS: readonly GroupedConv2DPadding[] = ['valid', 'same'];

/** The defaults of {@link GroupedConv2DArgs}, stated once. */
const DEFAULTS = {
  strides: 1,
  padding: 'valid',
  dilationRate: 1,
  groups: 1,
  useBias: false,
  activation: 'linear',
  kernelInitializer: 'glorotNormal',
  biasInitializer: 'zeros',
} as const;

/**
 * Arguments of {@link groupedConv2d}.
 *
 * @example
 * ```ts
 * const args: GroupedConv2DArgs = { filters: 128, kernelSize: 3, padding: 'same', groups: 32 };
 * ```
 */
export interface GroupedConv2DArgs extends LayerArgs {
  /** Output channels; a multiple of `groups`. */
  filters: number;
  /** Kernel height and width, one number for a square kernel. */
  kernelSize: number | [number, number];
  /**
   * Strides along height and width. Strides and dilation cannot both exceed 1
   * (a limitation of tfjs's convolutions).
   * @defaultValue 1
   */
  strides?: number | [number, number];
  /**
   * `'valid'` (no padding) or `'same'` (TensorFlow's: output size
   * ⌈input/stride⌉, the extra row/column of padding at the bottom/right).
   * For PyTorch's symmetric padding put a `tf.layers.zeroPadding2d` in front
   * and use `'valid'`.
   * @defaultValue 'valid'
   */
  padding?: GroupedConv2DPadding;
  /**
   * Dilation rates along height and width.
   * @defaultValue 1
   */
  dilationRate?: number | [number, number];
  /**
   * Channel groups: input and output channels are split into `groups` equal
   * consecutive blocks and output block g sees input block g only (PyTorch's
   * `groups`). Must divide `filters` and the input channels. 1 is a plain
   * convolution, `groups` = input channels a depthwise one.
   * @defaultValue 1
   */
  groups?: number;
  /**
   * Whether to add a bias per output channel.
   * @defaultValue false
   */
  useBias?: boolean;
  /**
   * Activation applied to the output, as in `tf.layers.conv2d`; lets an
   * inference optimizer fuse a following ReLU (fused into the convolution
   * kernel when `groups` is 1).
   * @defaultValue 'linear'
   */
  activation?: LayerActivation;
  /**
   * Initializer of the kernel `[kh, kw, in/groups, filters]`: an instance
   * (`tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal' })`
   * is torchvision's Kaiming fan-out) or a name. Fans are computed from the
   * grouped kernel, as PyTorch does.
   * @defaultValue 'glorotNormal' (as `tf.layers.conv2d`)
   */
  kernelInitializer?: Initializer | LayerInitializer;
  /**
   * Initializer of the bias `[filters]`.
   * @defaultValue 'zeros'
   */
  biasInitializer?: Initializer | LayerInitializer;
}

/** How {@link groupedConv2dOp} computes a grouped convolution. @internal */
export type GroupedConvMethod = 'auto' | 'depthwise' | 'split';

/** Options of {@link groupedConv2dOp}. @internal */
export interface GroupedConvOptions {
  readonly strides: [number, number];
  readonly padding: GroupedConv2DPadding;
  readonly dilations: [number, number];
  readonly groups: number;
  /** `'auto'` (default) picks the faster of the two exact methods. */
  readonly method?: GroupedConvMethod;
}

/** Output length of a convolution along one axis, as tfjs computes it. */
function convOutputLength(
  n: number,
  { k, padding, stride, dilation }: { readonly k: number; readonly padding: GroupedConv2DPadding; readonly stride: number; readonly dilation: number },
): number {
  if (padding === 'same') return Math.ceil(n / stride);
  return Math.ceil((n - (k - 1) * dilation) / stride);
}

/**
 * Whether per-group convolutions beat the depthwise formulation. Measured on
 * the wasm backend (SIMD, one thread): splitting pays when there are few
 * groups of many channels over enough pixels for XNNPACK's GEMM to shine and
 * its per-call weight packing to amortise; everywhere else (ResNeXt's 32
 * groups, small groups, 7×7 maps) the depthwise formulation is faster.
 */
function preferSplit(groups: number, groupIn: number, groupOut: number, outputPixels: number): boolean {
  return groups <= 16 && groupIn >= 16 && groupOut >= 16 && outputPixels >= 196;
}

/**
 * A grouped 2-D convolution of an NHWC tensor with a kernel
 * `[kh, kw, in/groups, out]`, exactly PyTorch's `F.conv2d(…, groups)` up to
 * float rounding. Two exact formulations:
 * - `'depthwise'`: one depthwise convolution with channel multiplier
 *   `out/groups` (kernel rearranged to `[kh, kw, in, out/groups]`) yields every
 *   input-channel × output-channel product of a group; summing over the
 *   `in/groups` input channels of each group gives the output;
 * - `'split'`: one `tf.conv2d` per group on channel slices, concatenated.
 * Both take tfjs's gradients; `groups` = 1 is a plain `tf.conv2d`.
 * @internal
 */
export function groupedConv2dOp(x: tf.Tensor4D, kernel: tf.Tensor4D, o: GroupedConvOptions): tf.Tensor4D {
  const { strides, padding, dilations, groups } = o;
  if (groups === 1) return tf.conv2d(x, kernel, strides, padding, 'NHWC', dilations) as tf.Tensor4D;
  return tf.tidy(() => {
    const [kh, kw, groupIn, out] = kernel.shape;
    const groupOut = out / groups;
    const [n, h, w] = x.shape;
    const pixels =
      n *
      convOutputLength(h, { k: kh, padding, stride: strides[0], dilation: dilations[0] }) *
      convOutputLength(w, { k: kw, padding, stride: strides[1], dilation: dilations[1] });
    let method = o.method ?? 'auto';
    if (method === 'auto') method = preferSplit(groups, groupIn, groupOut, pixels) ? 'split' : 'depthwise';
    if (method === 'split') {
      const xs = tf.split(x, groups, 3);
      const ks = tf.split(kernel, groups, 3);
      return tf.concat(
        xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, ks[g] as tf.Tensor4D, strides, padding, 'NHWC', dilations)),
        3,
      );
    }
    // Depthwise filter [kh, kw, in, groupOut]: channel g·groupIn + i, multiplier m ← kernel[:, :, i, g·groupOut + m].
    const filter =
      groupIn === 1
        ? tf.reshape(kernel, [kh, kw, groups, groupOut])
        : tf.reshape(tf.transpose(tf.reshape(kernel, [kh, kw, groupIn, groups, groupOut]), [0, 1, 3, 2, 4]), [kh, kw, groups * groupIn, groupOut]);
    const y = tf.depthwiseConv2d(x, filter as tf.Tensor4D, strides, padding, 'NHWC', dilations);
    if (groupIn === 1) return y;
    const [, oh, ow] = y.shape;
    // y's channel (g·groupIn + i)·groupOut + m: sum over i.
    const summed = tf.sum(tf.reshape(y, [n * oh * ow * groups, groupIn, groupOut]), 1);
    return tf.reshape(summed, [n, oh, ow, out]);
  });
}

/** Activations tf.fused.conv2d applies inside the convolution kernel. */
const FUSABLE: ReadonlySet<LayerActivation> = new Set<LayerActivation>(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

/**
 * A 2-D convolution with channel groups, exactly PyTorch's
 * `nn.Conv2d(in, filters, kernelSize, stride, groups=groups)` on NHWC data
 * (see {@link GroupedConv2DArgs}). Weights: `kernel` `[kh, kw, in/groups,
 * filters]` (PyTorch's `[filters, in/groups, kh, kw]` transposed by
 * `(2, 3, 1, 0)`) and, with `useBias`, `bias` `[filters]`. Output channel o
 * belongs to group ⌊o / (filters/groups)⌋ and reads that group's input
 * channels only.
 *
 * On the wasm backend a grouped convolution runs as one depthwise convolution
 * plus a sum (or as per-group convolutions when there are few wide groups):
 * at ResNeXt-50 32×4d sizes it takes a fraction of the time of a dense
 * convolution with the same input and output channels. With `groups` 1 it is
 * a plain (fused) `tf.conv2d`.
 *
 * Registered for serialization as `GroupedConv2D`: importing tfjs-resnet
 * lets `tf.loadLayersModel` read models that contain it.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 128] });
 * const y = new GroupedConv2D({ filters: 128, kernelSize: 3, padding: 'same', groups: 32 }).apply(x);
 * ```
 */
export class GroupedConv2D extends tf.layers.Layer {
  /** The class name under which the layer is serialized. */
  static className = 'GroupedConv2D';
  /** Output channels. */
  readonly filters: number;
  /** Kernel `[height, width]`. */
  readonly kernelSize: [number, number];
  /** Strides `[height, width]`. */
  readonly strides: [number, number];
  /** Spatial padding. */
  readonly padding: GroupedConv2DPadding;
  /** Dilation `[height, width]`. */
  readonly dilationRate: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** The output activation. */
  readonly activation: LayerActivation;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly activationFn: (x: tf.Tensor) => tf.Tensor;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private builtChannels: number | null = null;

  /**
   * @throws {@link ConfigError} for a non-positive or non-integer size, a
   *   `filters` not divisible by `groups`, strides and dilation both above 1,
   *   an unknown padding, activation or initializer.
   */
  constructor(args: GroupedConv2DArgs) {
    super(args);
    const where = this.where();
    this.filters = checkInteger(args.filters, where, 'filters');
    this.kernelSize = pairArg(args.kernelSize, where, 'kernelSize');
    this.strides = pairArg(args.strides ?? DEFAULTS.strides, where, 'strides');
    this.dilationRate = pairArg(args.dilationRate ?? DEFAULTS.dilationRate, where, 'dilationRate');
    this.padding = checkOneOf(args.padding ?? DEFAULTS.padding, PADDINGS, where, 'padding');
    this.groups = checkInteger(args.groups ?? DEFAULTS.groups, where, 'groups');
    if (this.filters % this.groups !== 0) {
      throw new ConfigError(
        `${where}: filters (${this.filters}) must be divisible by groups (${this.groups}); valid groups divide both the input channels and filters`,
      );
    }
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ConfigError(
        `${where}: strides [${this.strides.join(', ')}] and dilationRate [${this.dilationRate.join(', ')}] cannot both exceed 1 (tfjs convolutions support one or the other)`,
      );
    }
    const useBias = args.useBias ?? DEFAULTS.useBias;
    if (typeof useBias !== 'boolean') throw new ConfigError(`${where}: useBias must be a boolean, got ${String(useBias)}`);
    this.useBias = useBias;
    const act = resolveActivation(args.activation ?? DEFAULTS.activation, where);
    this.activation = act.name;
    this.activationFn = act.apply;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? DEFAULTS.kernelInitializer, where, 'kernelInitializer');
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? DEFAULTS.biasInitializer, where, 'biasInitializer');
  }

  private where(): string {
    return layerWhere(GroupedConv2D.className, this.name);
  }

  /** Input channels of an NHWC shape, checked against `groups` (and the built kernel). */
  private inputChannels(shape: ReadonlyArray<number | null>): number {
    const where = this.where();
    const cin = nhwcChannels(shape, where);
    if (cin % this.groups !== 0) {
      throw new ShapeError(
        `${where}: input channels (${cin}) must be divisible by groups (${this.groups}); valid groups divide both the input channels and filters (${this.filters})`,
      );
    }
    if (this.builtChannels !== null && this.builtChannels !== cin) {
      throw new ShapeError(`${where}: was built for ${this.builtChannels} input channels, got ${cin}`);
    }
    return cin;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = this.inputChannels(oneShape(inputShape, this.where()));
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addWeight('kernel', [kh, kw, cin / this.groups, this.filters], 'float32', this.kernelInitializer, undefined, true);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInitializer, undefined, true);
    this.builtChannels = cin;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape, this.where());
    this.inputChannels(shape);
    return [shape[0], this.outputLength(shape[1], 0), this.outputLength(shape[2], 1), this.filters];
  }

  /** Output height (axis 0) or width (axis 1); throws when the input is smaller than the dilated kernel. */
  private outputLength(n: number | null, axis: 0 | 1): number | null {
    if (n == null) return null;
    const k = this.kernelSize[axis];
    const d = this.dilationRate[axis];
    const len = convOutputLength(n, { k, padding: this.padding, stride: this.strides[axis], dilation: d });
    if (len < 1) {
      throw new ShapeError(
        `${this.where()}: an input ${axis === 0 ? 'height' : 'width'} of ${n} is smaller than the ${k > 1 && d > 1 ? 'dilated ' : ''}kernel (${(k - 1) * d + 1}) with 'valid' padding; use a larger input or 'same' padding`,
      );
    }
    return len;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor(inputs, this.where()) as tf.Tensor4D;
      this.inputChannels(x.shape);
      this.outputLength(x.shape[1], 0);
      this.outputLength(x.shape[2], 1);
      if (this.kernel === null) throw new ShapeError(`${this.where()}: called before it was built`);
      const kernel = this.kernel.read() as tf.Tensor4D;
      const bias = this.bias === null ? undefined : this.bias.read();
      if (this.groups === 1) {
        const fused = FUSABLE.has(this.activation);
        const y = tf.fused.conv2d({
          x,
          filter: kernel,
          strides: this.strides,
          pad: this.padding,
          dataFormat: 'NHWC',
          dilations: this.dilationRate,
          bias,
          activation: fused ? (this.activation as 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid') : 'linear',
        });
        return fused ? y : this.activationFn(y);
      }
      let y: tf.Tensor = groupedConv2dOp(x, kernel, {
        strides: this.strides,
        padding: this.padding,
        dilations: this.dilationRate,
        groups: this.groups,
      });
      if (bias !== undefined) y = tf.add(y, bias);
      return this.activation === 'linear' ? y : this.activationFn(y);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      groups: this.groups,
      useBias: this.useBias,
      activation: this.activation,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
    return { ...config, ...super.getConfig() };
  }
}
tf.serialization.registerClass(GroupedConv2D, REGISTRY_PACKAGE);

/**
 * A 2-D convolution with channel groups: the layer of PyTorch's
 * `nn.Conv2d(…, groups)` (see {@link GroupedConv2D}, {@link GroupedConv2DArgs}).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { groupedConv2d } from 'tfjs-resnet';
 * // ResNeXt-50 32×4d, layer1's 3×3 convolution:
 * const conv = groupedConv2d({ filters: 128, kernelSize: 3, padding: 'same', groups: 32, name: 'conv2' });
 * const y = conv.apply(tf.zeros([1, 56, 56, 128])) as tf.Tensor; // [1, 56, 56, 128]
 * conv.getWeights()[0].shape; // [3, 3, 4, 128]
 * ```
 */
export function groupedConv2d(args: GroupedConv2DArgs): GroupedConv2D {
  return new GroupedConv2D(args);
}
