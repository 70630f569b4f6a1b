/**
 * Little-endian element codecs for safetensors data: raw bytes of one tensor
 * to a typed array usable by tfjs, and numbers back to raw bytes. Always copies
 * into fresh, aligned buffers, so unaligned offsets in a file are harmless.
 *
 * Internal to the safetensors reader and writer.
 *
 * @module
 */
import { SafetensorsError } from '../errors.js';
import { DTYPE_BYTES, type SafetensorsDType } from './dtypes.js';
import { decodeBFloat16Into, decodeFloat16Into, encodeBFloat16, encodeFloat16 } from './float16.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the bytes of every `size`-byte element, in place. */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/** A fresh, aligned copy of little-endian element bytes, in platform byte order. */
function platformCopy(bytes: Uint8Array, size: number): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (!LITTLE_ENDIAN && size > 1) swapBytes(copy, size);
  return copy.buffer;
}

/** Copies platform-order element bytes into `out` as little-endian. */
function putLittleEndian(view: ArrayBufferView, size: number, out: Uint8Array): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  out.set(bytes);
  if (!LITTLE_ENDIAN && size > 1) swapBytes(out.subarray(0, bytes.length), size);
}

/** The typed array holding a decoded tensor's elements. */
export type DecodedData = Float32Array | Int32Array | Float64Array | Uint8Array;

/**
 * Decodes the little-endian bytes of one tensor. Floats become float32
 * (F64 rounded to nearest); integers int32; I64 int32 when every value fits,
 * otherwise float64 when every value is a safe integer; BOOL 0/1 bytes. With
 * `keepFloat64`, F64 stays float64 (every value exact).
 */
export function decodeTensorBytes(dtype: SafetensorsDType, bytes: Uint8Array, name: string, keepFloat64 = false): DecodedData {
  const n = bytes.length / DTYPE_BYTES[dtype];
  switch (dtype) {
    case 'F32':
      return new Float32Array(platformCopy(bytes, 4));
    case 'F64': {
      if (keepFloat64) return new Float64Array(platformCopy(bytes, 8));
      const out = new Float32Array(n);
      out.set(new Float64Array(platformCopy(bytes, 8)));
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      decodeFloat16Into(new Uint16Array(platformCopy(bytes, 2)), out);
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      decodeBFloat16Into(new Uint16Array(platformCopy(bytes, 2)), out);
      return out;
    }
    case 'I64':
      return decodeInt64(bytes, n, name);
    case 'I32':
      return new Int32Array(platformCopy(bytes, 4));
    case 'I16': {
      const out = new Int32Array(n);
      out.set(new Int16Array(platformCopy(bytes, 2)));
      return out;
    }
    case 'I8': {
      const out = new Int32Array(n);
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
      return out;
    }
    case 'U8': {
      const out = new Int32Array(n);
      out.set(bytes);
      return out;
    }
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      return out;
    }
  }
}

function decodeInt64(bytes: Uint8Array, n: number, name: string): Int32Array | Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const narrow = new Int32Array(n);
  let fits = true;
  for (let i = 0; i < n; i++) {
    const lo = view.getInt32(8 * i, true);
    if (view.getInt32(8 * i + 4, true) !== lo >> 31) {
      fits = false;
      break;
    }
    narrow[i] = lo;
  }
  if (fits) return narrow;
  const wide = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = view.getInt32(8 * i + 4, true);
    const lo = view.getUint32(8 * i, true);
    // Exact whenever |hi| ≤ 2^21, which covers every safe integer.
    const value = hi * 4294967296 + lo;
    if (Math.abs(hi) > 2097152 || !Number.isSafeInteger(value)) {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      throw new SafetensorsError(
        `tensor '${name}' (I64): element ${i} is ${big}, beyond what a JavaScript number holds exactly; ` +
          `valid I64 values for this reader are within ±${Number.MAX_SAFE_INTEGER}`,
      );
    }
    wide[i] = value;
  }
  return wide;
}

/** The value range of each integer dtype. @internal */
export const INT_RANGES: Partial<Record<SafetensorsDType, readonly [number, number]>> = {
  I64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  I32: [-2147483648, 2147483647],
  I16: [-32768, 32767],
  I8: [-128, 127],
  U8: [0, 255],
  BOOL: [0, 1],
};

/**
 * Encodes `data` as little-endian `dtype` elements into `out`, which is
 * exactly `data.length · size` bytes long. Integer dtypes require integers in
 * range (BOOL: 0 or 1); floats round to nearest, ties to even.
 */
export function encodeTensorBytes(dtype: SafetensorsDType, data: ArrayLike<number>, out: Uint8Array, name: string): void {
  const n = data.length;
  const range = INT_RANGES[dtype];
  if (range !== undefined) {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
        throw new SafetensorsError(`tensor '${name}' (${dtype}): element ${i} is ${String(v)}; expected an integer in [${range[0]}, ${range[1]}]`);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (typeof data[i] !== 'number') {
        throw new SafetensorsError(`tensor '${name}' (${dtype}): element ${i} is ${typeof data[i]}; expected a number`);
      }
    }
  }
  switch (dtype) {
    case 'F32':
      return putLittleEndian(Float32Array.from(data), 4, out);
    case 'F64':
      return putLittleEndian(Float64Array.from(data), 8, out);
    case 'F16':
    case 'BF16': {
      const encode = dtype === 'F16' ? encodeFloat16 : encodeBFloat16;
      const bits = new Uint16Array(n);
      for (let i = 0; i < n; i++) bits[i] = encode(data[i]);
      return putLittleEndian(bits, 2, out);
    }
    case 'I64': {
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      for (let i = 0; i < n; i++) {
        const v = data[i];
        const hi = Math.floor(v / 4294967296);
        view.setUint32(8 * i, v - hi * 4294967296, true);
        view.setInt32(8 * i + 4, hi, true);
      }
      return;
    }
    case 'I32':
      return putLittleEndian(Int32Array.from(data), 4, out);
    case 'I16':
      return putLittleEndian(Int16Array.from(data), 2, out);
    case 'I8':
      return putLittleEndian(Int8Array.from(data), 1, out);
    case 'U8':
    case 'BOOL':
      out.set(data);
      return;
  }
}
