import * as tf from '@tensorflow/tfjs';
import { WeightsError } from '../errors.js';
import { describe, formatShape } from '../validate.js';
import { assignWeights, type LoadTarget } from './assign-weights.js';
import { fetchWeightBytes } from './fetch-weights.js';
import { DEFAULT_LOAD_WEIGHTS_OPTIONS, type LoadReport, type LoadWeightsOptions } from './load-options.js';
import { openSafetensors } from './safetensors.js';
import { stateDictTargets, type ParamTarget } from './state-dict.js';
import { layoutAccepts, sameShape } from './weight-layout.js';
import { isTensorMap, safetensorsSource, tensorMapSource, type TensorMap, type WeightSource } from './weight-source.js';

/**
 * Where {@link loadPyTorchWeights} reads a PyTorch state dict from:
 * - a file path or a `file://` URL (Node), an `http(s)://` URL, as a string or `URL`,
 *   of a `.safetensors` file;
 * - the bytes of a safetensors file (`Uint8Array`, Node `Buffer`, `ArrayBuffer`);
 * - tfjs tensors by state-dict key, in a `Map` or a plain record, in PyTorch
 *   layout (they are read, not disposed).
 *
 * @example
 * ```ts
 * const sources: PyTorchWeightsSource[] = [
 *   'weights/resnet50.safetensors',
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

async function openSource(source: PyTorchWeightsSource, options: LoadWeightsOptions): Promise<WeightSource> {
  if (typeof source === 'string' || source instanceof URL) {
    const bytes = await fetchWeightBytes(source, options, (loaded, total) =>
      options.onProgress?.({ phase: 'fetch', loaded, total }),
    );
    return safetensorsSource(openSafetensors(bytes));
  }
  if (source instanceof Uint8Array) return safetensorsSource(openSafetensors(source));
  if (source instanceof ArrayBuffer) return safetensorsSource(openSafetensors(new Uint8Array(source)));
  if (isTensorMap(source)) return tensorMapSource(source, false, FN);
  throw new WeightsError(
    `${FN}: cannot read weights from ${describe(source)}; valid sources are a file path or URL (string or URL) of a .safetensors file, ` +
      `its bytes (Uint8Array or ArrayBuffer), or a Map or record of tf.Tensors by state-dict key`,
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
 * @param model - the model to fill, e.g. `resnet50({ init: 'zeros' })`.
 * @param source - a path/URL of a `.safetensors` file, its bytes, or tensors by key ({@link PyTorchWeightsSource}).
 * @param options - `strict` (default true), `onProgress`, and fetch options; see {@link LoadWeightsOptions}.
 * @returns what was loaded, missing, unexpected and ignored ({@link LoadReport}).
 * @throws {@link WeightsError} in strict mode when keys are missing or unexpected
 *   (listing the first few and the count), always on a shape mismatch (naming
 *   the key and both shapes), for a Keras-style model, or an unusable source.
 * @throws {@link SafetensorsError} for a malformed file; {@link FetchError} when it cannot be read.
 *
 * @example
 * ```ts
 * // Python: from safetensors.torch import save_file; save_file(model.state_dict(), 'resnet50.safetensors')
 * import { resnet50, loadPyTorchWeights } from 'tfjs-resnet';
 * const model = resnet50({ init: 'zeros', classifierActivation: 'linear' });
 * const report = await loadPyTorchWeights(model, 'resnet50.safetensors');
 * console.log(report.loaded.length, report.ms); // 267 tensors
 * ```
 */
export async function loadPyTorchWeights(
  model: tf.LayersModel,
  source: PyTorchWeightsSource,
  options: LoadWeightsOptions = {},
): Promise<LoadReport> {
  const start = performance.now();
  const strict = options.strict ?? DEFAULT_LOAD_WEIGHTS_OPTIONS.strict;
  const entries = stateDictTargets(model, FN);
  const constants = new Set(entries.filter((e) => e.kind === 'constant').map((e) => e.key));
  const skip = new Set(options.skipKeys ?? []);
  const targets = entries.filter((e): e is ParamTarget => e.kind === 'param' && !skip.has(e.key)).map(pytorchLoadTarget);
  const src = await openSource(source, options);
  try {
    return assignWeights(FN, targets, src, {
      strict,
      isIgnored: (key) => constants.has(key) || skip.has(key) || IGNORED_LEAVES.has(key.slice(key.lastIndexOf('.') + 1)),
      onProgress: options.onProgress,
      start,
    });
  } finally {
    src.dispose();
  }
}
