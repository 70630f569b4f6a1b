import * as tf from '@tensorflow/tfjs';
import { WeightsError } from '../errors.js';
import { modelInfo } from '../models/model-info.js';
import { mappedClassNames, weightMappingFor, type ConstantBuffer } from './weight-mapping.js';
import type { WeightLayout } from './weight-layout.js';

/**
 * One entry of a PyTorch state dict: key, shape and dtype, as
 * `{k: (v.shape, v.dtype) for k, v in model.state_dict().items()}` lists it.
 *
 * @example
 * ```ts
 * const entry: StateDictEntry = { key: 'conv1.weight', shape: [64, 3, 7, 7], dtype: 'float32' };
 * ```
 */
export interface StateDictEntry {
  /** The state-dict key: `<module path>.<parameter>`. */
  key: string;
  /** The shape in PyTorch layout. */
  shape: number[];
  /** `'float32'` for parameters and statistics, `'int64'` for counters such as `num_batches_tracked`. */
  dtype: 'float32' | 'int64';
}

/** A state-dict entry backed by a tfjs weight. @internal */
export interface ParamTarget {
  readonly kind: 'param';
  readonly key: string;
  /** Shape in PyTorch layout. */
  readonly shape: number[];
  readonly variable: tf.LayerVariable;
  readonly layout: WeightLayout;
}

/** A state-dict entry with a constant value and no tfjs weight. @internal */
export interface ConstantTarget {
  readonly kind: 'constant';
  readonly key: string;
  readonly shape: number[];
  readonly constant: ConstantBuffer;
}

/** The own name of a tfjs weight (`'kernel'` for `layer1.0.conv1/kernel`). @internal */
export function weightShortName(w: tf.LayerVariable): string {
  return w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
}

/**
 * The layers of a model with their name prefixes, nested models expanded,
 * in creation order (which is the builders' PyTorch module registration order).
 * @internal
 */
export function layersInOrder(model: tf.LayersModel, prefix = ''): Array<{ layer: tf.layers.Layer; name: string }> {
  const sorted = [...model.layers].sort((a, b) => a.id - b.id);
  return sorted.flatMap((layer) =>
    layer instanceof tf.LayersModel ? layersInOrder(layer, `${prefix}${layer.name}.`) : [{ layer, name: prefix + layer.name }],
  );
}

/**
 * Throws a {@link WeightsError} when `model` was built in Keras style, whose
 * layer names are not PyTorch module paths.
 * @internal
 */
export function assertPyTorchNamed(model: tf.LayersModel, fn: string): void {
  if (modelInfo(model)?.style === 'keras') {
    throw new WeightsError(
      `${fn}: model "${model.name}" was built with style 'keras', whose layers carry Keras names (conv1_conv, conv2_block1_1_conv, …) ` +
        `and Keras's architecture; load Keras Applications weights with loadKerasWeights, or build the model with style 'torchvision' for PyTorch weights`,
    );
  }
}

/**
 * The model's PyTorch state dict, entry by entry in PyTorch's order, each
 * with the tfjs weight behind it.
 * @internal
 */
export function stateDictTargets(model: tf.LayersModel, fn: string): Array<ParamTarget | ConstantTarget> {
  assertPyTorchNamed(model, fn);
  const out: Array<ParamTarget | ConstantTarget> = [];
  const keys = new Set<string>();
  const add = (t: ParamTarget | ConstantTarget, layer: string): void => {
    if (keys.has(t.key)) {
      throw new WeightsError(
        `${fn}: two weights of the model map to the state-dict key "${t.key}" (the second in layer "${layer}"); layer names must be unique module paths`,
      );
    }
    keys.add(t.key);
    out.push(t);
  };
  for (const { layer, name } of layersInOrder(model)) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    const className = layer.getClassName();
    const mapping = weightMappingFor(className);
    if (mapping === undefined) {
      throw new WeightsError(
        `${fn}: layer "${name}" is a ${className} with weights, and no PyTorch weight mapping is registered for ${className}; ` +
          `registered classes are ${mappedClassNames().join(', ')}; add one with registerWeightMapping('${className}', { params: [...] })`,
      );
    }
    const byName = new Map(weights.map((w) => [weightShortName(w), w]));
    for (const p of mapping.params) {
      const variable = byName.get(p.tfjs);
      if (variable === undefined) continue;
      byName.delete(p.tfjs);
      add({ kind: 'param', key: `${name}.${p.torch}`, shape: p.layout.torchShape(variable.shape as number[]), variable, layout: p.layout }, name);
    }
    if (byName.size > 0) {
      throw new WeightsError(
        `${fn}: layer "${name}" (${className}) has weights ${[...byName.keys()].map((k) => `"${k}"`).join(', ')} that its PyTorch weight mapping does not list; ` +
          `it lists ${mapping.params.map((p) => `"${p.tfjs}"`).join(', ')}; extend it with registerWeightMapping('${className}', …)`,
      );
    }
    for (const constant of mapping.constants) {
      add({ kind: 'constant', key: `${name}.${constant.torch}`, shape: [], constant }, name);
    }
  }
  return out;
}

/**
 * The PyTorch state dict the model corresponds to: every key with its shape
 * and dtype, in PyTorch's order (parameters then buffers, module by module in
 * registration order). For torchvision-style models it equals
 * `[(k, list(v.shape), v.dtype) for k, v in torchvision_model.state_dict().items()]`;
 * it is the key list {@link exportPyTorchWeights} writes and
 * {@link loadPyTorchWeights} expects.
 *
 * @throws {@link WeightsError} for a Keras-style model, or a layer with weights
 *   whose class has no registered mapping (see {@link registerWeightMapping}).
 *
 * @example
 * ```ts
 * const entries = pytorchStateDictSpec(resnet18({ init: 'zeros' }));
 * entries[0]; // { key: 'conv1.weight', shape: [64, 3, 7, 7], dtype: 'float32' }
 * entries.length; // 122
 * ```
 */
export function pytorchStateDictSpec(model: tf.LayersModel): StateDictEntry[] {
  return stateDictTargets(model, 'pytorchStateDictSpec').map((t) => ({
    key: t.key,
    shape: [...t.shape],
    dtype: t.kind === 'constant' && t.constant.dtype === 'I64' ? 'int64' : 'float32',
  }));
}
