import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';
import { WEIGHT_LAYOUTS, type WeightLayout, type WeightLayoutName } from './weight-layout.js';

/**
 * One weight of a tfjs layer and the PyTorch state-dict entry it corresponds to.
 *
 * @example
 * ```ts
 * const kernel: WeightParam = { tfjs: 'kernel', torch: 'weight', layout: 'conv' };
 * ```
 */
export interface WeightParam {
  /** The tfjs weight's own name (the last part of its variable name), e.g. `'kernel'`, `'moving_mean'`. */
  readonly tfjs: string;
  /** The PyTorch parameter or buffer name, e.g. `'weight'`, `'running_mean'`. */
  readonly torch: string;
  /**
   * How the weight is laid out in each framework.
   * @defaultValue `'identity'`
   */
  readonly layout?: WeightLayoutName | WeightLayout;
}

/**
 * A PyTorch state-dict entry with no tfjs counterpart, such as BatchNorm's
 * `num_batches_tracked`: ignored when loading, written as a constant when
 * exporting (so PyTorch's strict `load_state_dict` accepts the file).
 *
 * @example
 * ```ts
 * const counter: ConstantBuffer = { torch: 'num_batches_tracked', dtype: 'I64', value: 0 };
 * ```
 */
export interface ConstantBuffer {
  /** The PyTorch buffer name. */
  readonly torch: string;
  /** Its element type: a 0-d integer (`'I64'`) or float (`'F32'`) scalar. */
  readonly dtype: 'I64' | 'F32';
  /** The value written on export. */
  readonly value: number;
}

/**
 * How the weights of one tfjs layer class map to a PyTorch module's state
 * dict: a key is `<layer name>.<torch name>`. Parameters are listed in the
 * module's state-dict order (parameters, then buffers); weights the layer does
 * not have (a conv without bias, a BatchNorm with `scale: false`) are skipped.
 *
 * @example
 * ```ts
 * const mapping: WeightMapping = {
 *   params: [
 *     { tfjs: 'kernel', torch: 'weight', layout: 'conv' },
 *     { tfjs: 'bias', torch: 'bias' },
 *   ],
 * };
 * ```
 */
export interface WeightMapping {
  /** The layer's weights, in PyTorch state-dict order. */
  readonly params: readonly WeightParam[];
  /** Entries that follow the parameters in PyTorch and have no tfjs weight. */
  readonly constants?: readonly ConstantBuffer[];
}

/** A mapping with its layouts resolved to objects. @internal */
export interface ResolvedWeightMapping {
  readonly params: ReadonlyArray<{ tfjs: string; torch: string; layout: WeightLayout }>;
  readonly constants: readonly ConstantBuffer[];
}

const conv: WeightMapping = {
  params: [
    { tfjs: 'kernel', torch: 'weight', layout: 'conv' },
    { tfjs: 'bias', torch: 'bias' },
  ],
};

/** The built-in mappings, by tfjs class name (`layer.getClassName()`). */
const BUILT_IN: Readonly<Record<string, WeightMapping>> = {
  Conv2D: conv,
  // The grouped convolution of src/layers: kernel [kh, kw, in/groups, out], same transpose.
  GroupedConv2D: conv,
  DepthwiseConv2D: {
    params: [
      { tfjs: 'depthwise_kernel', torch: 'weight', layout: 'depthwise' },
      { tfjs: 'bias', torch: 'bias' },
    ],
  },
  BatchNormalization: {
    params: [
      { tfjs: 'gamma', torch: 'weight' },
      { tfjs: 'beta', torch: 'bias' },
      { tfjs: 'moving_mean', torch: 'running_mean' },
      { tfjs: 'moving_variance', torch: 'running_var' },
    ],
    constants: [{ torch: 'num_batches_tracked', dtype: 'I64', value: 0 }],
  },
  Dense: {
    params: [
      { tfjs: 'kernel', torch: 'weight', layout: 'linear' },
      { tfjs: 'bias', torch: 'bias' },
    ],
  },
};

const registry = new Map<string, ResolvedWeightMapping>();

function resolveLayout(layout: WeightParam['layout'], where: string): WeightLayout {
  if (layout === undefined) return WEIGHT_LAYOUTS.identity;
  if (typeof layout === 'string') {
    if (!Object.prototype.hasOwnProperty.call(WEIGHT_LAYOUTS, layout)) {
      throw new ConfigError(
        `${where}: unknown layout ${describe(layout)}; valid layouts are ${Object.keys(WEIGHT_LAYOUTS)
          .map((k) => describe(k))
          .join(', ')} or a WeightLayout object`,
      );
    }
    return WEIGHT_LAYOUTS[layout];
  }
  const ok =
    typeof layout === 'object' &&
    layout !== null &&
    ['torchShape', 'toTfjs', 'toTorch'].every((f) => typeof (layout as unknown as Record<string, unknown>)[f] === 'function');
  if (!ok) {
    throw new ConfigError(`${where}: layout must be a layout name or an object with torchShape, toTfjs and toTorch functions, got ${describe(layout)}`);
  }
  return layout;
}

function resolveMapping(className: string, mapping: WeightMapping): ResolvedWeightMapping {
  const where = `registerWeightMapping("${className}")`;
  if (typeof mapping !== 'object' || mapping === null || !Array.isArray(mapping.params)) {
    throw new ConfigError(`${where}: mapping must be an object with a params array, got ${describe(mapping)}`);
  }
  const seen = new Set<string>();
  const claim = (name: unknown, what: string): void => {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ConfigError(`${where}: every ${what} name must be a non-empty string, got ${describe(name)}`);
    }
    if (seen.has(`${what}:${name}`)) throw new ConfigError(`${where}: ${what} name ${describe(name)} is listed twice`);
    seen.add(`${what}:${name}`);
  };
  const params = mapping.params.map((p) => {
    claim(p?.tfjs, 'tfjs');
    claim(p?.torch, 'torch');
    return { tfjs: p.tfjs, torch: p.torch, layout: resolveLayout(p.layout, `${where} param "${p.tfjs}"`) };
  });
  const constants = (mapping.constants ?? []).map((c) => {
    claim(c?.torch, 'torch');
    if (c.dtype !== 'I64' && c.dtype !== 'F32') {
      throw new ConfigError(`${where}: constant "${c.torch}" has dtype ${describe(c.dtype)}; valid dtypes are "I64", "F32"`);
    }
    if (typeof c.value !== 'number' || (c.dtype === 'I64' && !Number.isSafeInteger(c.value))) {
      throw new ConfigError(`${where}: constant "${c.torch}" needs a numeric value (an integer for I64), got ${describe(c.value)}`);
    }
    return { ...c };
  });
  return { params, constants };
}

/**
 * Teaches PyTorch weight loading and export how the weights of a tfjs layer
 * class map to a PyTorch module: the extension point for custom layers. The
 * built-in classes are `Conv2D`, `GroupedConv2D`, `DepthwiseConv2D`,
 * `BatchNormalization` and `Dense`; registering one of them again replaces it.
 * Layers without weights need no mapping.
 *
 * @param className - the tfjs class name, as `layer.getClassName()` returns it.
 * @param mapping - the layer's weights in PyTorch state-dict order, see {@link WeightMapping}.
 * @throws {@link ConfigError} for an empty class name, a duplicate or empty
 *   weight name, an unknown layout name or a malformed constant.
 *
 * @example
 * ```ts
 * // A custom LayerScale layer with one `gamma` weight that PyTorch calls `gamma` too.
 * registerWeightMapping('LayerScale', { params: [{ tfjs: 'gamma', torch: 'gamma' }] });
 * await loadPyTorchWeights(model, 'model.safetensors');
 * ```
 */
export function registerWeightMapping(className: string, mapping: WeightMapping): void {
  if (typeof className !== 'string' || className.length === 0) {
    throw new ConfigError(`registerWeightMapping: className must be a non-empty tfjs class name such as "Conv2D", got ${describe(className)}`);
  }
  registry.set(className, resolveMapping(className, mapping));
}

for (const [name, mapping] of Object.entries(BUILT_IN)) registerWeightMapping(name, mapping);

/** The mapping of a tfjs layer class, if one is registered. @internal */
export function weightMappingFor(className: string): ResolvedWeightMapping | undefined {
  return registry.get(className);
}

/** The class names that have a mapping, for error messages. @internal */
export function mappedClassNames(): string[] {
  return [...registry.keys()];
}
