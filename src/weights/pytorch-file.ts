/**
 * The layouts `torch.save` writes, told apart by their bytes (never by the
 * file name), read into one unpickled object whose tensors are
 * {@link TensorRef}s over the file's storages:
 * - zip (PyTorch ≥ 1.6): `<archive>/data.pkl`, storages in `<archive>/data/<key>`,
 *   an optional `<archive>/byteorder` record;
 * - legacy (before 1.6): five pickles in a row — magic number, protocol
 *   version, system info, the object, the storage keys — then each storage
 *   as an int64 element count and its raw bytes, both little-endian whatever
 *   machine wrote the file;
 * - tar (PyTorch before 0.4): members `storages` (a count, then per storage
 *   a `(key, location, storage_type)` pickle, an int64 element count and the
 *   raw bytes; then a list of `(view, root, offset, size)` views), `tensors` (a
 *   count, then per tensor a `(key, storage_key, tensor_type)` pickle, int32
 *   rank, 4 skipped bytes, int64 sizes, strides and storage offset), and
 *   `pickle`, the object, whose persistent ids are those keys.
 *
 * @module
 */
import { PyTorchFileError } from '../errors.js';
import { describePickled, unpickle, type PickleValue } from './pickle.js';
import { elementBytes, rebuildTensor, StorageRef, StorageRoot, storageDType, torchGlobals, type TensorRef } from './pytorch-tensors.js';
import { looksLikeZip, readZipEntries } from './zip-archive.js';

/**
 * The container format of a PyTorch weights file, as sniffed from its bytes:
 * `'zip'` (`torch.save` since PyTorch 1.6), `'legacy'` (before 1.6),
 * `'tar'` (before 0.4), or `'safetensors'`.
 *
 * @example
 * ```ts
 * const { format } = readPyTorchCheckpoint(bytes);
 * if (format === 'legacy') console.log('written by PyTorch < 1.6');
 * ```
 */
export type PyTorchFileFormat = 'zip' | 'legacy' | 'tar' | 'safetensors';

/** The legacy format's magic number, the first pickle of the file. */
const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL_VERSION = 1001;

/** What a `torch.save` file holds: its format and its unpickled object. @internal */
export interface TorchFile {
  format: 'zip' | 'legacy' | 'tar';
  object: PickleValue;
}

/** The format of `bytes`, or undefined when it is none of those this library reads. @internal */
export function sniffFormat(bytes: Uint8Array): PyTorchFileFormat | undefined {
  if (looksLikeZip(bytes)) return 'zip';
  if (bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') return 'tar';
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) return 'legacy';
  if (bytes.length >= 9 && bytes[8] === 0x7b /* { */) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(4, true) === 0 && view.getUint32(0, true) + 8 <= bytes.length) return 'safetensors';
  }
  return undefined;
}

const text = (v: PickleValue): string | undefined => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : undefined);

const fail = (message: string): never => {
  throw new PyTorchFileError(message);
};

/** Checks a persistent id `('storage', storage_type, key, location, numel, ...)` and returns its parts. */
function storageRecord(
  pid: PickleValue,
  arity: number[],
): { dtype: ReturnType<typeof storageDType> & string; key: string; numel: number; rest: PickleValue[] } {
  if (!Array.isArray(pid) || !arity.includes(pid.length)) {
    return fail(`a persistent id is not a ('storage', type, key, location, size) record: the file is not a torch.save checkpoint or is corrupt`);
  }
  const [kind, type, key, , numel, ...rest] = pid as PickleValue[];
  if (text(kind) !== 'storage') fail(`a persistent id of kind ${JSON.stringify(text(kind) ?? typeof kind)}; only 'storage' records are allowed`);
  const dtype = storageDType(type);
  if (dtype === undefined) fail('a storage record names no known storage class (FloatStorage, HalfStorage, ...)');
  const k = text(key);
  if (k === undefined) fail('a storage record has no key');
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0)
    fail(`storage "${k}" has size ${describePickled(numel)}; expected a non-negative integer`);
  return { dtype: dtype!, key: k!, numel: numel as number, rest };
}

/**
 * Reads a `torch.save` file of the zip or legacy format.
 * @throws {@link PyTorchFileError} for anything unsafe, truncated or inconsistent.
 * @internal
 */
export function readTorchFile(bytes: Uint8Array): TorchFile {
  const format = sniffFormat(bytes);
  if (format === 'zip') return { format, object: readZip(bytes) };
  if (format === 'legacy') return { format, object: readLegacy(bytes) };
  if (format === 'tar') return { format, object: readTar(bytes) };
  return fail(
    'the file is not a PyTorch checkpoint: expected a torch.save zip archive (PyTorch ≥ 1.6), ' +
      'a legacy torch.save file (starting with a pickle), a tar archive (PyTorch < 0.4), or safetensors',
  );
}

function readZip(bytes: Uint8Array): PickleValue {
  const entries = readZipEntries(bytes);
  if (entries.length === 0) fail('the zip archive is empty; a torch.save archive holds <name>/data.pkl');
  const first = entries[0].name;
  const prefix = first.includes('/') ? first.slice(0, first.indexOf('/') + 1) : '';
  const records = new Map<string, Uint8Array>();
  for (const e of entries) if (e.name.startsWith(prefix)) records.set(e.name.slice(prefix.length), e.data);
  const pkl = records.get('data.pkl');
  if (pkl === undefined) fail(`the zip archive has no ${prefix}data.pkl; it is not a torch.save checkpoint`);
  const order = records.get('byteorder');
  let littleEndian = true;
  if (order !== undefined) {
    const value = new TextDecoder().decode(order).trim();
    if (value !== 'little' && value !== 'big') fail(`the byteorder record says ${JSON.stringify(value.slice(0, 20))}; expected "little" or "big"`);
    littleEndian = value === 'little';
  }
  const roots = new Map<string, StorageRoot>();
  const persistentLoad = (pid: PickleValue): PickleValue => {
    const { dtype, key, numel } = storageRecord(pid, [5]);
    const id = `${key}\u0000${dtype}`;
    let root = roots.get(id);
    if (root === undefined) {
      const data = records.get(`data/${key}`);
      if (data === undefined) fail(`storage "${key}" is missing: the archive has no ${prefix}data/${key}`);
      const needed = numel * elementBytes(dtype);
      if (data!.length < needed)
        fail(`storage "${key}" declares ${numel} ${dtype} elements (${needed} bytes) but ${prefix}data/${key} holds ${data!.length} bytes`);
      root = new StorageRoot(key, dtype, numel, littleEndian);
      root.data = data!.subarray(0, needed);
      roots.set(id, root);
    }
    return new StorageRef(root, 0, root.numel);
  };
  return unpickle(pkl!, torchGlobals(persistentLoad, bytes.length), `${prefix}data.pkl`).value;
}

function readLegacy(bytes: Uint8Array): PickleValue {
  const plain = torchGlobals(() => fail('a persistent id outside the object pickle'), bytes.length);
  const magic = unpickle(bytes, plain, 'legacy header (magic number)');
  if (magic.value !== MAGIC_NUMBER) fail('the file starts with a pickle that is not the torch.save magic number: it is not a PyTorch checkpoint');
  const version = unpickle(bytes, plain, 'legacy header (protocol version)', magic.end);
  if (version.value !== LEGACY_PROTOCOL_VERSION) fail(`legacy protocol version ${describePickled(version.value)}; expected ${LEGACY_PROTOCOL_VERSION}`);
  // The system info says whether the writing machine was little-endian, but the storages (their
  // element counts and bytes) are little-endian whatever it was: PyTorch's writeFileRaw converts
  // them, and legacy_load ignores the system info.
  const sysInfo = unpickle(bytes, plain, 'legacy header (system info)', version.end);

  const roots = new Map<string, StorageRoot>();
  const views = new Map<string, StorageRef>();
  const persistentLoad = (pid: PickleValue): PickleValue => {
    const { dtype, key, numel, rest } = storageRecord(pid, [6]);
    const size = elementBytes(dtype);
    if (numel * size > bytes.length) fail(`storage "${key}" declares ${numel} ${dtype} elements, more bytes than the whole ${bytes.length}-byte file`);
    let root = roots.get(key);
    if (root === undefined) {
      root = new StorageRoot(key, dtype, numel, true);
      roots.set(key, root);
    } else if (root.dtype !== dtype || root.numel !== numel) {
      fail(`storage "${key}" is declared twice, as ${root.numel} ${root.dtype} and as ${numel} ${dtype} elements`);
    }
    const view = rest[0];
    if (view === null) return new StorageRef(root, 0, numel);
    if (!Array.isArray(view) || view.length !== 3) return fail(`storage "${key}" has view metadata that is not (key, offset, size)`);
    const [viewKey, offset, viewSize] = view as PickleValue[];
    const vk = text(viewKey) ?? fail(`storage "${key}": its view has no key`);
    if (!isCount(offset) || !isCount(viewSize) || offset + viewSize > numel) {
      fail(`storage "${key}": view "${vk}" [${describePickled(offset)}, +${describePickled(viewSize)}) lies outside its ${numel} elements`);
    }
    let ref = views.get(vk);
    if (ref === undefined) {
      ref = new StorageRef(root, offset as number, viewSize as number);
      views.set(vk, ref);
    }
    return ref;
  };
  const object = unpickle(bytes, torchGlobals(persistentLoad, bytes.length), 'legacy object pickle', sysInfo.end);
  const keyList = unpickle(bytes, plain, 'legacy storage keys', object.end);
  if (!Array.isArray(keyList.value)) fail('the legacy storage-key pickle is not a list');
  let at = keyList.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const item of keyList.value as PickleValue[]) {
    const key = text(item) ?? fail('a legacy storage key is not a string');
    const root = roots.get(key);
    if (root === undefined) fail(`storage "${key}" is listed but no tensor uses it`);
    if (root!.data !== undefined) fail(`storage "${key}" is listed twice`);
    if (at + 8 > bytes.length) fail(`truncated: storage "${key}" should start at byte ${at} but the file has ${bytes.length}`);
    const lo = view.getUint32(at, true);
    const hi = view.getUint32(at + 4, true);
    const count = hi * 4294967296 + lo;
    if (hi !== 0 && count !== root!.numel) fail(`storage "${key}" is stored with ${hi}·2^32+${lo} elements`);
    if (count !== root!.numel) fail(`storage "${key}" is stored with ${count} elements but declared with ${root!.numel}`);
    const length = count * elementBytes(root!.dtype);
    at += 8;
    if (at + length > bytes.length) {
      fail(`truncated: storage "${key}" needs bytes [${at}, ${at + length}) but the file has ${bytes.length}`);
    }
    root!.data = bytes.subarray(at, at + length);
    at += length;
  }
  for (const root of roots.values()) {
    if (root.data === undefined) fail(`storage "${root.key}" is used by a tensor but not stored in the file`);
  }
  return object.value;
}

const isCount = (v: PickleValue): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The members of a tar archive (ustar/PAX headers; extended headers skipped), as views of `bytes`. */
function tarMembers(bytes: Uint8Array): Map<string, Uint8Array> {
  const members = new Map<string, Uint8Array>();
  const field = (at: number, length: number): string => {
    const raw = bytes.subarray(at, at + length);
    const end = raw.indexOf(0);
    return new TextDecoder('latin1').decode(end < 0 ? raw : raw.subarray(0, end));
  };
  let at = 0;
  while (at + 512 <= bytes.length) {
    if (bytes.subarray(at, at + 512).every((b) => b === 0)) break; // end of archive
    const name = field(at, 100);
    const sizeText = field(at + 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeText)) fail(`tar archive: member "${name}" has size ${JSON.stringify(sizeText)}; expected an octal number`);
    const size = parseInt(sizeText, 8);
    const type = String.fromCharCode(bytes[at + 156]);
    const start = at + 512;
    if (start + size > bytes.length)
      fail(`tar archive: member "${name}" needs bytes [${start}, ${start + size}) but the file has ${bytes.length}: it is truncated`);
    if (type === '0' || type === '\0') members.set(name, bytes.subarray(start, start + size));
    at = start + Math.ceil(size / 512) * 512;
  }
  return members;
}

/** A non-negative safe integer read from a pickle, or the typed error. */
function count(v: PickleValue, what: string, limit: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > limit)
    fail(`tar archive: ${what} is ${describePickled(v)}; expected an integer from 0 to ${limit}`);
  return v as number;
}

function readTar(bytes: Uint8Array): PickleValue {
  const members = tarMembers(bytes);
  const member = (name: string): Uint8Array =>
    members.get(name) ?? fail(`tar archive: no "${name}" member; a torch.save tar file has storages, tensors and pickle`);
  const plain = torchGlobals(() => fail('tar archive: a persistent id outside the object pickle'), bytes.length, true);
  const objects = new Map<number, StorageRef | TensorRef>();

  // storages: count, then (key, location, type) + int64 count + bytes each, then the views.
  const storages = member('storages');
  const view = new DataView(storages.buffer, storages.byteOffset, storages.byteLength);
  let r = unpickle(storages, plain, 'tar storages');
  const n = count(r.value, 'the storage count', storages.length);
  let at = r.end;
  for (let i = 0; i < n; i++) {
    r = unpickle(storages, plain, 'tar storage record', at);
    const record = r.value;
    if (!Array.isArray(record) || record.length !== 3) fail('tar archive: a storage record is not (key, location, type)');
    const [key, , type] = record as PickleValue[];
    const k = count(key, 'a storage key', Number.MAX_SAFE_INTEGER);
    const dtype = storageDType(type) ?? fail(`tar archive: storage ${k} names no known storage class`);
    at = r.end;
    if (at + 8 > storages.length) fail(`tar archive: truncated: storage ${k} has no element count`);
    const numel = view.getUint32(at + 4, true) * 4294967296 + view.getUint32(at, true);
    const length = numel * elementBytes(dtype);
    at += 8;
    if (at + length > storages.length) fail(`tar archive: storage ${k} declares ${numel} ${dtype} elements, more than its member holds`);
    const root = new StorageRoot(String(k), dtype, numel, true);
    root.data = storages.subarray(at, at + length);
    objects.set(k, new StorageRef(root, 0, numel));
    at += length;
  }
  r = unpickle(storages, plain, 'tar storage views', at);
  if (!Array.isArray(r.value)) fail('tar archive: the storage views are not a list');
  for (const v of r.value as PickleValue[]) {
    if (!Array.isArray(v) || v.length !== 4) fail('tar archive: a storage view is not (view, root, offset, size)');
    const [target, rootKey, offset, size] = (v as PickleValue[]).map((x) => count(x, 'a storage view field', Number.MAX_SAFE_INTEGER));
    const root = objects.get(rootKey);
    if (!(root instanceof StorageRef)) return fail(`tar archive: storage view ${target} of unknown storage ${rootKey}`);
    if (offset + size > root.numel) fail(`tar archive: storage view ${target} [${offset}, +${size}) lies outside its ${root.numel} elements`);
    objects.set(target, new StorageRef(root.root, root.offset + offset, size));
  }

  // tensors: count, then (key, storage key, type) + rank, sizes, strides, offset each.
  const tensors = member('tensors');
  const tv = new DataView(tensors.buffer, tensors.byteOffset, tensors.byteLength);
  r = unpickle(tensors, plain, 'tar tensors');
  const m = count(r.value, 'the tensor count', tensors.length);
  at = r.end;
  for (let i = 0; i < m; i++) {
    r = unpickle(tensors, plain, 'tar tensor record', at);
    const record = r.value;
    if (!Array.isArray(record) || record.length !== 3) fail('tar archive: a tensor record is not (key, storage, type)');
    const [key, storageKey] = (record as PickleValue[]).map((x, j) => (j < 2 ? count(x, 'a tensor record key', Number.MAX_SAFE_INTEGER) : 0));
    const storage = objects.get(storageKey);
    if (!(storage instanceof StorageRef)) return fail(`tar archive: tensor ${key} uses unknown storage ${storageKey}`);
    at = r.end;
    if (at + 8 > tensors.length) fail(`tar archive: truncated: tensor ${key} has no rank`);
    const rank = tv.getInt32(at, true);
    if (rank < 0 || rank > 64 || at + 8 + 16 * rank + 8 > tensors.length) fail(`tar archive: tensor ${key} has rank ${rank} or is truncated`);
    const int64 = (p: number): number => {
      const hi = tv.getInt32(p + 4, true);
      if (hi < 0 || hi >= 0x200000) fail(`tar archive: tensor ${key} has a size, stride or offset beyond 2^53 or negative`);
      return hi * 4294967296 + tv.getUint32(p, true);
    };
    const shape = Array.from({ length: rank }, (_, d) => int64(at + 8 + 8 * d));
    const stride = Array.from({ length: rank }, (_, d) => int64(at + 8 + 8 * rank + 8 * d));
    const offset = int64(at + 8 + 16 * rank);
    objects.set(key, rebuildTensor([storage, offset, shape, stride], `tar tensor ${key}`, bytes.length));
    at += 8 + 16 * rank + 8;
  }

  // pickle: the object; a persistent id is the decimal key of a tensor or storage.
  const persistentLoad = (pid: PickleValue): PickleValue => {
    const key = typeof pid === 'string' && /^\d{1,15}$/.test(pid) ? Number(pid) : fail('tar archive: a persistent id that is not a tensor or storage key');
    return objects.get(key) ?? fail(`tar archive: the pickle refers to ${key}, which is neither a tensor nor a storage of the file`);
  };
  return unpickle(member('pickle'), torchGlobals(persistentLoad, bytes.length), 'tar pickle').value;
}
