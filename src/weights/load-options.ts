import type { FetchBytesOptions } from '../io/fetch-bytes.js';
import type { PyTorchCheckpointInfo } from './checkpoint-info.js';

/**
 * Progress of a weight load, in bytes: first `'fetch'` (reading the file or
 * URL; `total` is `undefined` when the size is not announced), then
 * `'assign'` (writing converted weights into the model, after each tensor).
 *
 * @example
 * ```ts
 * const onProgress = (p: WeightsProgress) =>
 *   console.log(`${p.phase} ${p.loaded} / ${p.total ?? '?'} bytes`);
 * await loadPyTorchWeights(model, url, { onProgress });
 * ```
 */
export interface WeightsProgress {
  /** `'fetch'` while reading the source, `'assign'` while writing weights into the model. */
  phase: 'fetch' | 'assign';
  /** Bytes done in this phase. */
  loaded: number;
  /** Bytes of the phase in all, when known. */
  total: number | undefined;
}

/**
 * Options of {@link loadPyTorchWeights} and {@link loadKerasWeights}. The
 * fetch options (`signal`, `timeoutMs`, `sha256`, `maxBytes`, `headers`) apply
 * when the source is a path or URL, as in {@link fetchBytes}.
 *
 * @example
 * ```ts
 * const options: LoadWeightsOptions = { strict: false, timeoutMs: 300_000, onProgress: (p) => console.log(p) };
 * ```
 */
export interface LoadWeightsOptions extends Omit<FetchBytesOptions, 'onProgress'> {
  /**
   * Require the keys of the weights and of the model to be the same: missing
   * or unexpected keys throw a `WeightsError`. When `false` the matching keys
   * are loaded, the rest are listed in the report and the model keeps its
   * other weights. Shape mismatches throw either way.
   * @defaultValue true
   */
  strict?: boolean;
  /** Called as bytes are read and as weights are assigned, see {@link WeightsProgress}. */
  onProgress?: (progress: WeightsProgress) => void;
  /**
   * State-dict keys to leave alone ({@link loadPyTorchWeights}): the model's
   * weights of these keys keep their values and the source's entries are
   * reported as ignored — e.g. `['fc.weight', 'fc.bias']` to load a backbone
   * under a classifier of another size.
   * @defaultValue none
   */
  skipKeys?: readonly string[];
}

/**
 * Defaults of {@link LoadWeightsOptions}, stated once.
 *
 * @example
 * ```ts
 * const strict = options.strict ?? DEFAULT_LOAD_WEIGHTS_OPTIONS.strict; // true
 * ```
 */
export const DEFAULT_LOAD_WEIGHTS_OPTIONS = {
  /** Default of {@link LoadWeightsOptions.strict}: missing or unexpected keys throw. */
  strict: true,
} as const satisfies LoadWeightsOptions;

/**
 * What a weight load did.
 *
 * @example
 * ```ts
 * const report = await loadPyTorchWeights(model, 'resnet50.safetensors', { strict: false });
 * console.log(`${report.loaded.length} tensors, ${report.bytes} bytes in ${report.ms.toFixed(0)} ms`);
 * if (report.missing.length > 0) console.warn('not in the file:', report.missing);
 * ```
 */
export interface LoadReport {
  /** Keys of the source loaded into the model, in the model's order. */
  loaded: string[];
  /** Keys the model has and the source lacks (their weights are unchanged; non-strict loads only). */
  missing: string[];
  /** Keys of the source the model has no place for (non-strict loads only). */
  unexpected: string[];
  /** Keys of the source skipped on purpose, such as PyTorch's `num_batches_tracked`. */
  ignored: string[];
  /** Bytes of weights written into the model (4 per float32 element). */
  bytes: number;
  /** Milliseconds the load took, fetching included. */
  ms: number;
  /**
   * For a file read by {@link loadPyTorchWeights}: its format, the checkpoint
   * entry the weights came from and the key prefixes stripped (see
   * {@link PyTorchCheckpointInfo}).
   */
  checkpoint?: PyTorchCheckpointInfo;
}
