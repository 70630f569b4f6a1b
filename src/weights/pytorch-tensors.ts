/**
 * Tensors of `torch.save` files: the allow-listed globals that rebuild them
 * (storage classes, `torch._utils._rebuild_tensor[_v2]`, `_rebuild_parameter`,
 * `torch.nn.Parameter`, `torch.Size`, `torch.device`), the storages their
 * persistent ids name, and the strided copy that turns a view of a storage
 * into a contiguous, row-major tensor.
 *
 * @module
 */
import { PyTorchFileError } from '../errors.js';
import { DTYPE_BYTES, type SafetensorsDType } from './dtypes.js';
import { describePickled, PickleGlobal, type PickleGlobals, type PickleTuple, type PickleValue } from './pickle.js';
import { decodeTensorBytes, type DecodedData } from './tensor-bytes.js';

/**
 * The element types of PyTorch tensors this library reads, spelled as
 * PyTorch prints them (`torch.float32` → `'float32'`).
 *
 * @example
 * ```ts
 * import { PYTORCH_DTYPES } from 'tfjs-resnet';
 * console.log(PYTORCH_DTYPES.join(', ')); // "float32, float16, bfloat16, float64, int64, int32, int16, int8, uint8, bool"
 * ```
 */
export const PYTORCH_DTYPES = ['float32', 'float16', 'bfloat16', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'] as const;

/**
 * A PyTorch element type, see {@link PYTORCH_DTYPES}.
 *
 * @example
 * ```ts
 * const dtype: PyTorchDType = 'bfloat16';
 * ```
 */
export type PyTorchDType = (typeof PYTORCH_DTYPES)[number];

/** The safetensors spelling of each PyTorch dtype (the element codecs are shared). @internal */
export const SAFETENSORS_OF: Readonly<Record<PyTorchDType, SafetensorsDType>> = Object.freeze({
  float32: 'F32',
  float16: 'F16',
  bfloat16: 'BF16',
  float64: 'F64',
  int64: 'I64',
  int32: 'I32',
  int16: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
});

/** PyTorch's legacy storage classes (`torch.FloatStorage`, ...) and their dtypes. */
const STORAGE_CLASSES: Readonly<Record<string, PyTorchDType>> = Object.freeze({
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
});

/** Bytes per element. @internal */
export function elementBytes(dtype: PyTorchDType): number {
  return DTYPE_BYTES[SAFETENSORS_OF[dtype]];
}

/**
 * The bytes of one storage as the file holds them. `data` is set once the
 * file's layout gives it (at once for zip archives, after the pickle for the
 * legacy format).
 * @internal
 */
export class StorageRoot {
  data: Uint8Array | undefined;
  constructor(
    readonly key: string,
    readonly dtype: PyTorchDType,
    /** Elements, as the persistent id declares them. */
    readonly numel: number,
    readonly littleEndian: boolean,
  ) {}
}

/** A storage as the pickle sees it: a root storage or a legacy view of one (`offset` and `numel` in elements). @internal */
export class StorageRef {
  constructor(
    readonly root: StorageRoot,
    readonly offset: number,
    readonly numel: number,
  ) {}
}

/** A tensor rebuilt by the pickle: a strided view of a storage, not yet read. @internal */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
  get dtype(): PyTorchDType {
    return this.storage.root.dtype;
  }
}

const fail = (message: string): never => {
  throw new PyTorchFileError(message);
};

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function indexList(value: PickleValue, what: string): number[] {
  if (!Array.isArray(value) || !value.every(isIndex)) fail(`${what} is not a tuple of non-negative integers`);
  return (value as number[]).slice();
}

/**
 * Checks a tensor's geometry against its storage: every element it reaches
 * lies inside the storage, and its byte size is at most `limit` (the file's
 * size: only a broadcast view with zero strides could be larger, and reading
 * one must not allocate more than the file holds).
 * @internal
 */
export function rebuildTensor(args: PickleTuple, fn: string, limit: number): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) fail(`${fn}: its first argument is not a storage`);
  const s = storage as StorageRef;
  if (!isIndex(offset)) fail(`${fn}: storage offset ${describePickled(offset)} is not a non-negative integer`);
  const shape = indexList(size, `${fn}: size`);
  const strides = indexList(stride, `${fn}: stride`);
  if (shape.length !== strides.length) fail(`${fn}: size has ${shape.length} dimensions, stride ${strides.length}`);
  let count = 1;
  let last = offset as number;
  for (let i = 0; i < shape.length; i++) {
    count *= shape[i];
    last += Math.max(0, shape[i] - 1) * strides[i];
  }
  const bytes = count * elementBytes(s.root.dtype);
  if (!(bytes <= limit)) {
    fail(`${fn}: a tensor of size [${shape.join(', ')}] needs ${bytes} bytes, more than the whole ${limit}-byte file`);
  }
  if (count > 0 && (!Number.isSafeInteger(last) || last >= s.numel)) {
    fail(
      `${fn}: a tensor of size [${shape.join(', ')}], stride [${strides.join(', ')}] at offset ${String(offset)} ` +
        `reaches element ${last} of a ${s.numel}-element storage`,
    );
  }
  return new TensorRef(s, offset as number, shape, strides);
}

/** Whether `module.name` is a torch.nn module class, as a pickled whole model references. */
function isModuleClass(module: string): boolean {
  return module === 'torch.nn' || module.startsWith('torch.nn.modules') || (module.startsWith('torch.nn.') && !module.startsWith('torch.nn.parameter'));
}

/** The refusal of a global outside the allow-list. @internal */
export function refuseGlobal(module: string, name: string): never {
  const full = `${module}.${name}`;
  if (isModuleClass(module)) {
    return fail(
      `the checkpoint holds a pickled nn.Module (${full}), i.e. a whole model saved with torch.save(model); ` +
        'only weights can be read safely: in Python, load it and save model.state_dict() instead ' +
        '(torch.save(model.state_dict(), "weights.pth"))',
    );
  }
  return fail(
    `the checkpoint references the global ${full}, which is not allowed: only plain data, OrderedDict and ` +
      'PyTorch tensor/storage rebuild functions are, so that reading a file never runs code. ' +
      'If the file is a whole model or holds objects of your own classes, save model.state_dict() instead',
  );
}

/** Whether `x` is a tensor built by these globals. @internal */
export const isTensorRef = (x: unknown): x is TensorRef => x instanceof TensorRef;

/**
 * The allow-list of `torch.save` files: storage classes (for persistent ids),
 * tensor and parameter rebuild functions, `torch.Size`, `torch.device`.
 * @internal
 */
export function torchGlobals(persistentLoad: (pid: PickleValue) => PickleValue, fileBytes: number, tensorTypes = false): PickleGlobals {
  const calls = allowedCalls(fileBytes);
  return {
    global(module, name) {
      const full = `${module}.${name}`;
      // Object.hasOwn: names of Object.prototype (constructor, __proto__, ...) are no storage classes.
      if (module === 'torch' && Object.hasOwn(STORAGE_CLASSES, name)) return new PickleGlobal(module, name);
      // The tar layout names each tensor's type (torch.FloatTensor, ...) as plain data.
      if (tensorTypes && module === 'torch' && Object.hasOwn(STORAGE_CLASSES, name.replace(/Tensor$/, 'Storage'))) return new PickleGlobal(module, name);
      if (calls.has(full)) return new PickleGlobal(module, name);
      return refuseGlobal(module, name);
    },
    call(fn, args, opcode) {
      const full = fn.fullName;
      const impl = calls.get(full);
      if (impl === undefined) return fail(`${opcode} of ${full}: storage and tensor types are names here, never called`);
      return impl(args, full);
    },
    build(target, state) {
      // _rebuild_parameter_with_state and Parameter.__setstate__: Python attributes of a tensor, no weights.
      if (target instanceof TensorRef) return state === null || state instanceof Map || Array.isArray(state);
      return false;
    },
    persistentLoad,
  };
}

type Impl = (args: PickleTuple, name: string) => PickleValue;

const parameter: Impl = (args, name) => {
  if (!(args[0] instanceof TensorRef)) fail(`${name}: its first argument is not a tensor`);
  return args[0];
};

/** The callable globals of the allow-list, by `module.name`. */
const allowedCalls = (fileBytes: number): ReadonlyMap<string, Impl> =>
  new Map<string, Impl>([
    ['torch._utils._rebuild_tensor', (args, name) => rebuildTensor(args, name, fileBytes)],
    ['torch._utils._rebuild_tensor_v2', (args, name) => rebuildTensor(args, name, fileBytes)],
    ['torch._utils._rebuild_parameter', parameter],
    ['torch._utils._rebuild_parameter_with_state', parameter],
    ['torch.nn.parameter.Parameter', (args, name) => (args.length === 0 ? fail(`${name}() without data`) : parameter(args, name))],
    ['torch.Size', (args) => (Array.isArray(args[0]) ? Object.freeze(indexList(args[0], 'torch.Size')) : fail('torch.Size needs a tuple'))],
    ['torch.device', (args) => (typeof args[0] === 'string' ? args[0] : fail('torch.device needs a string'))],
  ]);

/**
 * Reads a tensor's elements: the strided view of its storage copied into
 * row-major order, byte-swapped from a big-endian file, then decoded as the
 * safetensors reader decodes (float16/bfloat16 to float32 exactly, integers to
 * int32, int64 to int32 or float64, bool to 0/1) — except float64, kept as
 * float64 so that no value changes.
 * @internal
 */
export function materialise(t: TensorRef, name: string): DecodedData {
  const root = t.storage.root;
  if (root.data === undefined) fail(`tensor "${name}": its storage "${root.key}" is missing from the file`);
  const size = elementBytes(root.dtype);
  let count = 1;
  for (const d of t.shape) count *= d;
  const base = t.storage.offset + t.offset;
  const data = root.data!;
  let bytes: Uint8Array;
  if (count === 0) {
    bytes = new Uint8Array(0);
  } else if (isContiguous(t.shape, t.stride)) {
    bytes = data.subarray(base * size, (base + count) * size);
  } else {
    bytes = gather(data, { base, shape: t.shape, stride: t.stride, size, count });
  }
  if (!root.littleEndian && size > 1) {
    const swapped = bytes.slice();
    for (let i = 0; i < swapped.length; i += size) swapped.subarray(i, i + size).reverse();
    bytes = swapped;
  }
  return decodeTensorBytes(SAFETENSORS_OF[root.dtype], bytes, name, true);
}

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/** Copies a strided view into row-major order, element by element. */
function gather(
  data: Uint8Array,
  { base, shape, stride, size, count }: { base: number; shape: readonly number[]; stride: readonly number[]; size: number; count: number },
): Uint8Array {
  const out = new Uint8Array(count * size);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = base;
  for (let n = 0; n < count; n++) {
    out.set(data.subarray(src * size, src * size + size), n * size);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      src += stride[d];
      if (index[d] < shape[d]) break;
      src -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

/** The dtype of a storage class global (`torch.FloatStorage` → `'float32'`), or undefined. @internal */
export function storageDType(value: PickleValue): PyTorchDType | undefined {
  return value instanceof PickleGlobal && value.module === 'torch' && Object.hasOwn(STORAGE_CLASSES, value.name) ? STORAGE_CLASSES[value.name] : undefined;
}
