import * as tf from '@tensorflow/tfjs';
import { ConfigError, WeightsError } from '../errors.js';
import { describe, formatShape } from '../validate.js';
import { assignWeights, type LoadTarget } from './assign-weights.js';
import { fetchWeightBytes } from './fetch-weights.js';
import { DEFAULT_LOAD_WEIGHTS_OPTIONS, type LoadReport, type LoadWeightsOptions } from './load-options.js';
import type { PyTorchCheckpointInfo } from './checkpoint-info.js';
import { openCheckpoint, type PyTorchCheckpointOptions } from './checkpoint.js';
import { stateDictTargets, type ParamTarget } from './state-dict.js';
import { layoutAccepts, sameShape } from './weight-layout.js';
import { isTensorMap, lazyFileSource, tensorMapSource, type TensorMap, type WeightSource } from './weight-source.js';

/**
 * Where {@link loadPyTorchWeights} reads a PyTorch state dict from:
 * - a file path or a `file://` URL (Node), an `http(s)://` URL, as a string or `URL`,
 *   of a `torch.save` checkpoint (`.pth`, `.pt`, `.th`: zip or legacy format)
 *   or a `.safetensors` file — the format is told by the bytes, not the name;
 * - the bytes of such a file (`Uint8Array`, Node `Buffer`, `ArrayBuffer`);
 * - tfjs tensors by state-dict key, in a `Map` or a plain record, in PyTorch
 *   layout (they are read, not disposed).
 *
 * @example
 * ```ts
 * const sources: PyTorchWeightsSource[] = [
 *   'weights/resnet50.safetensors',
 *   'resnet50-11ad3fa6.pth',
 *   new URL('https://example.com/resnet50.safetensors'),
 *   readFileSync('resnet50.safetensors'),
 *   new Map([['fc.weight', tf.zeros([1000, 2048])]]),
 * ];
 * ```
 */
export type PyTorchWeightsSource = string | URL | Uint8Array | ArrayBuffer | TensorMap;

/** State-dict leaves that carry no weights tfjs uses. */
const IGNORED_LEAVES = new Set(['num_batches_tracked']);

const FN = 'loadPyTorchWeights';

/** The load target of a model weight in PyTorch layout. */
function pytorchLoadTarget(p: ParamTarget): LoadTarget {
  const tfjsShape = p.variable.shape as number[];
  return {
    key: p.key,
    expected: p.shape,
    accepts: (shape) => layoutAccepts(p.layout, shape, p.shape),
    describe: `PyTorch layout of the tfjs weight "${p.variable.originalName}" of shape ${formatShape(tfjsShape)}`,
    assign: (t) => {
      const shaped = sameShape(t.shape, p.shape) ? t : tf.reshape(t, p.shape);
      p.variable.write(p.layout.toTfjs(shaped, tfjsShape));
    },
  };
}

/**
 * Options of {@link loadPyTorchWeights}: those of every loader, and where the
 * weights are inside a checkpoint.
 *
 * @example
 * ```ts
 * const options: LoadPyTorchWeightsOptions = { strict: true, checkpointKey: 'state_dict', useEma: false };
 * ```
 */
export interface LoadPyTorchWeightsOptions extends LoadWeightsOptions, PyTorchCheckpointOptions {}

function openBytes(bytes: Uint8Array, options: LoadPyTorchWeightsOptions): { source: WeightSource; checkpoint: PyTorchCheckpointInfo } {
  const file = openCheckpoint(bytes, options);
  const { format, picked, stripped, skipped } = file;
  return { source: lazyFileSource(file), checkpoint: { format, picked, stripped, skipped } };
}

async function openSource(
  source: PyTorchWeightsSource,
  options: LoadPyTorchWeightsOptions,
): Promise<{ source: WeightSource; checkpoint?: PyTorchCheckpointInfo }> {
  if (typeof source === 'string' || source instanceof URL) {
    const bytes = await fetchWeightBytes(source, options, (loaded, total) => options.onProgress?.({ phase: 'fetch', loaded, total }));
    return openBytes(bytes, options);
  }
  if (source instanceof Uint8Array) return openBytes(source, options);
  if (source instanceof ArrayBuffer) return openBytes(new Uint8Array(source), options);
  if (isTensorMap(source)) return { source: tensorMapSource(source, false, FN) };
  throw new WeightsError(
    `${FN}: cannot read weights from ${describe(source)}; valid sources are a file path or URL (string or URL) of a ` +
      `PyTorch checkpoint (.pth/.pt/.th) or .safetensors file, its bytes (Uint8Array or ArrayBuffer), ` +
      `or a Map or record of tf.Tensors by state-dict key`,
  );
}

/**
 * Loads a PyTorch state dict (torchvision or timm names and layouts) into a
 * model built by this library in torchvision style, or any model whose layer
 * names are PyTorch module paths.
 *
 * Keys are matched by layer name: the weights of layer `layer1.0.conv1` are
 * `layer1.0.conv1.weight` etc. Layouts are converted per layer class (conv
 * `[out, in, kh, kw]` → `[kh, kw, in, out]`, linear `[out, in]` → `[in, out]`,
 * BatchNorm `weight, bias, running_mean, running_var` → gamma, beta, moving
 * mean, moving variance; see {@link registerWeightMapping} for custom layers);
 * `num_batches_tracked` is ignored. Every check runs before any weight is
 * written, and weights are converted and written one tensor at a time, each
 * decoded entry released once written: no converted copy of the model is
 * ever held (`bench/load-weights.ts` measures the peak).
 *
 * Floating-point files of any width load (F16/BF16/F64 become float32).
 *
 * PyTorch checkpoints (`torch.save` files) are read safely by
 * {@link readPyTorchCheckpoint}'s restricted unpickler; the state dict is
 * found as timm finds it (`state_dict_ema`/`model_ema` with `useEma`, then
 * `state_dict`, then `model`) and `module.`/`_orig_mod.` prefixes are
 * stripped (the same prefixes are stripped from safetensors keys); the report's
 * `checkpoint` says what was picked and stripped.
 *
 * @param model - the model to fill, e.g. `resnet50({ init: 'zeros' })`.
 * @param source - a path/URL of a checkpoint or `.safetensors` file, its bytes, or tensors by key ({@link PyTorchWeightsSource}).
 * @param options - `strict` (default true), `onProgress`, fetch options, `checkpointKey`, `useEma`; see {@link LoadPyTorchWeightsOptions}.
 * @returns what was loaded, missing, unexpected and ignored ({@link LoadReport}).
 * @throws {@link WeightsError} in strict mode when keys are missing or unexpected
 *   (listing the first few and the count), always on a shape mismatch (naming
 *   the key and both shapes), for a Keras-style model, or an unusable source.
 * @throws {@link SafetensorsError} for a malformed safetensors file; {@link PyTorchFileError} for a
 *   checkpoint that cannot be read safely; {@link FetchError} when it cannot be read.
 *
 * @example
 * ```ts
 * // Python: from safetensors.torch import save_file; save_file(model.state_dict(), 'resnet50.safetensors')
 * import { resnet50, loadPyTorchWeights } from 'tfjs-resnet';
 * const model = resnet50({ init: 'zeros', classifierActivation: 'linear' });
 * const report = await loadPyTorchWeights(model, 'resnet50.safetensors');
 * console.log(report.loaded.length, report.ms); // 267 tensors
 *
 * // A training checkpoint of PyTorch, weights under "state_dict" with "module." prefixes:
 * const cifar = await createModel('resnet32', { init: 'zeros' });
 * const r = await loadPyTorchWeights(cifar, 'resnet32-d509ac18.th');
 * console.log(r.checkpoint); // { format: 'legacy', picked: 'state_dict', stripped: ['module.'], skipped: [] }
 * ```
 */
export async function loadPyTorchWeights(model: tf.LayersModel, source: PyTorchWeightsSource, options: LoadPyTorchWeightsOptions = {}): Promise<LoadReport> {
  const start = performance.now();
  const strict = options.strict ?? DEFAULT_LOAD_WEIGHTS_OPTIONS.strict;
  const entries = stateDictTargets(model, FN);
  const constants = new Set(entries.filter((e) => e.kind === 'constant').map((e) => e.key));
  const skip = skipKeySet(options.skipKeys);
  const targets = entries.filter((e): e is ParamTarget => e.kind === 'param' && !skip.has(e.key)).map(pytorchLoadTarget);
  const { source: src, checkpoint } = await openSource(source, options);
  try {
    const report = assignWeights(FN, targets, src, {
      strict,
      isIgnored: (key) => constants.has(key) || skip.has(key) || IGNORED_LEAVES.has(key.slice(key.lastIndexOf('.') + 1)),
      onProgress: options.onProgress,
      start,
    });
    return checkpoint === undefined ? report : { ...report, checkpoint };
  } finally {
    src.dispose();
  }
}

/** `skipKeys` as a set; throws a {@link ConfigError} unless it is an array of state-dict keys (strings). */
function skipKeySet(skipKeys: unknown): Set<string> {
  if (skipKeys === undefined) return new Set();
  if (!Array.isArray(skipKeys) || !skipKeys.every((k) => typeof k === 'string')) {
    throw new ConfigError(`${FN}: skipKeys must be an array of state-dict keys (strings), e.g. ['fc.weight', 'fc.bias'], got ${describe(skipKeys)}`);
  }
  return new Set(skipKeys);
}
