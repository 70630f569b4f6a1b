import * as tf from '@tensorflow/tfjs';
import type { AttentionContext, BlockAttention } from './attention.js';
import { convKernelInit } from './init.js';
import { styleSpec } from './style.js';
import { ConfigError } from '../errors.js';
import { channelsOf, checkInteger, describe } from '../validate.js';

/**
 * Arguments of {@link squeezeExcite}; the defaults are timm's `SEModule`.
 *
 * @example
 * ```ts
 * const args: SqueezeExciteArgs = { rdRatio: 0.25 }; // ResNet-RS's SE
 * ```
 */
export interface SqueezeExciteArgs {
  /**
   * Reduction ratio: the hidden width is `makeDivisible(channels · rdRatio, rdDivisor, 0)`.
   * @defaultValue 1/16
   */
  rdRatio?: number;
  /**
   * The hidden width is rounded to a multiple of this.
   * @defaultValue 8
   */
  rdDivisor?: number;
  /**
   * The hidden width itself, overriding `rdRatio` and `rdDivisor`.
   * @defaultValue computed from `rdRatio`
   */
  rdChannels?: number;
}

/**
 * Defaults of {@link SqueezeExciteArgs}, stated once (timm's `SEModule`).
 *
 * @example
 * ```ts
 * const se = squeezeExcite({ ...SQUEEZE_EXCITE_DEFAULTS, rdRatio: 1 / 8 });
 * ```
 */
export const SQUEEZE_EXCITE_DEFAULTS = {
  /** Default of {@link SqueezeExciteArgs.rdRatio}. */
  rdRatio: 1 / 16,
  /** Default of {@link SqueezeExciteArgs.rdDivisor}. */
  rdDivisor: 8,
} as const;

/**
 * timm's `make_divisible`: `v` rounded to the nearest multiple of `divisor`
 * (at least `minValue`), bumped up one multiple when rounding lost more than
 * `1 − roundLimit` of `v`. SE uses `roundLimit = 0` (never bumped).
 *
 * @example
 * ```ts
 * makeDivisible(256 / 16, 8, undefined, 0); // 16
 * makeDivisible(64 / 16, 8, undefined, 0);  // 8
 * ```
 */
export function makeDivisible(v: number, divisor = 8, minValue?: number, roundLimit = 0.9): number {
  const min = minValue || divisor;
  let out = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (out < roundLimit * v) out += divisor;
  return out;
}

/** The hidden width of an SE module on `channels` channels. @internal */
export function seChannels(channels: number, args: SqueezeExciteArgs): number {
  if (args.rdChannels !== undefined) return args.rdChannels;
  const ratio = args.rdRatio ?? SQUEEZE_EXCITE_DEFAULTS.rdRatio;
  const divisor = args.rdDivisor ?? SQUEEZE_EXCITE_DEFAULTS.rdDivisor;
  return makeDivisible(channels * ratio, divisor, undefined, 0);
}

function validate(args: SqueezeExciteArgs): SqueezeExciteArgs {
  const where = 'squeezeExcite';
  if (typeof args !== 'object' || args === null) {
    throw new ConfigError(`${where}: arguments must be an object such as { rdRatio: 1 / 16 }, got ${describe(args)}`);
  }
  const { rdRatio, rdDivisor, rdChannels } = args;
  if (rdRatio !== undefined && (typeof rdRatio !== 'number' || !(rdRatio > 0) || !Number.isFinite(rdRatio))) {
    throw new ConfigError(`${where}: rdRatio must be a positive number such as 1/16, got ${describe(rdRatio)}`);
  }
  if (rdDivisor !== undefined) checkInteger(rdDivisor, where, 'rdDivisor');
  if (rdChannels !== undefined) checkInteger(rdChannels, where, 'rdChannels');
  return { ...args };
}

/**
 * Squeeze-and-excitation (Hu et al. 2018) exactly as timm's `SEModule` builds
 * it: global average pool, 1×1 conv with bias (`fc1`) to
 * `makeDivisible(C/16, 8, roundLimit 0)` channels, ReLU, 1×1 conv with bias
 * (`fc2`) back to C, sigmoid gate multiplying the input. As a block's
 * `attention` it acts on the residual branch after the last BN, before the
 * addition; its layers are `<block>.se.fc1` … so the PyTorch keys
 * `layer1.0.se.fc1.weight` load by name.
 *
 * @example
 * ```ts
 * const seResNet50 = resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], blockArgs: { attention: squeezeExcite() } });
 * ```
 */
export function squeezeExcite(args: SqueezeExciteArgs = {}): BlockAttention {
  const a = validate(args);
  return {
    kind: 'se',
    apply(x: tf.SymbolicTensor, ctx: AttentionContext): tf.SymbolicTensor {
      const channels = channelsOf(x, `squeeze-excite "${ctx.name}"`);
      const hidden = seChannels(channels, a);
      const spec = styleSpec(ctx.style);
      const conv = (name: string, filters: number): tf.layers.Layer =>
        ctx.layer(name, () =>
          tf.layers.conv2d({
            name,
            filters,
            kernelSize: 1,
            useBias: true,
            kernelInitializer: convKernelInit(spec, ctx.init),
            biasInitializer: 'zeros',
          }),
        );
      const named = <L extends tf.layers.Layer>(part: string, create: (name: string) => L): L => ctx.layer(ctx.sub(part), () => create(ctx.sub(part)));
      let s = named('pool', (name) => tf.layers.globalAveragePooling2d({ name })).apply(x) as tf.SymbolicTensor;
      s = named('reshape', (name) => tf.layers.reshape({ targetShape: [1, 1, channels], name })).apply(s) as tf.SymbolicTensor;
      s = conv(ctx.sub('fc1'), hidden).apply(s) as tf.SymbolicTensor;
      s = named('act', (name) => tf.layers.activation({ activation: 'relu', name })).apply(s) as tf.SymbolicTensor;
      s = conv(ctx.sub('fc2'), channels).apply(s) as tf.SymbolicTensor;
      s = named('gate', (name) => tf.layers.activation({ activation: 'sigmoid', name })).apply(s) as tf.SymbolicTensor;
      return named('mul', (name) => tf.layers.multiply({ name })).apply([x, s]) as tf.SymbolicTensor;
    },
  };
}
