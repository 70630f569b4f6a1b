// A small writer of torch.save files (zip and legacy formats, pickle protocol
// 2) for tests and benchmarks: it lays files out as PyTorch 1.13 does, so the
// reader can be checked on what the real fixtures do not cover (EMA entries,
// _orig_mod. prefixes, big-endian archives, ZIP64, ResNet-50-sized files).
// The reader itself is checked against files written by real PyTorch
// (test/fixtures/pth); this writer is never used by the library.
import { crc32 } from 'node:zlib';
import { SAFETENSORS_OF, elementBytes, type PyTorchDType } from '../../src/weights/pytorch-tensors.js';
import { encodeTensorBytes } from '../../src/weights/tensor-bytes.js';

/** A tensor to write: row-major elements of a contiguous tensor. */
export interface SaveTensor {
  dtype: PyTorchDType;
  shape: readonly number[];
  data: ArrayLike<number>;
}

/** A value to pickle: plain data, tensors, dicts (written as OrderedDicts when `ordered`). */
export type SaveValue = null | boolean | number | string | SaveTensor | SaveValue[] | { [key: string]: SaveValue } | Map<string, SaveValue>;

const isTensor = (v: SaveValue): v is SaveTensor =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'dtype' in v && 'shape' in v && 'data' in v;

const STORAGE_CLASS: Record<PyTorchDType, string> = {
  float32: 'FloatStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  float64: 'DoubleStorage',
  int64: 'LongStorage',
  int32: 'IntStorage',
  int16: 'ShortStorage',
  int8: 'CharStorage',
  uint8: 'ByteStorage',
  bool: 'BoolStorage',
};

class Bytes {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(...parts: (number | Uint8Array)[]): void {
    for (const p of parts) {
      const chunk = typeof p === 'number' ? Uint8Array.of(p) : p;
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.push(b);
  }
  u16(v: number): void {
    this.push(v & 0xff, v >>> 8);
  }
  u64(v: number): void {
    this.u32(v % 4294967296);
    this.u32(Math.floor(v / 4294967296));
  }
  ascii(s: string): void {
    this.push(new TextEncoder().encode(s));
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

interface Storage {
  key: string;
  tensor: SaveTensor;
  bytes: Uint8Array;
}

/** The strides of a contiguous row-major tensor. */
function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/** Pickles `value` (protocol 2); tensors become `_rebuild_tensor_v2` calls on persistent storages. */
function pickle(value: SaveValue, format: 'zip' | 'legacy' | 'tar', storages: Storage[], bigEndian: boolean): Uint8Array {
  const legacy = format === 'legacy';
  const out = new Bytes();
  out.push(0x80, 2);
  const str = (s: string): void => {
    const b = new TextEncoder().encode(s);
    out.push(0x58);
    out.u32(b.length);
    out.push(b);
  };
  const int = (n: number): void => {
    if (Number.isInteger(n) && n >= -2147483648 && n <= 2147483647) {
      out.push(0x4a);
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, n, true);
      out.push(b);
    } else if (Number.isSafeInteger(n)) {
      out.push(0x8a, 8);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, BigInt(n), true);
      out.push(b);
    } else {
      out.push(0x47);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, n, false);
      out.push(b);
    }
  };
  const global = (module: string, name: string): void => out.ascii(`c${module}\n${name}\n`);
  const write = (v: SaveValue): void => {
    if (v === null) out.push(0x4e);
    else if (v === true) out.push(0x88);
    else if (v === false) out.push(0x89);
    else if (typeof v === 'number') int(v);
    else if (typeof v === 'string') str(v);
    else if (Array.isArray(v)) {
      out.push(0x5d, 0x28);
      for (const item of v) write(item);
      out.push(0x65);
    } else if (isTensor(v)) {
      const key = String(storages.length);
      const bytes = new Uint8Array(v.data.length * elementBytes(v.dtype));
      encodeTensorBytes(SAFETENSORS_OF[v.dtype], v.data, bytes, key);
      const size = elementBytes(v.dtype);
      if (bigEndian && size > 1) for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
      storages.push({ key, tensor: v, bytes });
      if (format === 'tar') {
        out.ascii(`P${TAR_TENSOR_KEYS + storages.length - 1}\n`); // PERSID: the tensor's key
        return;
      }
      global('torch._utils', '_rebuild_tensor_v2');
      out.push(0x28); // MARK (args)
      out.push(0x28); // MARK (persistent id)
      str('storage');
      global('torch', STORAGE_CLASS[v.dtype]);
      str(key);
      str('cpu');
      int(v.data.length);
      if (legacy) out.push(0x4e);
      out.push(0x74, 0x51); // TUPLE, BINPERSID
      int(0);
      out.push(0x28);
      for (const d of v.shape) int(d);
      out.push(0x74, 0x28);
      for (const s of rowMajorStrides(v.shape)) int(s);
      out.push(0x74, 0x89);
      global('collections', 'OrderedDict');
      out.push(0x29, 0x52); // OrderedDict()
      out.push(0x74, 0x52); // TUPLE, REDUCE
    } else {
      global('collections', 'OrderedDict');
      out.push(0x29, 0x52, 0x28);
      const entries = v instanceof Map ? [...v] : Object.entries(v);
      for (const [k, item] of entries) {
        str(k);
        write(item);
      }
      out.push(0x75);
    }
  };
  write(value);
  out.push(0x2e);
  return out.concat();
}

/** Options of {@link torchSave}. */
export interface TorchSaveOptions {
  /** `'zip'` (default, PyTorch ≥ 1.6) or `'legacy'`. */
  format?: 'zip' | 'legacy' | 'tar';
  /** Zip only: the archive folder name. */
  archive?: string;
  /**
   * As written on a big-endian machine. Zip: storages big-endian, with a
   * `byteorder` record saying so. Legacy: system info `little_endian: False`,
   * storages still little-endian (PyTorch's writeFileRaw converts them).
   */
  bigEndian?: boolean;
  /** Zip only: write ZIP64 records, as PyTorch does for large files. */
  zip64?: boolean;
  /** Zip only: mark the entries with this compression method (the bytes stay stored). */
  method?: number;
}

/** The bytes of `torch.save(value, f)`. */
export function torchSave(value: SaveValue, options: TorchSaveOptions = {}): Uint8Array {
  const storages: Storage[] = [];
  const pkl = pickle(value, options.format ?? 'zip', storages, options.bigEndian === true && (options.format ?? 'zip') === 'zip');
  if (options.format === 'legacy') return legacyFile(pkl, storages, options.bigEndian === true);
  if (options.format === 'tar') return tarFile(pkl, storages);
  const archive = options.archive ?? 'archive';
  const records: [string, Uint8Array][] = [[`${archive}/data.pkl`, pkl]];
  if (options.bigEndian) records.push([`${archive}/byteorder`, new TextEncoder().encode('big')]);
  for (const s of storages) records.push([`${archive}/data/${s.key}`, s.bytes]);
  records.push([`${archive}/version`, new TextEncoder().encode('3\n')]);
  return zip(records, options.zip64 === true, options.method ?? 0);
}

function legacyFile(pkl: Uint8Array, storages: Storage[], bigEndian: boolean): Uint8Array {
  const out = new Bytes();
  out.push(Uint8Array.of(0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e));
  out.push(Uint8Array.of(0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e));
  out.push(Uint8Array.of(0x80, 0x02, 0x7d, 0x28)); // {little_endian: ...}
  const key = new TextEncoder().encode('little_endian');
  out.push(0x58);
  out.u32(key.length);
  out.push(key, bigEndian ? 0x89 : 0x88, 0x75, 0x2e);
  out.push(pkl);
  out.push(0x80, 0x02, 0x5d, 0x28);
  for (const s of storages) {
    const k = new TextEncoder().encode(s.key);
    out.push(0x58);
    out.u32(k.length);
    out.push(k);
  }
  out.push(0x65, 0x2e);
  for (const s of storages) {
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigInt64(0, BigInt(s.tensor.data.length), true);
    out.push(count, s.bytes);
  }
  return out.concat();
}

/** Tensor keys of the tar layout start here (storage keys are 0, 1, ...). */
const TAR_TENSOR_KEYS = 1000;

/** A small protocol-2 pickle of a tuple of ints, strings and `torch` globals (`{ global: 'FloatStorage' }`). */
function recordPickle(items: Array<number | string | { global: string }>): Uint8Array {
  const out = new Bytes();
  out.push(0x80, 2, 0x28);
  for (const item of items) {
    if (typeof item === 'number') {
      out.push(0x4a);
      out.u32(item);
    } else if (typeof item === 'string') {
      const b = new TextEncoder().encode(item);
      out.push(0x58);
      out.u32(b.length);
      out.push(b);
    } else {
      out.ascii(`ctorch\n${item.global}\n`);
    }
  }
  out.push(0x74, 0x2e);
  return out.concat();
}

const intPickle = (n: number): Uint8Array => {
  const out = new Bytes();
  out.push(0x80, 2, 0x4a);
  out.u32(n);
  out.push(0x2e);
  return out.concat();
};

/** The tar layout of torch.save before PyTorch 0.4 (see torch/serialization.py's legacy_load). */
function tarFile(pkl: Uint8Array, storages: Storage[]): Uint8Array {
  const st = new Bytes();
  st.push(intPickle(storages.length));
  storages.forEach((s, i) => {
    st.push(recordPickle([i, 'cpu', { global: STORAGE_CLASS[s.tensor.dtype] }]));
    st.u64(s.tensor.data.length);
    st.push(s.bytes);
  });
  st.push(Uint8Array.of(0x80, 2, 0x5d, 0x2e)); // no storage views
  const te = new Bytes();
  te.push(intPickle(storages.length));
  storages.forEach((s, i) => {
    te.push(recordPickle([TAR_TENSOR_KEYS + i, i, { global: STORAGE_CLASS[s.tensor.dtype].replace('Storage', 'Tensor') }]));
    const shape = s.tensor.shape;
    te.u32(shape.length);
    te.u32(0);
    for (const d of shape) te.u64(d);
    for (const d of rowMajorStrides(shape)) te.u64(d);
    te.u64(0);
  });
  const out = new Bytes();
  for (const [name, data] of [
    ['sys_info', intPickle(0)],
    ['pickle', pkl],
    ['storages', st.concat()],
    ['tensors', te.concat()],
  ] as const) {
    const header = new Uint8Array(512);
    header.set(new TextEncoder().encode(name), 0);
    header.set(new TextEncoder().encode('0000644\0'), 100);
    header.set(new TextEncoder().encode(`${data.length.toString(8).padStart(11, '0')}\0`), 124);
    header[156] = 0x30; // regular file
    header.set(new TextEncoder().encode('ustar\0' + '00'), 257);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    out.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  out.push(new Uint8Array(1024));
  return out.concat();
}

/** A stored zip archive laid out as PyTorch's writer does (data aligned to 64 bytes). */
function zip(records: [string, Uint8Array][], zip64: boolean, method: number): Uint8Array {
  const out = new Bytes();
  const central = new Bytes();
  for (const [name, data] of records) {
    const nameBytes = new TextEncoder().encode(name);
    const offset = out.length;
    const crc = crc32(data);
    const headerEnd = offset + 30 + nameBytes.length + 4 + (zip64 ? 20 : 0);
    const pad = (64 - (headerEnd % 64)) % 64;
    out.u32(0x04034b50);
    out.u16(zip64 ? 45 : 20);
    out.u16(0);
    out.u16(method);
    out.u16(0);
    out.u16(0);
    out.u32(crc);
    out.u32(zip64 ? 0xffffffff : data.length);
    out.u32(zip64 ? 0xffffffff : data.length);
    out.u16(nameBytes.length);
    out.u16((zip64 ? 20 : 0) + 4 + pad);
    out.push(nameBytes);
    if (zip64) {
      out.u16(1);
      out.u16(16);
      out.u64(data.length);
      out.u64(data.length);
    }
    out.u16(0x4246); // "FB" padding field, as PyTorch writes
    out.u16(pad);
    out.push(new Uint8Array(pad));
    out.push(data);
    central.u32(0x02014b50);
    central.u16(zip64 ? 45 : 20);
    central.u16(zip64 ? 45 : 20);
    central.u16(0);
    central.u16(method);
    central.u16(0);
    central.u16(0);
    central.u32(crc);
    central.u32(zip64 ? 0xffffffff : data.length);
    central.u32(zip64 ? 0xffffffff : data.length);
    central.u16(nameBytes.length);
    central.u16(zip64 ? 28 : 0);
    central.u16(0);
    central.u16(0);
    central.u16(0);
    central.u32(0);
    central.u32(zip64 ? 0xffffffff : offset);
    central.push(nameBytes);
    if (zip64) {
      central.u16(1);
      central.u16(24);
      central.u64(data.length);
      central.u64(data.length);
      central.u64(offset);
    }
  }
  const dirOffset = out.length;
  const dir = central.concat();
  out.push(dir);
  if (zip64) {
    const record = out.length;
    out.u32(0x06064b50);
    out.u64(44);
    out.u16(45);
    out.u16(45);
    out.u32(0);
    out.u32(0);
    out.u64(records.length);
    out.u64(records.length);
    out.u64(dir.length);
    out.u64(dirOffset);
    out.u32(0x07064b50);
    out.u32(0);
    out.u64(record);
    out.u32(1);
  }
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(zip64 ? 0xffff : records.length);
  out.u16(zip64 ? 0xffff : records.length);
  out.u32(zip64 ? 0xffffffff : dir.length);
  out.u32(zip64 ? 0xffffffff : dirOffset);
  out.u16(0);
  return out.concat();
}
