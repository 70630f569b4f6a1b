import * as tf from '@tensorflow/tfjs';
import { WeightsError } from '../errors.js';
import { modelInfo } from '../models/model-info.js';
import { describe, formatShape } from '../validate.js';
import { assignWeights, type LoadTarget } from './assign-weights.js';
import { fetchWeightBytes } from './fetch-weights.js';
import { DEFAULT_LOAD_WEIGHTS_OPTIONS, type LoadReport, type LoadWeightsOptions } from './load-options.js';
import { manifestSource, manifestSpecs } from './manifest-source.js';
import { wholeBuffer } from '../io/byte-sink.js';
import { hasUrlScheme } from '../io/source.js';
import { sameShape } from './weight-layout.js';
import type { WeightSource } from './weight-source.js';

/**
 * Where {@link loadKerasWeights} reads Keras weights from — a tfjs weights
 * manifest and its binary data:
 * - the path or URL of a `model.json` (string or `URL`); its
 *   `weightsManifest` shard paths are read relative to it. The fetch option
 *   `sha256` is the digest of the `model.json` alone (the shards have none of
 *   their own); `maxBytes` bounds each file;
 * - in memory: `{ modelJson, weightData }` (the parsed `model.json` or its
 *   text), `{ weightsManifest, weightData }`, or tfjs `ModelArtifacts`
 *   `{ weightSpecs, weightData }` (what `model.save(tf.io.withSaveHandler(…))`
 *   receives). `weightData` is the shards' bytes, concatenated or as an array
 *   in manifest order.
 *
 * @example
 * ```ts
 * const a: KerasWeightsSource = 'tfjs_resnet50/model.json';
 * const b: KerasWeightsSource = { modelJson: JSON.parse(text), weightData: [shard1, shard2] };
 * ```
 */
export type KerasWeightsSource =
  | string
  | URL
  | {
      /** The text of a `model.json`, or its parsed object. */
      modelJson:
        | string
        | {
            /** The `weightsManifest` of the `model.json`. */
            weightsManifest: tf.io.WeightsManifestConfig;
          };
      /** The weight shards the manifest names, in manifest order. */
      weightData: KerasWeightData;
    }
  | {
      /** A `weightsManifest`, as in a `model.json`. */
      weightsManifest: tf.io.WeightsManifestConfig;
      /** The weight shards the manifest names, in manifest order. */
      weightData: KerasWeightData;
    }
  | {
      /** The weight specs of all shards, in order (the manifest's `weights` concatenated). */
      weightSpecs: tf.io.WeightsManifestEntry[];
      /** The weights the specs describe. */
      weightData: KerasWeightData;
    };

/**
 * The binary weights of a manifest: one buffer, or the shards in manifest order.
 *
 * @example
 * ```ts
 * const data: KerasWeightData = [readFileSync('group1-shard1of2.bin'), readFileSync('group1-shard2of2.bin')];
 * ```
 */
export type KerasWeightData = ArrayBuffer | Uint8Array | ReadonlyArray<ArrayBuffer | Uint8Array>;

const FN = 'loadKerasWeights';

/**
 * The key a weight name is matched by: `layer/weight`, with a trailing `:0`
 * (TensorFlow's output index) removed and one leading scope (`resnet50/…`, a
 * model or layer scope the converter may add) dropped.
 *
 * @example
 * ```ts
 * kerasWeightKey('resnet50/conv1_conv/kernel:0'); // 'conv1_conv/kernel'
 * kerasWeightKey('conv1_bn/moving_mean');          // 'conv1_bn/moving_mean'
 * ```
 */
export function kerasWeightKey(name: string): string {
  const bare = name.replace(/:\d+$/, '');
  const parts = bare.split('/');
  return parts.length === 3 ? `${parts[1]}/${parts[2]}` : bare;
}

/** A shard path of a manifest, resolved against the model.json's location. */
function resolveShard(base: string | URL, path: string): string | URL {
  if (base instanceof URL || hasUrlScheme(base) || hasUrlScheme(path)) return new URL(path, base);
  if (path.startsWith('/')) return path;
  const cut = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
  return cut < 0 ? path : base.slice(0, cut + 1) + path;
}

/** The bytes as an `ArrayBuffer` of exactly their length (tfjs's weight data). */
const exactBuffer = (bytes: Uint8Array): ArrayBuffer => wholeBuffer(bytes).buffer as ArrayBuffer;

function toWeightData(data: unknown): tf.io.WeightData {
  const one = (d: unknown): ArrayBuffer => {
    if (d instanceof ArrayBuffer) return d;
    if (d instanceof Uint8Array) return exactBuffer(d);
    throw new WeightsError(
      `${FN}: weightData must be an ArrayBuffer, a Uint8Array or an array of them (the shards in manifest order), got ${describe(d).slice(0, 80)}`,
    );
  };
  return Array.isArray(data) ? data.map(one) : one(data);
}

async function fetchManifest(source: string | URL, options: LoadWeightsOptions): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer[] }> {
  let done = 0;
  const fetchCounted = async (s: string | URL, fetchOptions = options): Promise<Uint8Array> => {
    const before = done;
    const bytes = await fetchWeightBytes(s, fetchOptions, (loaded) => options.onProgress?.({ phase: 'fetch', loaded: before + loaded, total: undefined }));
    done = before + bytes.length;
    return bytes;
  };
  const text = new TextDecoder().decode(await fetchCounted(source));
  let json: { weightsManifest?: unknown };
  try {
    json = JSON.parse(text);
  } catch {
    throw new WeightsError(`${FN}: ${String(source)} is not JSON; expected a tfjs model.json with a weightsManifest`);
  }
  const manifest = json?.weightsManifest as tf.io.WeightsManifestConfig;
  const specs = manifestSpecs(manifest, FN);
  const data: ArrayBuffer[] = [];
  // `sha256` named the model.json just read; no shard could match it too.
  const shardOptions: LoadWeightsOptions = { ...options, sha256: undefined };
  for (const group of manifest) {
    for (const path of group.paths ?? []) data.push(exactBuffer(await fetchCounted(resolveShard(source, path), shardOptions)));
  }
  return { specs, data };
}

async function openSource(source: KerasWeightsSource, options: LoadWeightsOptions): Promise<WeightSource> {
  if (typeof source === 'string' || source instanceof URL) {
    const { specs, data } = await fetchManifest(source, options);
    return manifestSource(specs, data, kerasWeightKey, FN);
  }
  if (typeof source === 'object' && source !== null && 'weightData' in source) {
    const data = toWeightData(source.weightData);
    if ('weightSpecs' in source) return manifestSource(source.weightSpecs, data, kerasWeightKey, FN);
    let manifest: unknown;
    if ('weightsManifest' in source) manifest = source.weightsManifest;
    else if ('modelJson' in source) {
      const json: unknown = typeof source.modelJson === 'string' ? JSON.parse(source.modelJson) : source.modelJson;
      manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
    }
    return manifestSource(manifestSpecs(manifest, FN), data, kerasWeightKey, FN);
  }
  throw new WeightsError(
    `${FN}: cannot read weights from ${describe(source).slice(0, 80)}; valid sources are the path or URL of a tfjs model.json, ` +
      `or { modelJson | weightsManifest | weightSpecs, weightData }`,
  );
}

/**
 * Loads Keras weights from a tfjs weights manifest, as `tensorflowjs_converter
 * --input_format=keras` writes it for `keras.applications` ResNet50/101/152,
 * into a model built with `style: 'keras'` (whose weights have exactly those
 * names and shapes: `conv1_conv/kernel` `[7, 7, 3, 64]`, `conv1_bn/gamma`,
 * `conv1_bn/moving_variance`, …, `predictions/kernel`). Works for any tfjs
 * model: weight `w` of layer `l` is matched by the name `l/w`.
 *
 * Accepted names: `layer/weight`, optionally with one leading scope
 * (`resnet50/conv1_conv/kernel`) and TensorFlow's `:0` suffix
 * (see {@link kerasWeightKey}). Weights are decoded and written one at a
 * time; quantized manifests are dequantized. Strict and shape rules are those
 * of {@link loadPyTorchWeights}.
 *
 * @param model - the model to fill, e.g. `resnet50({ style: 'keras', init: 'zeros' })`.
 * @param source - a `model.json` path/URL or the manifest and data in memory ({@link KerasWeightsSource}).
 * @param options - `strict` (default true), `onProgress`, and fetch options; see {@link LoadWeightsOptions}.
 * @returns what was loaded, missing and unexpected ({@link LoadReport}).
 * @throws {@link WeightsError} in strict mode for missing or unexpected names,
 *   always for a shape mismatch, a malformed manifest, or data whose size
 *   differs from the manifest's.
 * @throws {@link FetchError} when a file cannot be read.
 *
 * @example
 * ```ts
 * // shell: tensorflowjs_converter --input_format=keras resnet50.h5 tfjs_resnet50/
 * import { resnet50, loadKerasWeights } from 'tfjs-resnet';
 * const model = resnet50({ style: 'keras', init: 'zeros' });
 * await loadKerasWeights(model, 'tfjs_resnet50/model.json');
 * ```
 */
export async function loadKerasWeights(model: tf.LayersModel, source: KerasWeightsSource, options: LoadWeightsOptions = {}): Promise<LoadReport> {
  const start = performance.now();
  const strict = options.strict ?? DEFAULT_LOAD_WEIGHTS_OPTIONS.strict;
  const targets: LoadTarget[] = model.weights.map((variable) => ({
    key: kerasWeightKey(variable.originalName),
    expected: variable.shape as number[],
    accepts: (shape) => sameShape(shape, variable.shape),
    describe: `tfjs weight "${variable.originalName}" of shape ${formatShape(variable.shape)}`,
    assign: (t) => variable.write(t),
  }));
  const hint =
    modelInfo(model)?.style === 'torchvision'
      ? `The model was built in torchvision style; Keras Applications weights need a model built with style: 'keras'`
      : undefined;
  const src = await openSource(source, options);
  try {
    return assignWeights(FN, targets, src, { strict, isIgnored: () => false, onProgress: options.onProgress, hint, start });
  } finally {
    src.dispose();
  }
}
