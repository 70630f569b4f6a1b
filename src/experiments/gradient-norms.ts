import * as tf from '@tensorflow/tfjs';
import { styleSpec } from '../blocks/style.js';
import { modelInfo } from '../models/model-info.js';
import { ConfigError } from '../errors.js';
import { stageLayers } from '../transfer/stage-layers.js';
import { checkInteger } from '../validate.js';
import '../backend/wasm-training-kernels.js';

/**
 * The gradient at the first convolution of one stage.
 *
 * @example
 * ```ts
 * const [first]: StageGradientNorm[] = await stageGradientNorms(model);
 * console.log(first.stage, first.layer, first.norm); // 'layer1' 'layer1.0.conv1' 0.0123
 * ```
 */
export interface StageGradientNorm {
  /** The stage: `layer1`, `layer2`, …. */
  readonly stage: string;
  /** The convolution: the first one of the stage's first block (`layer2.0.conv1`). */
  readonly layer: string;
  /** The L2 (Frobenius) norm of the loss gradient with respect to its kernel. */
  readonly norm: number;
}

/**
 * Options of {@link stageGradientNorms}.
 *
 * @example
 * ```ts
 * const options: GradientNormsOptions = { batchSize: 32, seed: 0 };
 * ```
 */
export interface GradientNormsOptions {
  /**
   * Images in the batch.
   * @defaultValue 32
   */
  batchSize?: number;
  /**
   * Seed of the batch (uniform pixels in [−1, 1], labels `i mod classes`)
   * and, when `reinitialize` is set, of the weights.
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Redraw the convolution and dense kernels from `seed` with torchvision's
   * initialisation (Kaiming-normal fan-out convolutions, PyTorch's uniform
   * ±1/√fan_in dense layer), so that results repeat from run to run.
   * @defaultValue true
   */
  reinitialize?: boolean;
}

/**
 * Defaults of {@link GradientNormsOptions}, stated once.
 *
 * @example
 * ```ts
 * await stageGradientNorms(model, { ...DEFAULT_GRADIENT_NORMS_OPTIONS, seed: 1 });
 * ```
 */
export const DEFAULT_GRADIENT_NORMS_OPTIONS = {
  /** Images in the fixed batch. */
  batchSize: 32,
  /** Seed of the batch and of the redrawn weights. */
  seed: 0,
  /** Redraw the kernels from `seed` first. */
  reinitialize: true,
} as const satisfies Required<GradientNormsOptions>;

/** The first convolution of each stage after the stem. */
function firstConvs(model: tf.LayersModel, where: string): Array<{ stage: string; layer: tf.layers.Layer }> {
  const style = modelInfo(model)?.style ?? 'torchvision';
  const spec = styleSpec(style);
  return stageLayers(model, where)
    .slice(1)
    .map((s, i) => {
      const convs = s.layers.filter((l) => /Conv2D$/.test(l.getClassName()));
      const named = spec.conv(spec.blockName(spec.stageName(i), 0), 1);
      const layer = convs.find((l) => l.name === named) ?? convs[0];
      if (layer === undefined) throw new ConfigError(`${where}: stage "${s.name}" of model "${model.name}" has no convolution`);
      return { stage: s.name, layer };
    });
}

/** Redraws every conv and dense kernel from `seed` (torchvision's initialisation). */
function reinitialize(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    const cls = layer.getClassName();
    const kernel = layer.weights.find((w) => /kernel$/.test(w.originalName));
    if (kernel === undefined) return;
    const init = /Conv2D$/.test(cls)
      ? tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: seed * 100_003 + i })
      : cls === 'Dense'
        ? tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: seed * 100_003 + i })
        : undefined;
    if (init === undefined) return;
    const value = init.apply(kernel.shape);
    kernel.write(value);
    value.dispose();
  });
}

/**
 * One forward and backward pass of `model` in training mode (BatchNorm on
 * batch statistics) on a fixed, seeded batch with softmax cross-entropy, and
 * the L2 norm of the gradient at the first convolution of every stage — the
 * measurement of the degradation experiment: how much gradient reaches the
 * early stages of a deep plain net versus a residual one. The model's last
 * layer must give one score per class (its activation is ignored: the loss
 * is taken on the logits when the classifier is linear, on the
 * probabilities' logarithm otherwise).
 *
 * With `reinitialize` (the default) the kernels are redrawn from `seed`, so
 * the numbers repeat across runs; BN moving statistics are updated by the
 * training-mode pass. Works for every model tfjs-resnet builds.
 *
 * @param model - a classifier built by tfjs-resnet (e.g. `createModel('plain56', { classifierActivation: 'linear' })`).
 * @param options - batch size, seed, re-initialisation; see {@link GradientNormsOptions}.
 * @returns one entry per stage, in order, and the loss.
 * @throws {@link ConfigError} for a model tfjs-resnet did not build, or a bad option.
 *
 * @example
 * ```ts
 * const model = createModel('resnet56', { classifierActivation: 'linear' });
 * const { norms, loss } = await stageGradientNorms(model);
 * norms.map((n) => `${n.layer}: ${n.norm.toExponential(2)}`);
 * ```
 */
export async function stageGradientNorms(
  model: tf.LayersModel,
  options: GradientNormsOptions = {},
): Promise<{
  /** One entry per stage, in order. */
  norms: StageGradientNorm[];
  /** The batch's softmax cross-entropy loss. */
  loss: number;
}> {
  const where = 'stageGradientNorms';
  const o = { ...DEFAULT_GRADIENT_NORMS_OPTIONS, ...options };
  checkInteger(o.batchSize, where, 'batchSize');
  checkInteger(o.seed, where, 'seed', 0);
  const convs = firstConvs(model, where);
  if (o.reinitialize) reinitialize(model, o.seed);
  const [, h, w, c] = model.inputs[0].shape;
  const out = model.outputs[0].shape;
  if (h == null || w == null || c == null || out.length !== 2 || out[1] == null) {
    throw new ConfigError(
      `${where}: model "${model.name}" needs a fixed input size and one score per class, got input ${JSON.stringify(model.inputs[0].shape)} and output ${JSON.stringify(out)}`,
    );
  }
  const classes = out[1];
  const linear = model.layers[model.layers.length - 1].getConfig().activation === 'linear';
  const variables = convs.map(({ layer }) => layer.weights[0].read() as tf.Variable);
  const result = tf.tidy(() => {
    const x = tf.randomUniform([o.batchSize, h, w, c], -1, 1, 'float32', o.seed);
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: o.batchSize }, (_, i) => i % classes),
        'int32',
      ),
      classes,
    );
    const { value, grads } = tf.variableGrads(() => {
      const y = model.apply(x, { training: true }) as tf.Tensor;
      const logits = linear ? y : tf.log(tf.add(y, 1e-12));
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, variables);
    return { loss: value, norms: variables.map((v) => tf.norm(grads[v.name])) };
  });
  try {
    const norms = await Promise.all(result.norms.map(async (n) => (await n.data())[0]));
    const loss = (await result.loss.data())[0];
    return { norms: convs.map(({ stage, layer }, i) => ({ stage, layer: layer.name, norm: norms[i] })), loss };
  } finally {
    tf.dispose([result.loss, ...result.norms]);
  }
}
