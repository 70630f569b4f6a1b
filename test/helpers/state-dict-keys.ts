// The PyTorch state dict a tfjs model implies, derived independently of
// src/weights: a layer's name is its PyTorch module path, so each weight is
// `<layer name>.<param>`, with the shape converted to PyTorch's layout.
import * as tf from '@tensorflow/tfjs';

/** How one tfjs weight (by its own name) maps to a PyTorch parameter: name and shape transform. */
type ParamRule = { torch: string; shape: (s: number[]) => number[] };

const convKernel: ParamRule = { torch: 'weight', shape: ([kh, kw, i, o]) => [o, i, kh, kw] };
const bias: ParamRule = { torch: 'bias', shape: (s) => s };

/** Per tfjs layer class: tfjs weight name → PyTorch parameter. */
export const PARAM_RULES: Record<string, Record<string, ParamRule>> = {
  Conv2D: { kernel: convKernel, bias },
  // kernel [kh, kw, in/groups, out] → [out, in/groups, kh, kw]
  GroupedConv2D: { kernel: convKernel, bias },
  // kernel [k, in, out] → [out, in, k]
  Conv1D: { kernel: { torch: 'weight', shape: ([k, i, o]) => [o, i, k] }, bias },
  BatchNormalization: {
    gamma: { torch: 'weight', shape: (s) => s },
    beta: { torch: 'bias', shape: (s) => s },
    moving_mean: { torch: 'running_mean', shape: (s) => s },
    moving_variance: { torch: 'running_var', shape: (s) => s },
  },
  Dense: { kernel: { torch: 'weight', shape: ([i, o]) => [o, i] }, bias },
};

export interface TorchParam {
  key: string;
  /** Shape in PyTorch layout. */
  shape: number[];
  layer: tf.layers.Layer;
  /** Index into `layer.getWeights()`. */
  index: number;
  className: string;
}

function flatLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((l) => (l instanceof tf.LayersModel ? flatLayers(l) : [l]));
}

/** Every PyTorch parameter/buffer the model implies (num_batches_tracked excluded), in layer order. */
export function torchParams(model: tf.LayersModel): TorchParam[] {
  const out: TorchParam[] = [];
  for (const layer of flatLayers(model)) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    const className = layer.getClassName();
    const rules = PARAM_RULES[className];
    if (rules === undefined) throw new Error(`state-dict-keys: no rule for layer "${layer.name}" of class ${className}`);
    weights.forEach((w, index) => {
      const own = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      const rule = rules[own];
      if (rule === undefined) throw new Error(`state-dict-keys: no rule for weight "${own}" of ${className} "${layer.name}"`);
      out.push({ key: `${layer.name}.${rule.torch}`, shape: rule.shape(w.shape as number[]), layer, index, className });
    });
  }
  return out;
}

/** `key → shape` of the model's implied state dict. */
export function stateDictShapes(model: tf.LayersModel): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const p of torchParams(model)) {
    if (map.has(p.key)) throw new Error(`state-dict-keys: duplicate key ${p.key}`);
    map.set(p.key, p.shape);
  }
  return map;
}

/** A fixture's state dict (`[key, shape, dtype][]`) without num_batches_tracked, as `key → shape`. */
export function fixtureShapes(entries: ReadonlyArray<readonly [string, number[], string]>): Map<string, number[]> {
  return new Map(entries.filter(([k]) => !k.endsWith('.num_batches_tracked')).map(([k, s]) => [k, s]));
}
