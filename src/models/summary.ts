import type * as tf from '@tensorflow/tfjs';
import { modelInfo } from './model-info.js';

/**
 * One section of a {@link ModelSummary}: the stem, a stage, or the head.
 *
 * @example
 * ```ts
 * const [stem, layer1] = summarize(resnet50()).sections;
 * console.log(layer1.name, layer1.trainableParams, layer1.outputShape); // 'layer1' 215808 [null, 56, 56, 256]
 * ```
 */
export interface SummarySection {
  /** `stem`, `layer1` … `layerN`, or `head`. */
  readonly name: string;
  /** Trainable parameters of its layers. */
  readonly trainableParams: number;
  /** All parameters (BN moving statistics included). */
  readonly totalParams: number;
  /** Multiply–adds of its convolutions and dense layers for one image (undefined for unknown spatial sizes). */
  readonly macs: number | undefined;
  /** Output shape of its last layer (NHWC, batch `null`). */
  readonly outputShape: ReadonlyArray<number | null>;
}

/**
 * Parameters, multiply–adds and shapes of a model, per section.
 *
 * @example
 * ```ts
 * const s = summarize(resnet18());
 * console.log(s.trainableParams); // 11689512
 * ```
 */
export interface ModelSummary {
  /** The model's name. */
  readonly name: string;
  /** The stem, each stage and the head, in order. */
  readonly sections: readonly SummarySection[];
  /** Trainable parameters of the whole model (torchvision's parameter count). */
  readonly trainableParams: number;
  /** All parameters, BN moving statistics included (Keras's `count_params()`). */
  readonly totalParams: number;
  /** Multiply–adds for one image, counted as torchvision's reference figures are (conv and linear layers). */
  readonly macs: number | undefined;
}

const size = (shape: ReadonlyArray<number | null>): number => shape.reduce<number>((a, d) => a * (d ?? 0), 1);

/**
 * Multiply–adds of one layer for one image: output elements × the
 * multiply–adds per output of a convolution (`kh·kw·in/groups`) or dense
 * layer (`in`); 0 for every other layer; `undefined` when a spatial size is unknown.
 *
 * @example
 * ```ts
 * const macs = layerMacs(resnet18().getLayer('conv1')); // 118013952
 * ```
 */
export function layerMacs(layer: tf.layers.Layer): number | undefined {
  const weights = layer.weights;
  if (weights.length === 0) return 0;
  const kernel = weights[0].shape as number[];
  const out = layer.outputShape as Array<number | null>;
  if (out.slice(1).some((d) => d == null)) return undefined;
  const perImage = size(out.slice(1));
  const cls = layer.getClassName();
  if (kernel.length === 4 && /Conv2D$/.test(cls)) {
    // kernel [kh, kw, in/groups, out]: each output sums kh·kw·in/groups products.
    return perImage * kernel[0] * kernel[1] * kernel[2];
  }
  if (cls === 'Dense') return perImage * kernel[0];
  return 0;
}

/** The number of values in `ws`. @internal */
export const paramCount = (ws: readonly tf.LayerVariable[]): number => ws.reduce((a, w) => a + size(w.shape), 0);

/**
 * Summarises a model section by section: the stem, each stage (split at the
 * stage outputs recorded when tfjs-resnet built it) and the head.
 *
 * @example
 * ```ts
 * for (const s of summarize(resnet50()).sections) console.log(s.name, s.trainableParams, s.outputShape);
 * ```
 */
export function summarize(model: tf.LayersModel): ModelSummary {
  const ends = new Map<string, string>();
  const features = modelInfo(model)?.features ?? [];
  features.forEach((f, i) => ends.set(f.layer, i === 0 ? 'stem' : f.name));
  const sections: SummarySection[] = [];
  let group: tf.layers.Layer[] = [];
  const close = (name: string): void => {
    if (group.length === 0) return;
    const macsList = group.map(layerMacs);
    sections.push({
      name,
      trainableParams: group.reduce((a, l) => a + paramCount(l.trainableWeights), 0),
      totalParams: group.reduce((a, l) => a + paramCount(l.weights), 0),
      macs: macsList.some((m) => m === undefined) ? undefined : macsList.reduce<number>((a, m) => a + (m ?? 0), 0),
      outputShape: group[group.length - 1].outputShape as Array<number | null>,
    });
    group = [];
  };
  for (const layer of model.layers) {
    group.push(layer);
    const end = ends.get(layer.name);
    if (end !== undefined) close(end);
  }
  close(features.length > 0 ? 'head' : model.name);
  const sum = (k: 'trainableParams' | 'totalParams'): number => sections.reduce((a, s) => a + s[k], 0);
  const macs = sections.some((s) => s.macs === undefined) ? undefined : sections.reduce((a, s) => a + (s.macs ?? 0), 0);
  return { name: model.name, sections, trainableParams: sum('trainableParams'), totalParams: sum('totalParams'), macs };
}
