import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { configOf, layerLabel, type LayerConfig } from './layer-config.js';
import { weightShortName } from '../weights/state-dict.js';

/** A layer class as tfjs serialization sees it. */
interface LayerClass {
  new (config: LayerConfig): tf.layers.Layer;
  fromConfig?: (cls: LayerClass, config: LayerConfig) => tf.layers.Layer;
}

type Initializer = ReturnType<typeof tf.initializers.zeros>;
const Zeros = tf.initializers.zeros().constructor as new () => Initializer;

/**
 * An initializer that hands a layer, when it builds, a value computed on
 * demand — so a weight is created once, directly with its final value (no
 * zeros filled and overwritten). It is a `Zeros` for serialization: a saved
 * model reloads as usual.
 */
class PresetValue extends Zeros {
  used = false;
  constructor(private readonly value: () => tf.Tensor) {
    super();
  }
  override apply(shape: number[]): tf.Tensor {
    const t = this.value();
    if (!tf.util.arraysEqual(t.shape, shape)) {
      t.dispose();
      throw new ConfigError(`inference copy: a weight of shape [${shape.join(', ')}] was given a value of shape [${t.shape.join(', ')}]`);
    }
    this.used = true;
    return t;
  }
}

/**
 * Values for a copy's weights, by leaf name (`kernel`, `bias`, `gamma`, …),
 * computed on first use as new tensors the copy takes over.
 * @internal
 */
export interface WeightValues {
  readonly names: readonly string[];
  compute(): tf.Tensor[];
}

/** A layer copy waiting to be applied, and how to complete its weights once built. */
export interface LayerCopy {
  readonly layer: tf.layers.Layer;
  /** Sets the weights no initializer could preset; frees values nobody took. */
  finish(): void;
}

/**
 * A new, unbuilt layer of the same class and configuration as `layer`
 * (`overrides` applied) whose weights, once built, are `values` — by default
 * the original's own weights, shared, not copied. Every weight whose
 * initializer the config names (`kernelInitializer`, `movingMeanInitializer`,
 * …) is created directly with its value; `finish()` sets any other.
 * @internal
 */
export function copyLayer(layer: tf.layers.Layer, overrides: LayerConfig = {}, values?: WeightValues): LayerCopy {
  const source: WeightValues = values ?? {
    names: layer.weights.map((w) => weightShortName(w)),
    compute: () => layer.weights.map((w) => tf.clone(w.read())),
  };
  let computed: tf.Tensor[] | undefined;
  const valueOf = (i: number): tf.Tensor => (computed ??= source.compute())[i];
  const config: LayerConfig = { ...configOf(layer), ...overrides };
  const presets = source.names.map((name, i) => {
    const key = `${name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Initializer`;
    if (!(key in config)) return undefined;
    const preset = new PresetValue(() => valueOf(i));
    config[key] = preset;
    return preset;
  });
  for (const key of Object.keys(config)) {
    const v = config[key];
    if (key.endsWith('Initializer') && v !== null && typeof v === 'object' && !(v instanceof PresetValue)) config[key] = new Zeros();
  }
  const cls = layer.constructor as LayerClass;
  let copy: tf.layers.Layer;
  try {
    copy = typeof cls.fromConfig === 'function' ? cls.fromConfig(cls, config) : new cls(config);
  } catch (e) {
    throw new ConfigError(
      `${layerLabel(layer)}: cannot be re-created from its config (${(e as Error).message}); a custom layer must implement getConfig() so that new Layer(getConfig()) rebuilds it`,
    );
  }
  return {
    layer: copy,
    finish() {
      const index = copy.weights.map((w) => source.names.indexOf(weightShortName(w)));
      if (index.some((i) => i < 0) || copy.weights.length !== source.names.length) {
        throw new ConfigError(
          `${layerLabel(layer)}: its copy has weights [${copy.weights.map((w) => weightShortName(w)).join(', ')}], expected [${source.names.join(', ')}]`,
        );
      }
      if (index.some((i) => presets[i]?.used !== true)) {
        copy.setWeights(index.map((i, j) => (presets[i]?.used ? copy.weights[j].read() : valueOf(i))));
      }
      // The variables hold their own references: free every handle not given to an initializer.
      if (computed !== undefined) tf.dispose(computed.filter((_, i) => presets[i]?.used !== true));
    },
  };
}
