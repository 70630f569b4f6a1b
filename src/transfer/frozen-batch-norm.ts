import type * as tf from '@tensorflow/tfjs';

type CallArgs = Parameters<tf.layers.Layer['call']>;

const guarded = new WeakSet<tf.layers.Layer>();

/**
 * Whether a BN layer is frozen: the layer is not trainable, or its scale and
 * shift are (as `model.trainable = false`, the Keras idiom, leaves the
 * layers' own flags alone and clears their weights').
 */
function isFrozen(layer: tf.layers.Layer): boolean {
  if (!layer.trainable) return true;
  const { gamma, beta } = layer as unknown as { gamma?: tf.LayerVariable | null; beta?: tf.LayerVariable | null };
  const affine = [gamma, beta].filter((v): v is tf.LayerVariable => v != null);
  return affine.length > 0 && affine.every((v) => !v.trainable);
}

/** Whether a layer is a BatchNormalization layer. @internal */
export function isBatchNorm(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/** The layers of a model, those of nested models included. @internal */
export function allLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((l) => ('layers' in l && Array.isArray((l as tf.LayersModel).layers) ? [l, ...allLayers(l as tf.LayersModel)] : [l]));
}

/**
 * Makes every BatchNormalization layer of `model` run in inference mode
 * while it is frozen (`trainable === false`, or its scale and shift frozen
 * by `model.trainable = false`), as Keras does since TF 2:
 * normalizing with its moving mean and variance and leaving them untouched,
 * even inside `fit`.
 *
 * tfjs-layers' own BatchNormalization ignores `trainable` in its `call`:
 * with `training: true` (every `fit` batch) it normalizes with the batch's
 * statistics and moves its moving mean and variance — so a "frozen" backbone
 * drifts, and a network fine-tuned on small batches is then evaluated with
 * statistics it never trained with (the classic fine-tuning pitfall). This
 * function wraps each BN layer's `call` to pass `training: false` whenever
 * the layer is not trainable; a trainable layer behaves as before. The
 * check happens on every call, so freezing and unfreezing later needs no
 * new call. The layer's class and config do not change, so the model
 * saves, loads, converts and exports as before (after `tf.loadLayersModel`,
 * call this again before fine-tuning).
 *
 * {@link freezeUpTo}, {@link freezeStages}, {@link unfreeze} and
 * {@link replaceHead} call it for you.
 *
 * @param model - any `tf.LayersModel`; nested models are walked too.
 * @returns the number of BatchNormalization layers now guarded (including those guarded before).
 *
 * @example
 * ```ts
 * const model = await tf.loadLayersModel('file://finetune/model.json'); // frozen layers come back trainable: false
 * guardFrozenBatchNorm(model);
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
 * await model.fit(xs, ys); // frozen BN statistics stay put
 * ```
 */
export function guardFrozenBatchNorm(model: tf.LayersModel): number {
  let count = 0;
  for (const layer of allLayers(model)) {
    if (!isBatchNorm(layer)) continue;
    count++;
    if (guarded.has(layer)) continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs: CallArgs[0], kwargs: CallArgs[1]) => call(inputs, isFrozen(layer) ? { ...kwargs, training: false } : kwargs);
    guarded.add(layer);
  }
  return count;
}
