/**
 * The safetensors format: an 8-byte little-endian header length, a UTF-8 JSON
 * header (`{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}`),
 * then the tensors' little-endian bytes, contiguous and covering the rest of
 * the file. The reader checks everything the reference implementation checks
 * before it allocates; the writer lays files out byte for byte like the
 * reference writer.
 *
 * @module
 */
import { SafetensorsError } from '../errors.js';
import { DTYPE_BYTES, DTYPE_WRITE_RANK, SAFETENSORS_DTYPES, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';
import { decodeTensorBytes, encodeTensorBytes } from './tensor-bytes.js';

/**
 * The largest header the format allows, in bytes (the reference's limit).
 *
 * @example
 * ```ts
 * import { SAFETENSORS_MAX_HEADER_BYTES } from 'tfjs-resnet';
 * console.log(SAFETENSORS_MAX_HEADER_BYTES); // 100000000
 * ```
 */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/**
 * One tensor read from a safetensors file. `dtype` is the file's dtype; `data`
 * holds the elements in row-major order in a type tfjs accepts:
 * - `F32`, `F16`, `BF16`, `F64` → `Float32Array` (F16/BF16 exact, F64 rounded
 *   to the nearest float32);
 * - `I32`, `I16`, `I8`, `U8` → `Int32Array`;
 * - `I64` → `Int32Array` when every value fits in int32, otherwise a
 *   `Float64Array` of the exact values (a value beyond ±(2^53 − 1) throws);
 * - `BOOL` → `Uint8Array` of 0/1 (any non-zero byte reads as 1).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { readSafetensors } from 'tfjs-resnet';
 * const { tensors } = readSafetensors(bytes);
 * const t = tensors['fc.weight'];
 * if (t.dtype === 'F32') tf.tensor(t.data, t.shape, 'float32');
 * ```
 */
export type SafetensorsTensor =
  | {
      /** A floating-point dtype of the file; the values are decoded to float32. */
      dtype: 'F32' | 'F16' | 'BF16' | 'F64';
      /** The tensor's shape, row-major. */
      shape: number[];
      /** The values as float32. */
      data: Float32Array;
    }
  | {
      /** A 32-bit-or-narrower integer dtype of the file. */
      dtype: 'I32' | 'I16' | 'I8' | 'U8';
      /** The tensor's shape, row-major. */
      shape: number[];
      /** The values as int32. */
      data: Int32Array;
    }
  | {
      /** 64-bit integers. */
      dtype: 'I64';
      /** The tensor's shape, row-major. */
      shape: number[];
      /** The values as int32 when all fit, else as float64 (exact up to 2^53). */
      data: Int32Array | Float64Array;
    }
  | {
      /** Booleans. */
      dtype: 'BOOL';
      /** The tensor's shape, row-major. */
      shape: number[];
      /** The values as 0/1 bytes. */
      data: Uint8Array;
    };

/**
 * The contents of a safetensors file. Both records have a null prototype, so
 * names such as `__proto__` or `constructor` are ordinary keys.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readSafetensors } from 'tfjs-resnet';
 * const file = readSafetensors(readFileSync('model.safetensors'));
 * console.log(Object.keys(file.tensors).length, file.metadata.format);
 * ```
 */
export interface SafetensorsFile {
  /** The tensors by name, in header order. */
  tensors: Record<string, SafetensorsTensor>;
  /** The header's `__metadata__` (empty when the file has none). */
  metadata: Record<string, string>;
}

/**
 * A tensor to write with {@link writeSafetensors}.
 *
 * @example
 * ```ts
 * const t: SafetensorsTensorInput = { dtype: 'F16', shape: [2], data: [0.5, -1] };
 * ```
 */
export interface SafetensorsTensorInput {
  /**
   * The element type to store. Floats round to nearest (ties to even);
   * integer dtypes need integers in range (I64: safe integers), BOOL 0 or 1.
   * @defaultValue `'F32'`
   */
  dtype?: SafetensorsDType;
  /** Row-major shape; its element count must equal `data.length`. */
  shape: readonly number[];
  /** The elements, row-major. */
  data: ArrayLike<number>;
}

/** The dtype written when a {@link SafetensorsTensorInput} names none. */
const DEFAULT_WRITE_DTYPE: SafetensorsDType = 'F32';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const METADATA_KEY = '__metadata__';

/** A short JSON rendering of a header value for error messages. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The element count of `shape`; `'bad'` when the shape is not a list of
 * non-negative safe integers, `'overflow'` when `count · elementBytes` would
 * exceed 2^53 − 1 (checked dimension by dimension, before any allocation).
 */
function elementCount(shape: unknown, elementBytes: number): number | 'bad' | 'overflow' {
  if (!Array.isArray(shape) || !shape.every(isIndex)) return 'bad';
  const limit = Math.floor(Number.MAX_SAFE_INTEGER / elementBytes);
  let count = 1;
  for (const dim of shape as number[]) {
    if (dim !== 0 && count > Math.floor(limit / dim)) return 'overflow';
    count *= dim;
  }
  return count;
}

/** Compares strings by Unicode code point, i.e. by their UTF-8 bytes (Rust's `str` order). */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array): { headerBytes: number; parsed: Record<string, unknown> } {
  if (bytes.length < 8) {
    throw new SafetensorsError(`file is ${bytes.length} bytes; a safetensors file starts with an 8-byte little-endian header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > SAFETENSORS_MAX_HEADER_BYTES) {
    const length = (BigInt(high) << 32n) | BigInt(low);
    throw new SafetensorsError(`header length ${length} exceeds the limit of ${SAFETENSORS_MAX_HEADER_BYTES} bytes`);
  }
  if (8 + low > bytes.length) {
    throw new SafetensorsError(`header length ${low} runs past the end of the file: it needs ${8 + low} bytes, the file has ${bytes.length}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + low));
  } catch {
    throw new SafetensorsError(`header (${low} bytes) is not valid UTF-8`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new SafetensorsError(`header is not valid JSON (${reason.slice(0, 120)}); expected a JSON object`);
  }
  if (!isPlainObject(parsed)) {
    throw new SafetensorsError(`header is ${kindOf(parsed)}; expected a JSON object of tensor entries`);
  }
  return { headerBytes: low, parsed };
}

function parseMetadata(value: unknown): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  if (value === null) return metadata; // the reference accepts `null` as "no metadata"
  if (!isPlainObject(value)) {
    throw new SafetensorsError(`${METADATA_KEY} is ${kindOf(value)}; expected an object of string values`);
  }
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (typeof entry !== 'string') {
      throw new SafetensorsError(`${METADATA_KEY} key ${show(key)} holds ${kindOf(entry)}; expected every value to be a string`);
    }
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(entry)) {
      throw new SafetensorsError(`${METADATA_KEY} key ${show(key)} contains an unpaired UTF-16 surrogate escape`);
    }
    metadata[key] = entry;
  }
  return metadata;
}

function parseEntry(name: string, value: unknown): HeaderEntry {
  const where = `tensor ${show(name)}`;
  if (LONE_SURROGATE.test(name)) {
    throw new SafetensorsError(`${where}: the name contains an unpaired UTF-16 surrogate escape`);
  }
  if (!isPlainObject(value)) {
    throw new SafetensorsError(`${where} is ${kindOf(value)}; expected an object with dtype, shape and data_offsets`);
  }
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.prototype.hasOwnProperty.call(value, field)) {
      throw new SafetensorsError(`${where} has no "${field}"; expected an object with dtype, shape and data_offsets`);
    }
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDType(dtype)) {
    throw new SafetensorsError(`${where} has dtype ${show(dtype)}; valid dtypes are ${SAFETENSORS_DTYPES.join(', ')}`);
  }
  const count = elementCount(shape, DTYPE_BYTES[dtype]);
  if (count === 'bad') {
    throw new SafetensorsError(`${where} has shape ${show(shape)}; expected an array of non-negative integers`);
  }
  if (count === 'overflow') {
    throw new SafetensorsError(`${where} has shape ${show(shape)} whose ${dtype} byte size overflows; expected at most ${Number.MAX_SAFE_INTEGER} bytes`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !isIndex(offsets[0]) || !isIndex(offsets[1]) || offsets[0] > offsets[1]) {
    throw new SafetensorsError(`${where} has data_offsets ${show(offsets)}; expected [begin, end] with integers 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  const needed = count * DTYPE_BYTES[dtype];
  if (end - begin !== needed) {
    throw new SafetensorsError(
      `${where} has data_offsets [${begin}, ${end}] spanning ${end - begin} bytes; ` + `shape ${show(shape)} of ${dtype} needs ${needed} bytes`,
    );
  }
  return { name, dtype, shape: (shape as number[]).slice(), begin, end };
}

/** Checks that the entries tile the data buffer: from 0, no overlap, no gap, to its end. */
function checkLayout(entries: HeaderEntry[], dataBytes: number): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | undefined;
  for (const entry of sorted) {
    const where = `tensor ${show(entry.name)} with data_offsets [${entry.begin}, ${entry.end}]`;
    if (entry.begin < covered) {
      throw new SafetensorsError(`${where} overlaps tensor ${show(previous!.name)}, which ends at ${covered}; tensors must not share bytes`);
    }
    if (entry.begin > covered) {
      throw new SafetensorsError(
        previous === undefined
          ? `${where} is the first tensor but does not start at offset 0; the data must be contiguous from 0`
          : `${where} leaves a gap of ${entry.begin - covered} bytes after tensor ${show(previous.name)}, ` +
              `which ends at ${covered}; the data must be contiguous`,
      );
    }
    if (entry.end > dataBytes) {
      throw new SafetensorsError(`${where} runs past the end of the ${dataBytes}-byte data buffer`);
    }
    covered = entry.end;
    previous = entry;
  }
  if (covered !== dataBytes) {
    throw new SafetensorsError(
      `the tensors cover ${covered} bytes but the data buffer after the header holds ${dataBytes}; ` + `the offsets must cover it exactly, to its end`,
    );
  }
}

/**
 * Parses a safetensors file. Everything the format requires is checked before
 * any tensor is allocated; a violation throws {@link SafetensorsError} naming
 * the tensor and what was expected. Data is copied out of `bytes` (the result
 * does not alias it), so unaligned offsets are fine.
 *
 * Lenient where the reference is: extra fields in a tensor entry are ignored
 * and `"__metadata__": null` means no metadata. Offsets and shapes are JSON
 * numbers, so `1.0` reads as `1`.
 *
 * @param bytes - the whole file.
 * @returns the tensors (see {@link SafetensorsTensor} for the element types) and the metadata.
 * @throws {@link SafetensorsError} when the file breaks the format, or when an
 *   I64 value is beyond ±(2^53 − 1).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readSafetensors } from 'tfjs-resnet';
 * const { tensors, metadata } = readSafetensors(readFileSync('resnet18.safetensors'));
 * const w = tensors['conv1.weight']; // { dtype: 'F32', shape: [64, 3, 7, 7], data: Float32Array }
 * ```
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const file = openSafetensors(bytes);
  const tensors: Record<string, SafetensorsTensor> = Object.create(null);
  for (const name of Object.keys(file.entries)) tensors[name] = file.decode(name) as SafetensorsTensor;
  return { tensors, metadata: file.metadata };
}

/**
 * A safetensors file whose header is parsed and checked, and whose tensors are
 * decoded one at a time, on demand — so a loader holds the file's bytes plus
 * one decoded tensor, not a second copy of every weight.
 *
 * @example
 * ```ts
 * const file = openSafetensors(bytes);
 * for (const [name, { shape }] of Object.entries(file.entries)) console.log(name, shape);
 * const w = file.decode('conv1.weight').data; // Float32Array
 * ```
 */
export interface LazySafetensorsFile {
  /** The `__metadata__` strings. */
  readonly metadata: Record<string, string>;
  /** Every tensor's dtype and shape, by name, in the file's order. */
  readonly entries: Readonly<
    Record<
      string,
      {
        /** The tensor's dtype in the file. */
        readonly dtype: SafetensorsDType;
        /** The tensor's shape, row-major. */
        readonly shape: number[];
      }
    >
  >;
  /**
   * Decodes one tensor (a fresh array each call); throws {@link SafetensorsError} for an unknown name.
   * With `keepFloat64`, an F64 tensor's data is a `Float64Array` of the exact values instead of float32.
   */
  decode(
    name: string,
    keepFloat64?: boolean,
  ):
    | SafetensorsTensor
    | {
        /** An F64 tensor read with `keepFloat64`. */
        dtype: 'F64';
        /** The tensor's shape, row-major. */
        shape: number[];
        /** The exact float64 values. */
        data: Float64Array;
      };
}

/**
 * Parses and checks a safetensors file's header exactly as
 * {@link readSafetensors} does, without decoding any tensor yet.
 *
 * @param bytes - the whole file.
 * @throws {@link SafetensorsError} when the file breaks the format.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const file = openSafetensors(readFileSync('resnet50.safetensors'));
 * console.log(Object.keys(file.entries).length, file.metadata);
 * ```
 */
export function openSafetensors(bytes: Uint8Array): LazySafetensorsFile {
  if (!ArrayBuffer.isView(bytes) || (bytes as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] !== 'Uint8Array') {
    throw new SafetensorsError(`expected the file's bytes as a Uint8Array, got ${kindOf(bytes)}`);
  }
  const { headerBytes, parsed } = parseHeader(bytes);
  let metadata: Record<string, string> = Object.create(null);
  const list: HeaderEntry[] = [];
  for (const key of Object.keys(parsed)) {
    if (key === METADATA_KEY) metadata = parseMetadata(parsed[key]);
    else list.push(parseEntry(key, parsed[key]));
  }
  const dataStart = 8 + headerBytes;
  checkLayout(list, bytes.length - dataStart);

  const byName = new Map(list.map((e) => [e.name, e]));
  const entries: Record<string, { dtype: SafetensorsDType; shape: number[] }> = Object.create(null);
  for (const { name, dtype, shape } of list) entries[name] = { dtype, shape };
  return {
    metadata,
    entries,
    decode(name: string, keepFloat64 = false): SafetensorsTensor {
      const e = byName.get(name);
      if (e === undefined) throw new SafetensorsError(`no tensor named ${show(name)} in the file`);
      const data = decodeTensorBytes(e.dtype, bytes.subarray(dataStart + e.begin, dataStart + e.end), e.name, keepFloat64);
      return { dtype: e.dtype, shape: [...e.shape], data } as SafetensorsTensor;
    },
  };
}

/**
 * Serializes tensors to the safetensors format, byte for byte like the
 * reference writer: tensors ordered by dtype (I64, F64, F32, I32, BF16, F16,
 * I16, I8, U8, BOOL), then by name; compact JSON with `__metadata__` first
 * (its keys sorted; omitted when empty); header padded with spaces to a
 * multiple of 8 bytes.
 *
 * @param tensors - the tensors by name ({@link SafetensorsTensorInput}); `dtype` defaults to `'F32'`.
 * @param metadata - string-to-string metadata stored as `__metadata__`.
 * @returns the file's bytes.
 * @throws {@link SafetensorsError} when a name is `__metadata__` or not valid
 *   Unicode, a shape is not a list of non-negative integers, `data.length`
 *   differs from the shape's element count, a value does not fit an integer
 *   dtype, or the metadata is not string-to-string.
 *
 * @example
 * ```ts
 * import { readSafetensors, writeSafetensors } from 'tfjs-resnet';
 * const bytes = writeSafetensors(
 *   { 'fc.weight': { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
 *     step: { dtype: 'I64', shape: [], data: [1000] } },
 *   { format: 'pt' },
 * );
 * readSafetensors(bytes).tensors['step'].data; // Int32Array [1000]
 * ```
 */
export function writeSafetensors(tensors: Record<string, SafetensorsTensorInput>, metadata?: Record<string, string>): Uint8Array {
  if (!isPlainObject(tensors)) {
    throw new SafetensorsError(`tensors is ${kindOf(tensors)}; expected an object of { dtype?, shape, data } by name`);
  }
  const entries: Array<HeaderEntry & { data: ArrayLike<number> }> = [];
  for (const name of Object.keys(tensors)) {
    const where = `tensor ${show(name)}`;
    if (name === METADATA_KEY) {
      throw new SafetensorsError(`${where}: the name ${METADATA_KEY} is reserved for the metadata`);
    }
    if (LONE_SURROGATE.test(name)) {
      throw new SafetensorsError(`${where}: the name contains an unpaired UTF-16 surrogate; names must be valid Unicode`);
    }
    const input: unknown = tensors[name];
    if (!isPlainObject(input)) {
      throw new SafetensorsError(`${where} is ${kindOf(input)}; expected { dtype?, shape, data }`);
    }
    const dtype = input.dtype ?? DEFAULT_WRITE_DTYPE;
    if (!isSafetensorsDType(dtype)) {
      throw new SafetensorsError(`${where} has dtype ${show(dtype)}; valid dtypes are ${SAFETENSORS_DTYPES.join(', ')}`);
    }
    const count = elementCount(input.shape, DTYPE_BYTES[dtype]);
    if (count === 'bad' || count === 'overflow') {
      throw new SafetensorsError(`${where} has shape ${show(input.shape)}; expected an array of non-negative integers of a size that fits in memory`);
    }
    const data = input.data as ArrayLike<number> | null | undefined;
    if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
      throw new SafetensorsError(`${where} has data ${kindOf(data)}; expected an array or typed array of numbers`);
    }
    if (data.length !== count) {
      throw new SafetensorsError(`${where} has ${data.length} data elements; shape ${show(input.shape)} needs ${count}`);
    }
    entries.push({ name, dtype, shape: (input.shape as number[]).slice(), begin: 0, end: 0, data });
  }
  entries.sort((a, b) => DTYPE_WRITE_RANK[b.dtype] - DTYPE_WRITE_RANK[a.dtype] || compareCodePoints(a.name, b.name));

  const parts: string[] = [];
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) {
      throw new SafetensorsError(`metadata is ${kindOf(metadata)}; expected an object of string values`);
    }
    const keys = Object.keys(metadata).sort(compareCodePoints);
    for (const key of keys) {
      const value: unknown = metadata[key];
      if (typeof value !== 'string') {
        throw new SafetensorsError(`metadata key ${show(key)} holds ${kindOf(value)}; expected a string`);
      }
      if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value)) {
        throw new SafetensorsError(`metadata key ${show(key)} contains an unpaired UTF-16 surrogate; expected valid Unicode`);
      }
    }
    if (keys.length > 0) {
      const body = keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(metadata[key])}`).join(',');
      parts.push(`"${METADATA_KEY}":{${body}}`);
    }
  }
  let offset = 0;
  for (const entry of entries) {
    entry.begin = offset;
    offset += entry.data.length * DTYPE_BYTES[entry.dtype];
    entry.end = offset;
    parts.push(`${JSON.stringify(entry.name)}:{"dtype":"${entry.dtype}","shape":[${entry.shape.join(',')}],` + `"data_offsets":[${entry.begin},${entry.end}]}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerBytes = Math.ceil(json.length / 8) * 8;
  if (headerBytes > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new SafetensorsError(`the header would be ${headerBytes} bytes; the format allows at most ${SAFETENSORS_MAX_HEADER_BYTES}`);
  }
  let out: Uint8Array;
  try {
    out = new Uint8Array(8 + headerBytes + offset);
  } catch {
    throw new SafetensorsError(`cannot allocate a ${8 + headerBytes + offset}-byte file; write fewer or smaller tensors`);
  }
  new DataView(out.buffer).setUint32(0, headerBytes, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  const dataStart = 8 + headerBytes;
  for (const entry of entries) {
    encodeTensorBytes(entry.dtype, entry.data, out.subarray(dataStart + entry.begin, dataStart + entry.end), entry.name);
  }
  return out;
}
