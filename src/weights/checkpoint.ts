/**
 * PyTorch checkpoints as timm's `load_state_dict` reads them: the state dict
 * nested under `state_dict_ema`/`model_ema` (with EMA), `state_dict` or
 * `model`, its keys cleaned of the `module.` (DataParallel/DDP) and
 * `_orig_mod.` (`torch.compile`) prefixes.
 *
 * @module
 */
import { PyTorchFileError, SafetensorsError } from '../errors.js';
import { listKeys } from './assign-weights.js';
import { describePickled, type PickleValue } from './pickle.js';
import type { PyTorchCheckpointInfo } from './checkpoint-info.js';
import { readTorchFile, sniffFormat } from './pytorch-file.js';
import { elementBytes, isTensorRef, materialise, PYTORCH_DTYPES, SAFETENSORS_OF, type PyTorchDType, type TensorRef } from './pytorch-tensors.js';
import { openSafetensors } from './safetensors.js';
import type { DecodedData } from './tensor-bytes.js';

/**
 * How {@link readPyTorchCheckpoint} and {@link loadPyTorchWeights} find the
 * weights inside a checkpoint.
 *
 * @example
 * ```ts
 * const options: PyTorchCheckpointOptions = { checkpointKey: 'model', useEma: false };
 * ```
 */
export interface PyTorchCheckpointOptions {
  /**
   * Where the state dict is: `'auto'` follows timm's `load_state_dict` — when
   * the file holds a dict, its `state_dict_ema` or `model_ema` entry (with
   * `useEma`, when not None), else `state_dict`, else `model`, else the dict
   * itself. Any other string names the top-level entry to use; `''` uses the
   * file's object itself.
   * @defaultValue `'auto'`
   */
  checkpointKey?: string;
  /**
   * With `checkpointKey: 'auto'`, prefer the EMA weights (`state_dict_ema`,
   * then `model_ema`) when the checkpoint has them, as timm does by default.
   * @defaultValue true
   */
  useEma?: boolean;
}

/**
 * Defaults of {@link PyTorchCheckpointOptions}, stated once.
 *
 * @example
 * ```ts
 * console.log(DEFAULT_CHECKPOINT_OPTIONS.checkpointKey); // "auto"
 * ```
 */
export const DEFAULT_CHECKPOINT_OPTIONS = {
  /** Default of {@link PyTorchCheckpointOptions.checkpointKey}: timm's rule. */
  checkpointKey: 'auto',
  /** Default of {@link PyTorchCheckpointOptions.useEma}: EMA weights first, as timm. */
  useEma: true,
} as const satisfies Required<PyTorchCheckpointOptions>;

/** The entries `checkpointKey: 'auto'` looks for, in timm's order. */
const EMA_KEYS = ['state_dict_ema', 'model_ema'] as const;
const PLAIN_KEYS = ['state_dict', 'model'] as const;

/**
 * The tensors of a checkpoint may span together at most this many times the
 * file's bytes. Tensors that share a storage (tied weights, views) are each
 * read into their own array, so a small file naming one storage many times
 * would otherwise allocate without bound; a real state dict spans about 1×.
 */
const MAX_TENSOR_BYTES_PER_FILE_BYTE = 8;

/** Key prefixes removed from every key, in this order (timm's `clean_state_dict`). */
const STRIPPED_PREFIXES = ['module.', '_orig_mod.'] as const;

/**
 * One tensor of a checkpoint, row-major. `data` is:
 * - `float32`, `float16`, `bfloat16` → `Float32Array` (exact);
 * - `float64` → `Float64Array` (exact);
 * - `int32`, `int16`, `int8`, `uint8` → `Int32Array`;
 * - `int64` → `Int32Array` when every value fits, otherwise `Float64Array` (exact up to 2^53);
 * - `bool` → `Uint8Array` of 0/1.
 *
 * @example
 * ```ts
 * const t: PyTorchTensor = readPyTorchCheckpoint(bytes).tensors['fc.weight'];
 * console.log(t.dtype, t.shape, t.data.length);
 * ```
 */
export interface PyTorchTensor {
  /** The tensor's element type in the file. */
  dtype: PyTorchDType;
  /** Its shape (`[]` for a 0-dim tensor). */
  shape: number[];
  /** Its elements, row-major (views and transposes are materialised). */
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

/**
 * A checkpoint read by {@link readPyTorchCheckpoint}.
 *
 * @example
 * ```ts
 * const checkpoint: PyTorchCheckpoint = readPyTorchCheckpoint(readFileSync('resnet20.th'));
 * for (const [key, t] of Object.entries(checkpoint.tensors)) console.log(key, t.dtype, t.shape);
 * ```
 */
export interface PyTorchCheckpoint extends PyTorchCheckpointInfo {
  /** The tensors by cleaned key, in the file's order (a null-prototype record). */
  tensors: Record<string, PyTorchTensor>;
}

/** A checkpoint whose tensors are read one at a time, on demand. @internal */
export interface LazyCheckpoint extends PyTorchCheckpointInfo {
  readonly entries: Readonly<Record<string, { readonly dtype: PyTorchDType; readonly shape: number[] }>>;
  decode(name: string): { shape: number[]; data: DecodedData };
}

const fail = (message: string): never => {
  throw new PyTorchFileError(message);
};

const describeKeys = (d: Map<PickleValue, PickleValue>): string =>
  d.size === 0 ? 'none' : listKeys([...d.keys()].map((k) => (typeof k === 'string' ? k : describePickled(k))));

/** timm's choice of the state dict inside a checkpoint object. */
function pick(object: PickleValue, checkpointKey: string, useEma: boolean): { dict: PickleValue; picked: string | undefined } {
  if (checkpointKey === '') return { dict: object, picked: undefined };
  if (!(object instanceof Map)) {
    if (checkpointKey !== 'auto') fail(`checkpointKey "${checkpointKey}": the checkpoint is not a dict, so it has no entries`);
    return { dict: object, picked: undefined };
  }
  if (checkpointKey !== 'auto') {
    if (!object.has(checkpointKey)) fail(`checkpointKey "${checkpointKey}" is not in the checkpoint; its keys are ${describeKeys(object)}`);
    return { dict: object.get(checkpointKey)!, picked: checkpointKey };
  }
  if (useEma) {
    for (const key of EMA_KEYS) {
      if (object.get(key) !== undefined && object.get(key) !== null) return { dict: object.get(key)!, picked: key };
    }
  }
  for (const key of PLAIN_KEYS) if (object.has(key)) return { dict: object.get(key)!, picked: key };
  return { dict: object, picked: undefined };
}

/** Each key with timm's prefixes removed, and which prefixes were. */
function clean(key: string, stripped: Set<string>): string {
  for (const prefix of STRIPPED_PREFIXES) {
    if (key.startsWith(prefix)) {
      key = key.slice(prefix.length);
      stripped.add(prefix);
    }
  }
  return key;
}

function openTorch(format: 'zip' | 'legacy' | 'tar', object: PickleValue, options: PyTorchCheckpointOptions, fileBytes: number): LazyCheckpoint {
  const checkpointKey = options.checkpointKey ?? DEFAULT_CHECKPOINT_OPTIONS.checkpointKey;
  const useEma = options.useEma ?? DEFAULT_CHECKPOINT_OPTIONS.useEma;
  if (typeof checkpointKey !== 'string') fail(`checkpointKey must be a string ('auto', '' or an entry name), got ${typeof checkpointKey}`);
  if (typeof useEma !== 'boolean') fail(`useEma must be true or false, got ${typeof useEma}`);
  const { dict, picked } = pick(object, checkpointKey, useEma);
  const where = picked === undefined ? 'the checkpoint' : `the checkpoint's "${picked}"`;
  if (isTensorRef(dict)) fail(`${where} is a single tensor, not a state dict of named tensors`);
  if (!(dict instanceof Map)) fail(`${where} is not a dict of tensors; save model.state_dict()`);
  const refs = new Map<string, TensorRef>();
  const stripped = new Set<string>();
  const skipped: string[] = [];
  for (const [rawKey, value] of dict as Map<PickleValue, PickleValue>) {
    if (typeof rawKey !== 'string') fail(`${where} has a key that is not a string (${typeof rawKey})`);
    if (!isTensorRef(value)) {
      skipped.push(rawKey as string);
      continue;
    }
    const key = clean(rawKey as string, stripped);
    if (refs.has(key)) fail(`${where} has two tensors named "${key}" once the prefixes ${[...stripped].join(', ')} are stripped`);
    refs.set(key, value);
  }
  if (refs.size === 0) {
    const hint = dict instanceof Map ? ` (its keys: ${describeKeys(dict)})` : '';
    fail(`${where} holds no tensors${hint}; pass checkpointKey to name the entry that holds the state dict`);
  }
  let spanned = 0;
  for (const t of refs.values()) spanned += t.shape.reduce((a, d) => a * d, 1) * elementBytes(t.dtype);
  if (spanned > MAX_TENSOR_BYTES_PER_FILE_BYTE * fileBytes) {
    fail(
      `${where}'s ${refs.size} tensors span ${spanned} bytes, more than ${MAX_TENSOR_BYTES_PER_FILE_BYTE}× the ${fileBytes}-byte file: ` +
        'they name the same storage over and over, which no state dict does',
    );
  }
  const entries: Record<string, { dtype: PyTorchDType; shape: number[] }> = Object.create(null);
  for (const [key, t] of refs) entries[key] = { dtype: t.dtype, shape: t.shape.slice() };
  return {
    format,
    picked,
    stripped: [...stripped],
    skipped,
    entries,
    decode(name) {
      const t = refs.get(name);
      if (t === undefined) return fail(`no tensor named "${name}" in the checkpoint`);
      try {
        return { shape: t.shape.slice(), data: materialise(t, name) };
      } catch (e) {
        if (e instanceof SafetensorsError) throw new PyTorchFileError(e.message);
        throw e;
      }
    },
  };
}

const PYTORCH_OF_SAFETENSORS = Object.fromEntries(PYTORCH_DTYPES.map((d) => [SAFETENSORS_OF[d], d])) as Record<string, PyTorchDType>;

function openSafetensorsCheckpoint(bytes: Uint8Array): LazyCheckpoint {
  const file = openSafetensors(bytes);
  const stripped = new Set<string>();
  const names = new Map<string, string>();
  const entries: Record<string, { dtype: PyTorchDType; shape: number[] }> = Object.create(null);
  for (const [name, e] of Object.entries(file.entries)) {
    const key = clean(name, stripped);
    if (names.has(key)) fail(`safetensors file: two tensors are named "${key}" once the prefixes ${[...stripped].join(', ')} are stripped`);
    names.set(key, name);
    entries[key] = { dtype: PYTORCH_OF_SAFETENSORS[e.dtype], shape: e.shape };
  }
  return {
    format: 'safetensors',
    picked: undefined,
    stripped: [...stripped],
    skipped: [],
    entries,
    decode(name) {
      const original = names.get(name);
      if (original === undefined) return fail(`no tensor named "${name}" in the file`);
      return file.decode(original, true);
    },
  };
}

/**
 * Opens a checkpoint of any format this library reads, without reading its
 * tensors yet. @internal
 */
export function openCheckpoint(bytes: Uint8Array, options: PyTorchCheckpointOptions = {}): LazyCheckpoint {
  const sniffed = sniffFormat(bytes);
  if (sniffed === 'safetensors') return openSafetensorsCheckpoint(bytes);
  if (sniffed === undefined) {
    // Neither layout of torch.save: say what is wrong with it read as safetensors (e.g. truncated).
    try {
      return openSafetensorsCheckpoint(bytes);
    } catch (e) {
      if (!(e instanceof SafetensorsError)) throw e;
      throw new SafetensorsError(
        'the file is neither a PyTorch checkpoint (a torch.save zip archive, legacy file or tar archive, each starting with ' +
          `its magic bytes) nor a valid safetensors file: ${e.message}`,
      );
    }
  }
  const { format, object } = readTorchFile(bytes);
  return openTorch(format, object, options, bytes.length);
}

/**
 * Reads a PyTorch checkpoint — a `torch.save` file (`.pth`, `.pt`, `.th`;
 * zip format of PyTorch ≥ 1.6, the legacy format before it, or the tar
 * layout before 0.4) or a
 * safetensors file, told apart by the bytes — safely: its pickle is read by a
 * restricted unpickler that builds only plain data and tensors, and refuses
 * every other global (`os.system`, a pickled `nn.Module` class, ...) without
 * running anything.
 *
 * The state dict is found as timm's `load_state_dict` finds it (see
 * {@link PyTorchCheckpointOptions}) and its keys lose the `module.` and
 * `_orig_mod.` prefixes; entries that are not tensors are listed in
 * `skipped`. Tensors of every dtype in {@link PYTORCH_DTYPES} are read exactly,
 * views, transposes, storage offsets and 0-dim or empty tensors included.
 *
 * @param bytes - the whole file (`Uint8Array`, Node `Buffer` or `ArrayBuffer`).
 * @param options - which entry holds the weights ({@link PyTorchCheckpointOptions}).
 * @returns the tensors by cleaned key, with the format and what was picked and stripped.
 * @throws {@link PyTorchFileError} for a refused global, a truncated or
 *   inconsistent torch.save file, a compressed zip entry;
 *   {@link SafetensorsError} for a malformed safetensors file or one of no known format.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readPyTorchCheckpoint } from 'tfjs-resnet';
 * const checkpoint = readPyTorchCheckpoint(readFileSync('resnet20-12fca82f.th'));
 * console.log(checkpoint.format, checkpoint.picked, checkpoint.stripped); // "legacy" "state_dict" ["module."]
 * console.log(checkpoint.tensors['conv1.weight'].shape); // [16, 3, 3, 3]
 * ```
 */
export function readPyTorchCheckpoint(bytes: Uint8Array | ArrayBuffer, options: PyTorchCheckpointOptions = {}): PyTorchCheckpoint {
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(u8 instanceof Uint8Array)) fail(`readPyTorchCheckpoint needs the file's bytes (Uint8Array or ArrayBuffer)`);
  const lazy = openCheckpoint(u8, options);
  const tensors: Record<string, PyTorchTensor> = Object.create(null);
  for (const [key, { dtype }] of Object.entries(lazy.entries)) {
    const { shape, data } = lazy.decode(key);
    tensors[key] = { dtype, shape, data };
  }
  return { format: lazy.format, picked: lazy.picked, stripped: lazy.stripped, skipped: lazy.skipped, tensors };
}
