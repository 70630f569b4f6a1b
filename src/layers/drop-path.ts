/**
 * Stochastic depth (timm's `DropPath`): drops a residual branch for whole
 * samples during training.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { checkRate, describe } from '../validate.js';
import { type CallKwargs, type LayerArgs, REGISTRY_PACKAGE, layerWhere, oneTensor } from './layer-utils.js';

/** The defaults of {@link DropPathArgs}, stated once. */
const DEFAULTS = { scaleByKeep: true } as const;

/**
 * Arguments of {@link dropPath}.
 *
 * @example
 * ```ts
 * const args: DropPathArgs = { rate: 0.05, name: 'layer4.2.drop_path' };
 * ```
 */
export interface DropPathArgs extends LayerArgs {
  /** Probability in [0, 1) that a sample's branch is dropped in training; 0 makes the layer an identity. */
  rate: number;
  /**
   * Seed of the random draws. The k-th training call draws with seed
   * `seed + k`, so a fresh layer with the same seed repeats the same
   * sequence of masks. Random when omitted.
   */
  seed?: number;
  /**
   * Whether kept samples are scaled by 1/(1 − rate), timm's `scale_by_keep`,
   * so the expected output equals the input.
   * @defaultValue true
   */
  scaleByKeep?: boolean;
}

/**
 * Stochastic depth, exactly timm's `drop_path`: in training
 * (`apply(x, { training: true })`, `model.fit`) each sample of the batch is
 * kept with probability 1 − `rate` (one Bernoulli draw per sample, broadcast
 * over all other axes) and scaled by 1/(1 − `rate`), or zeroed; at inference
 * it returns its input unchanged. No weights.
 *
 * Registered for serialization as `DropPath`.
 *
 * @example
 * ```ts
 * const drop = new DropPath({ rate: 0.1 });
 * const x = tf.ones([8, 4, 4, 16]);
 * drop.apply(x);                     // x itself (inference)
 * drop.apply(x, { training: true }); // each sample all zeros or all 1/0.9
 * ```
 */
export class DropPath extends tf.layers.Layer {
  /** The class name under which the layer is serialized. */
  static className = 'DropPath';
  /** Drop probability per sample. */
  readonly rate: number;
  /** Seed of the first draw, if any. */
  readonly seed: number | undefined;
  /** Whether kept samples are scaled by 1/(1 − rate). */
  readonly scaleByKeep: boolean;
  private draws = 0;

  /** @throws {@link ConfigError} for a rate outside [0, 1), a non-finite seed or a non-boolean scaleByKeep. */
  constructor(args: DropPathArgs) {
    super(args);
    const where = layerWhere(DropPath.className, this.name);
    const rate = checkRate(args.rate, where, 'rate');
    const seed: unknown = args.seed ?? undefined;
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
      throw new ConfigError(`${where}: seed must be a finite number or omitted, got ${describe(seed)}`);
    }
    const scaleByKeep: unknown = args.scaleByKeep ?? DEFAULTS.scaleByKeep;
    if (typeof scaleByKeep !== 'boolean') {
      throw new ConfigError(`${where}: scaleByKeep must be a boolean, got ${describe(scaleByKeep)}`);
    }
    this.rate = rate;
    this.seed = seed;
    this.scaleByKeep = scaleByKeep;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    const x = oneTensor(inputs, layerWhere(DropPath.className, this.name));
    if (kwargs?.training !== true || this.rate === 0) return x;
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      const shape = x.shape.map((d, i) => (i === 0 ? d : 1));
      const seed = this.seed === undefined ? undefined : this.seed + this.draws++;
      // floor(keep + U[0, 1)) is 1 with probability keep: torch's bernoulli_(keep).
      const mask = tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep));
      return tf.mul(x, this.scaleByKeep ? tf.div(mask, keep) : mask);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      rate: this.rate,
      seed: this.seed ?? null,
      scaleByKeep: this.scaleByKeep,
    };
    return { ...config, ...super.getConfig() };
  }
}
tf.serialization.registerClass(DropPath, REGISTRY_PACKAGE);

/**
 * Stochastic depth as timm's `DropPath(rate)`: see {@link DropPath},
 * {@link DropPathArgs}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { dropPath } from 'tfjs-resnet';
 * const branch = tf.input({ shape: [7, 7, 2048] });
 * const dropped = dropPath({ rate: 0.05, name: 'layer4.2.drop_path' }).apply(branch) as tf.SymbolicTensor;
 * ```
 */
export function dropPath(args: DropPathArgs): DropPath {
  return new DropPath(args);
}
