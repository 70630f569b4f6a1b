/**
 * The end of a residual block in one layer: the sum of its inputs, then an
 * activation — what `tf.layers.add` followed by `tf.layers.activation`
 * computes, without the copy `tf.layers.add` makes.
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors.js';
import { formatShape } from '../validate.js';
import { type ActivationFn, type LayerActivation, type LayerArgs, REGISTRY_PACKAGE, layerWhere, resolveActivation } from './layer-utils.js';

/** The defaults of {@link AddActivationArgs}, stated once. */
const DEFAULTS = { activation: 'linear' } as const;

/**
 * Arguments of {@link addActivation}.
 *
 * @example
 * ```ts
 * const args: AddActivationArgs = { activation: 'relu', name: 'layer1.0.relu' };
 * ```
 */
export interface AddActivationArgs extends LayerArgs {
  /**
   * Activation applied to the sum, as in `tf.layers.activation`.
   * @defaultValue 'linear'
   */
  activation?: LayerActivation;
}

/**
 * `activation(x₁ + x₂ + …)` of two or more tensors of one shape: a residual
 * block's `out += identity; out = relu(out)` in one layer. It computes what
 * `tf.layers.add` and a following `tf.layers.activation` compute, to the
 * bit, without the copy `tf.layers.add` makes of its first input before
 * adding (a tensor the size of the block's output, written once more per
 * block); the sum is freed as soon as the activation has read it.
 * {@link optimizeForInference} puts it in place of every such pair. No
 * weights.
 *
 * Registered for serialization as `AddActivation`.
 *
 * @example
 * ```ts
 * const a = tf.input({ shape: [56, 56, 256] });
 * const b = tf.input({ shape: [56, 56, 256] });
 * const y = new AddActivation({ activation: 'relu' }).apply([a, b]) as tf.SymbolicTensor;
 * ```
 */
export class AddActivation extends tf.layers.Layer {
  /** The class name under which the layer is serialized. */
  static className = 'AddActivation';
  /** The activation applied to the sum. */
  readonly activation: LayerActivation;
  private readonly activationFn: ActivationFn;

  /** @throws {@link ConfigError} for an unknown activation. */
  constructor(args: AddActivationArgs = {}) {
    super(args);
    const act = resolveActivation(args.activation ?? DEFAULTS.activation, this.where());
    this.activation = act.name;
    this.activationFn = act.apply;
  }

  private where(): string {
    return layerWhere(AddActivation.className, this.name);
  }

  /** @throws {@link ShapeError} for fewer than two inputs or inputs of different shapes. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape as tf.Shape];
    if (shapes.length < 2) throw new ShapeError(`${this.where()}: expects at least two inputs, got ${shapes.length}`);
    const [first] = shapes;
    const same = (s: tf.Shape): boolean => s.length === first.length && s.every((d, i) => d === null || first[i] === null || d === first[i]);
    if (!shapes.every(same)) {
      throw new ShapeError(`${this.where()}: inputs must all have one shape, got ${shapes.map((s) => formatShape(s)).join(', ')}`);
    }
    return first.map((d, i) => d ?? shapes.find((s) => s[i] !== null)?.[i] ?? null);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.computeOutputShape(xs.map((x) => x.shape));
    // Left to right, as tf.layers.add sums: the same rounding.
    return tf.tidy(() => this.activationFn(xs.slice(1).reduce((sum, x) => tf.add(sum, x), xs[0])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { activation: this.activation, ...super.getConfig() };
  }
}
tf.serialization.registerClass(AddActivation, REGISTRY_PACKAGE);

/**
 * The sum of a residual block's branches followed by its activation, in one
 * layer: see {@link AddActivation}, {@link AddActivationArgs}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { addActivation } from 'tfjs-resnet';
 * const residual = tf.input({ shape: [7, 7, 2048] });
 * const shortcut = tf.input({ shape: [7, 7, 2048] });
 * const out = addActivation({ activation: 'relu', name: 'layer4.2.relu' }).apply([residual, shortcut]) as tf.SymbolicTensor;
 * ```
 */
export function addActivation(args: AddActivationArgs = {}): AddActivation {
  return new AddActivation(args);
}
