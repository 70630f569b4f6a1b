import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from '../src/errors.js';
import {
  SAFETENSORS_DTYPES,
  isSafetensorsDType,
  readSafetensors,
  writeSafetensors,
  type SafetensorsDType,
  type SafetensorsTensorInput,
} from '../src/weights/index.js';
import { encodeBFloat16, encodeFloat16 } from '../src/weights/float16.js';
import { INT_RANGES } from '../src/weights/tensor-bytes.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const sampleBytes = new Uint8Array(readFileSync(fixture('sample-mixed.safetensors')));
const sampleExpected = JSON.parse(readFileSync(fixture('sample-mixed.expected.json'), 'utf8')) as Record<
  string,
  { dtype: string; shape: number[]; values: number[] }
>;
const TORCH_DTYPES: Record<string, SafetensorsDType> = {
  'torch.float32': 'F32',
  'torch.float16': 'F16',
  'torch.bfloat16': 'BF16',
  'torch.float64': 'F64',
  'torch.int64': 'I64',
  'torch.int32': 'I32',
  'torch.bool': 'BOOL',
};

const utf8 = new TextEncoder();

/** A safetensors file from a header (object or raw string) and data bytes. */
function rawFile(header: unknown, data: ArrayLike<number> = [], headerLength?: number): Uint8Array {
  const json = utf8.encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, headerLength ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (shape: number[], offsets: [number, number]) => ({ dtype: 'F32', shape, data_offsets: offsets });

function expectSafetensorsError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message).toMatch(message);
}

/** Element-wise equality treating NaN as equal to NaN and distinguishing ±0. */
function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) return false;
  }
  return true;
}

function bitsOfF32(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

describe('readSafetensors on the reference sample', () => {
  const file = readSafetensors(sampleBytes);

  it('reads every tensor with its dtype, shape and exact values', () => {
    expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(sampleExpected).sort());
    for (const [name, expected] of Object.entries(sampleExpected)) {
      const t = file.tensors[name];
      expect(t.dtype, name).toBe(TORCH_DTYPES[expected.dtype]);
      expect(t.shape, name).toEqual(expected.shape);
      const want = t.data instanceof Float32Array ? expected.values.map(Math.fround) : expected.values;
      expect(sameValues(t.data, want), name).toBe(true);
    }
  });

  it('maps dtypes to typed arrays usable by tfjs', () => {
    const { tensors } = file;
    expect(tensors['conv.weight'].data).toBeInstanceOf(Float32Array);
    expect(tensors['half'].data).toBeInstanceOf(Float32Array);
    expect(tensors['brain'].data).toBeInstanceOf(Float32Array);
    expect(tensors['doubles'].data).toBeInstanceOf(Float32Array);
    expect(tensors['ints'].data).toBeInstanceOf(Int32Array);
    expect(tensors['flags'].data).toBeInstanceOf(Uint8Array);
    // 12345678901 does not fit in int32: the exact value comes back as float64.
    expect(tensors['count'].data).toBeInstanceOf(Float64Array);
    expect(tensors['count'].shape).toEqual([]);
    expect(Array.from(tensors['count'].data)).toEqual([12345678901]);
    expect(tensors['empty'].shape).toEqual([0, 4]);
    expect(tensors['empty'].data.length).toBe(0);
  });

  it('reads the metadata into null-prototype records', () => {
    expect({ ...file.metadata }).toEqual({ format: 'pt', note: 'reference writer sample' });
    expect(Object.getPrototypeOf(file.metadata)).toBeNull();
    expect(Object.getPrototypeOf(file.tensors)).toBeNull();
  });

  it('copies the data: the result does not alias the input bytes', () => {
    const copy = sampleBytes.slice();
    const before = readSafetensors(copy).tensors['conv.weight'].data[0];
    const t = readSafetensors(copy);
    copy.fill(0, 8 + 0x238);
    expect(t.tensors['conv.weight'].data[0]).toBe(before);
  });

  it('reads from an unaligned view of a larger buffer', () => {
    const big = new Uint8Array(sampleBytes.length + 3);
    big.set(sampleBytes, 3);
    const t = readSafetensors(big.subarray(3));
    expect(sameValues(t.tensors['conv.weight'].data, file.tensors['conv.weight'].data)).toBe(true);
    expect(Array.from(t.tensors['count'].data)).toEqual([12345678901]);
  });
});

describe('writeSafetensors matches the reference writer', () => {
  it('rewrites the reference sample byte for byte', () => {
    const { tensors, metadata } = readSafetensors(sampleBytes);
    const inputs: Record<string, SafetensorsTensorInput> = { ...tensors };
    // F64 reads as float32; give the writer the original doubles.
    inputs['doubles'] = { dtype: 'F64', shape: [2], data: sampleExpected['doubles'].values };
    expect(writeSafetensors(inputs, metadata)).toEqual(sampleBytes);
  });

  it('lays out an empty file as "{}" padded to 8 bytes', () => {
    expect(Array.from(writeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMeta = writeSafetensors({}, { framework: 'pt' });
    const header = '{"__metadata__":{"framework":"pt"}}     ';
    expect(withMeta).toEqual(rawFile(header));
    expect(writeSafetensors({}, {})).toEqual(writeSafetensors({}));
  });

  it('writes a single F32 tensor exactly', () => {
    const out = writeSafetensors({ 'attn.0': { shape: [1, 2, 3], data: [0, 1, 2, 3, 4, 5] } });
    const data = new Uint8Array(new Float32Array([0, 1, 2, 3, 4, 5]).buffer);
    expect(out).toEqual(rawFile('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', data));
  });

  it('sorts by dtype (I64 … BOOL) then by name in code-point order, and pads the header', () => {
    const names = ['b', 'B', 'a', '\uffff', '😀', 'é'];
    const inputs: Record<string, SafetensorsTensorInput> = {};
    for (const name of names) inputs[name] = { dtype: 'U8', shape: [1], data: [1] };
    for (const dtype of SAFETENSORS_DTYPES) inputs[`t.${dtype}`] = { dtype, shape: [1], data: [1] };
    const out = writeSafetensors(inputs);
    const headerLength = new DataView(out.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    const header = new TextDecoder().decode(out.subarray(8, 8 + headerLength));
    expect(header).toMatch(/^\{.*\} *$/);
    const keys = Object.keys(JSON.parse(header));
    const u8 = ['B', 'a', 'b', 't.U8', 'é', '\uffff', '😀'];
    expect(keys).toEqual(['t.I64', 't.F64', 't.F32', 't.I32', 't.BF16', 't.F16', 't.I16', 't.I8', ...u8, 't.BOOL']);
  });

  it('writes the metadata first, keys sorted, and omits it when empty', () => {
    const out = writeSafetensors({ x: { shape: [], data: [1] } }, { z: '1', a: 'two "quoted"\n' });
    const header = new TextDecoder().decode(out.subarray(8, 8 + new DataView(out.buffer).getUint32(0, true)));
    expect(header.trimEnd()).toBe('{"__metadata__":{"a":"two \\"quoted\\"\\n","z":"1"},"x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}');
  });
});

describe('exact dtype conversion', () => {
  const allBits = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const rawHalfFile = (dtype: 'F16' | 'BF16') => rawFile({ t: { dtype, shape: [65536], data_offsets: [0, 131072] } }, new Uint8Array(allBits.buffer));

  it('decodes all 65536 F16 patterns exactly', () => {
    const data = readSafetensors(rawHalfFile('F16')).tensors['t'].data as Float32Array;
    expect(data[0x3c00]).toBe(1);
    expect(data[0x0001]).toBe(2 ** -24);
    expect(data[0x03ff]).toBe(1023 * 2 ** -24);
    expect(data[0x0400]).toBe(2 ** -14);
    expect(data[0x7bff]).toBe(65504);
    expect(data[0x7c00]).toBe(Infinity);
    expect(data[0xfc00]).toBe(-Infinity);
    expect(Object.is(data[0x8000], -0)).toBe(true);
    expect(data[0xc000]).toBe(-2);
    // NaN payloads survive: the float32 bits are the half bits widened.
    expect(bitsOfF32(data)[0x7e01]).toBe(0x7fc02000);
    for (let h = 0; h < 65536; h++) {
      const e = (h >> 10) & 31;
      const m = h & 1023;
      const s = h & 0x8000 ? -1 : 1;
      const want = e === 31 ? (m ? NaN : s * Infinity) : e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
      if (!Object.is(data[h], want)) throw new Error(`F16 ${h.toString(16)}: ${data[h]} != ${want}`);
    }
  });

  it('decodes all 65536 BF16 patterns exactly (the upper half of a float32)', () => {
    const data = readSafetensors(rawHalfFile('BF16')).tensors['t'].data as Float32Array;
    const bits = bitsOfF32(data);
    for (let h = 0; h < 65536; h++) {
      if (bits[h] !== (h << 16) >>> 0) throw new Error(`BF16 ${h.toString(16)} → ${bits[h].toString(16)}`);
    }
  });

  for (const dtype of ['F16', 'BF16'] as const) {
    it(`re-encodes every ${dtype} value to the same bits (NaN → canonical quiet NaN)`, () => {
      const values = readSafetensors(rawHalfFile(dtype)).tensors['t'].data;
      const out = writeSafetensors({ t: { dtype, shape: [65536], data: values } });
      const dataStart = out.length - 131072;
      const back = new Uint16Array(out.slice(dataStart).buffer);
      const nan = dtype === 'F16' ? 0x7e00 : 0x7fc0;
      for (let h = 0; h < 65536; h++) {
        const want = Number.isNaN(values[h]) ? nan : h;
        if (back[h] !== want) throw new Error(`${dtype} ${h.toString(16)} → ${back[h].toString(16)}`);
      }
    });

    it(`rounds to nearest, ties to even, when encoding ${dtype}`, () => {
      const encode = dtype === 'F16' ? encodeFloat16 : encodeBFloat16;
      const data = readSafetensors(rawHalfFile(dtype)).tensors['t'].data as Float32Array;
      const maxFinite = dtype === 'F16' ? 0x7bff : 0x7f7f;
      // Around every midpoint between neighbouring positive finite values.
      for (let h = 0; h <= maxFinite; h++) {
        const lo = data[h];
        const hi = h === maxFinite ? 2 * data[maxFinite] - data[maxFinite - 1] : data[h + 1];
        const mid = (lo + hi) / 2;
        const up = h === maxFinite ? (dtype === 'F16' ? 0x7c00 : 0x7f80) : h + 1;
        const even = h % 2 === 0 ? h : up;
        const below = mid - (hi - lo) / 1024;
        const above = mid + (hi - lo) / 1024;
        if (encode(mid) !== even || encode(below) !== h || encode(above) !== up) {
          throw new Error(`${dtype} around ${h.toString(16)}: ${encode(below)}, ${encode(mid)}, ${encode(above)}`);
        }
        if (encode(-mid) !== (even | 0x8000)) throw new Error(`${dtype} sign at ${h.toString(16)}`);
      }
    });
  }

  it('rounds known F16 and BF16 cases', () => {
    expect(encodeFloat16(1 + 2 ** -11)).toBe(0x3c00);
    expect(encodeFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(encodeFloat16(65519)).toBe(0x7bff);
    expect(encodeFloat16(65520)).toBe(0x7c00);
    expect(encodeFloat16(2 ** -25)).toBe(0);
    expect(encodeFloat16(3 * 2 ** -25)).toBe(2);
    expect(encodeFloat16(2 ** -14 - 2 ** -25)).toBe(0x0400);
    expect(encodeFloat16(1e-300)).toBe(0);
    expect(encodeFloat16(-5e-324)).toBe(0x8000);
    expect(encodeFloat16(Number.MAX_VALUE)).toBe(0x7c00);
    expect(encodeBFloat16(1 + 2 ** -8)).toBe(0x3f80);
    expect(encodeBFloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(encodeBFloat16(3.4e38)).toBe(0x7f80);
    expect(encodeBFloat16(NaN)).toBe(0x7fc0);
    expect(encodeFloat16(NaN)).toBe(0x7e00);
  });

  it('round-trips F32 and F64 special values', () => {
    const specials = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1.401298464324817e-45, 3.4028234663852886e38, 1 / 3];
    const f32 = Float32Array.from(specials);
    const t = readSafetensors(
      writeSafetensors({
        a: { dtype: 'F32', shape: [specials.length], data: specials },
        b: { dtype: 'F64', shape: [specials.length], data: specials },
      }),
    ).tensors;
    expect(sameValues(t['a'].data, f32)).toBe(true);
    expect(sameValues(t['b'].data, f32)).toBe(true); // F64 rounds to nearest float32
  });

  it('round-trips integer extremes of every integer dtype', () => {
    const cases: Array<[SafetensorsDType, number[]]> = [
      ['I32', [-2147483648, -1, 0, 1, 2147483647]],
      ['I16', [-32768, -1, 0, 32767]],
      ['I8', [-128, -1, 0, 127]],
      ['U8', [0, 1, 128, 255]],
      ['I64', [-2147483648, -1, 0, 2147483647]],
      ['BOOL', [0, 1, 1, 0]],
    ];
    for (const [dtype, values] of cases) {
      const t = readSafetensors(writeSafetensors({ t: { dtype, shape: [values.length], data: values } })).tensors['t'];
      expect(t.dtype).toBe(dtype);
      expect(t.data).toBeInstanceOf(dtype === 'BOOL' ? Uint8Array : Int32Array);
      expect(Array.from(t.data)).toEqual(values);
    }
  });

  it('reads I64 beyond int32 as exact float64, and rejects values beyond 2^53', () => {
    const wide = [2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0];
    const t = readSafetensors(writeSafetensors({ t: { dtype: 'I64', shape: [5], data: wide } })).tensors['t'];
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(Array.from(t.data)).toEqual(wide);
    for (const big of [2n ** 53n, -(2n ** 63n), 2n ** 63n - 1n]) {
      const bytes = new Uint8Array(new BigInt64Array([big]).buffer);
      const file = rawFile({ big: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, bytes);
      expectSafetensorsError(() => readSafetensors(file), /tensor 'big' \(I64\): element 0 is -?\d+/);
    }
  });

  it('reads any non-zero BOOL byte as 1, and reads integer dtypes at unaligned offsets', () => {
    const header = {
      flags: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] },
      x: { dtype: 'F32', shape: [1], data_offsets: [3, 7] },
      y: { dtype: 'I16', shape: [1], data_offsets: [7, 9] },
      z: { dtype: 'I8', shape: [1], data_offsets: [9, 10] },
    };
    const data = [0, 2, 255, ...new Uint8Array(new Float32Array([1.5]).buffer), 0xff, 0xff, 0x80];
    const t = readSafetensors(rawFile(header, data)).tensors;
    expect(Array.from(t['flags'].data)).toEqual([0, 1, 1]);
    expect(Array.from(t['x'].data)).toEqual([1.5]);
    expect(Array.from(t['y'].data)).toEqual([-1]);
    expect(Array.from(t['z'].data)).toEqual([-128]);
  });
});

describe('readSafetensors rejects files that break the format', () => {
  it('files shorter than 8 bytes', () => {
    for (let n = 0; n < 8; n++) expectSafetensorsError(() => readSafetensors(new Uint8Array(n)), /8-byte/);
  });

  it('input that is not a Uint8Array', () => {
    expectSafetensorsError(() => readSafetensors(new ArrayBuffer(16) as never), /Uint8Array/);
    expectSafetensorsError(() => readSafetensors(null as never), /Uint8Array/);
  });

  it('absurd or too-large header lengths, without crashing', () => {
    const huge = new Uint8Array(16).fill(0xff);
    expectSafetensorsError(() => readSafetensors(huge), /18446744073709551615 exceeds the limit of 100000000/);
    const justOver = new Uint8Array(16);
    new DataView(justOver.buffer).setUint32(0, 100_000_001, true);
    expectSafetensorsError(() => readSafetensors(justOver), /100000001 exceeds/);
    const highWord = new Uint8Array(16);
    highWord[4] = 1;
    expectSafetensorsError(() => readSafetensors(highWord), /4294967296 exceeds/);
  });

  it('a header length beyond the file', () => {
    expectSafetensorsError(() => readSafetensors(rawFile({}, [], 100)), /header length 100 runs past the end of the file/);
  });

  it('a header that is not UTF-8, not JSON or not an object', () => {
    const bad = rawFile('{}');
    bad[8] = 0xff;
    expectSafetensorsError(() => readSafetensors(bad), /not valid UTF-8/);
    expectSafetensorsError(() => readSafetensors(rawFile('\ufeff{}')), /not valid JSON/);
    expectSafetensorsError(() => readSafetensors(rawFile('{"a":')), /not valid JSON/);
    expectSafetensorsError(() => readSafetensors(rawFile('')), /not valid JSON/);
    expectSafetensorsError(() => readSafetensors(rawFile('[]')), /header is an array; expected a JSON object/);
    expectSafetensorsError(() => readSafetensors(rawFile('null')), /header is null; expected a JSON object/);
    expectSafetensorsError(() => readSafetensors(rawFile('7')), /header is a number; expected a JSON object/);
  });

  it('metadata that is not a string-to-string object (null means none)', () => {
    expectSafetensorsError(() => readSafetensors(rawFile({ __metadata__: [] })), /__metadata__ is an array/);
    expectSafetensorsError(() => readSafetensors(rawFile({ __metadata__: 'x' })), /__metadata__ is a string/);
    expectSafetensorsError(
      () => readSafetensors(rawFile({ __metadata__: { a: 'ok', b: 1 } })),
      /__metadata__ key "b" holds a number; expected every value to be a string/,
    );
    expect({ ...readSafetensors(rawFile({ __metadata__: null })).metadata }).toEqual({});
  });

  it('tensor entries that are not objects with dtype, shape and data_offsets', () => {
    expectSafetensorsError(() => readSafetensors(rawFile({ w: 1 })), /tensor "w" is a number; expected an object/);
    expectSafetensorsError(() => readSafetensors(rawFile({ w: [] })), /tensor "w" is an array/);
    for (const field of ['dtype', 'shape', 'data_offsets']) {
      const entry: Record<string, unknown> = f32([1], [0, 4]);
      delete entry[field];
      expectSafetensorsError(() => readSafetensors(rawFile({ w: entry }, [0, 0, 0, 0])), new RegExp(`tensor "w" has no "${field}"`));
    }
  });

  it('unknown dtypes, listing the valid ones', () => {
    for (const dtype of ['U16', 'f32', 'F8_E4M3', 3, null]) {
      expectSafetensorsError(
        () => readSafetensors(rawFile({ w: { dtype, shape: [], data_offsets: [0, 2] } }, [0, 0])),
        /tensor "w" has dtype .*; valid dtypes are I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL/,
      );
    }
  });

  it('shapes that are not lists of non-negative safe integers', () => {
    for (const shape of [[-1], [1.5], ['2'], '3', null, [2 ** 53], [1, null]]) {
      expectSafetensorsError(
        () => readSafetensors(rawFile({ w: { dtype: 'F32', shape, data_offsets: [0, 0] } })),
        /tensor "w" has shape .*; expected an array of non-negative integers/,
      );
    }
  });

  it('shapes whose byte size overflows, before allocating anything', () => {
    for (const shape of [
      [2 ** 26, 2 ** 26, 2 ** 26],
      [2 ** 50, 8],
      [2 ** 40, 2 ** 40, 0],
    ]) {
      expectSafetensorsError(
        () => readSafetensors(rawFile({ w: { dtype: 'F32', shape, data_offsets: [0, 0] } })),
        /tensor "w" has shape .* whose F32 byte size overflows/,
      );
    }
  });

  it('data_offsets that are not two integers with 0 ≤ begin ≤ end', () => {
    for (const offsets of [[0], [0, 4, 8], [-1, 3], [4, 0], 'x', [0, 1.5], [0, 2 ** 53], null]) {
      expectSafetensorsError(
        () => readSafetensors(rawFile({ w: { dtype: 'U8', shape: [4], data_offsets: offsets } }, [1, 2, 3, 4])),
        /tensor "w" has data_offsets .*; expected \[begin, end\] with integers 0 ≤ begin ≤ end/,
      );
    }
  });

  it('byte spans that differ from numel × dtype size', () => {
    expectSafetensorsError(
      () => readSafetensors(rawFile({ w: f32([2], [0, 4]) }, [0, 0, 0, 0])),
      /tensor "w" has data_offsets \[0, 4\] spanning 4 bytes; shape \[2\] of F32 needs 8 bytes/,
    );
  });

  it('overlapping offsets', () => {
    const header = { a: f32([2], [0, 8]), b: f32([2], [4, 12]) };
    expectSafetensorsError(
      () => readSafetensors(rawFile(header, new Uint8Array(12))),
      /tensor "b" with data_offsets \[4, 12\] overlaps tensor "a", which ends at 8/,
    );
  });

  it('gaps, and data that does not start at 0', () => {
    expectSafetensorsError(
      () => readSafetensors(rawFile({ a: f32([1], [0, 4]), b: f32([1], [8, 12]) }, new Uint8Array(12))),
      /tensor "b" with data_offsets \[8, 12\] leaves a gap of 4 bytes after tensor "a"/,
    );
    expectSafetensorsError(
      () => readSafetensors(rawFile({ a: f32([1], [4, 8]) }, new Uint8Array(8))),
      /tensor "a" with data_offsets \[4, 8\] is the first tensor but does not start at offset 0/,
    );
  });

  it('offsets that leave trailing bytes or run past the data', () => {
    expectSafetensorsError(
      () => readSafetensors(rawFile({ a: f32([1], [0, 4]) }, new Uint8Array(8))),
      /the tensors cover 4 bytes but the data buffer after the header holds 8/,
    );
    expectSafetensorsError(() => readSafetensors(rawFile({}, new Uint8Array(1))), /the tensors cover 0 bytes but the data buffer after the header holds 1/);
    expectSafetensorsError(
      () => readSafetensors(rawFile({ a: f32([2], [0, 8]) }, new Uint8Array(4))),
      /tensor "a" with data_offsets \[0, 8\] runs past the end of the 4-byte data buffer/,
    );
  });

  it('names with unpaired surrogate escapes (not valid Unicode)', () => {
    expectSafetensorsError(
      () => readSafetensors(rawFile('{"\\ud800x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}', [0, 0, 0, 0])),
      /unpaired UTF-16 surrogate/,
    );
  });

  it('accepts zero-size tensors anywhere in the layout and extra entry fields', () => {
    const header = {
      e0: { dtype: 'F32', shape: [0], data_offsets: [0, 0], extra: true },
      a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] },
      e1: { dtype: 'I64', shape: [3, 0], data_offsets: [2, 2] },
    };
    const t = readSafetensors(rawFile(header, [7, 9])).tensors;
    expect(Array.from(t['a'].data)).toEqual([7, 9]);
    expect(t['e1'].shape).toEqual([3, 0]);
    expect(t['e1'].data.length).toBe(0);
  });
});

describe('prototype safety', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it('reads dangerous names as ordinary keys without polluting Object.prototype', () => {
    const header: Record<string, unknown> = {};
    names.forEach((name, i) => {
      Object.defineProperty(header, name, { value: f32([1], [4 * i, 4 * i + 4]), enumerable: true });
    });
    const json = `{"__metadata__":{"__proto__":"x","constructor":"y"},${JSON.stringify(header).slice(1)}`;
    const data = new Uint8Array(new Float32Array([1, 2, 3, 4, 5]).buffer);
    const { tensors, metadata } = readSafetensors(rawFile(json, data));
    expect(Object.keys(tensors).sort()).toEqual([...names].sort());
    names.forEach((name, i) => expect(Array.from(tensors[name].data)).toEqual([i + 1]));
    expect(metadata['__proto__']).toBe('x');
    expect(metadata['constructor']).toBe('y');
    const plain: Record<string, unknown> = {};
    expect(plain['dtype']).toBeUndefined();
    expect(plain['shape']).toBeUndefined();
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(typeof plain.toString).toBe('function');
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
  });

  it('writes and reads back dangerous names', () => {
    const inputs: Record<string, SafetensorsTensorInput> = Object.create(null);
    for (const name of names) inputs[name] = { shape: [1], data: [name.length] };
    const metadata: Record<string, string> = JSON.parse('{"__proto__":"p","toString":"s"}');
    const file = readSafetensors(writeSafetensors(inputs, metadata));
    for (const name of names) expect(Array.from(file.tensors[name].data)).toEqual([name.length]);
    expect({ ...file.metadata }).toEqual({ ['__proto__']: 'p', toString: 's' });
    expect(({} as Record<string, unknown>)['p']).toBeUndefined();
  });
});

describe('writeSafetensors rejects invalid input', () => {
  it('reserved or invalid names', () => {
    expectSafetensorsError(() => writeSafetensors({ __metadata__: { shape: [], data: [1] } }), /reserved/);
    expectSafetensorsError(() => writeSafetensors({ 'a\ud800': { shape: [], data: [1] } }), /unpaired UTF-16 surrogate/);
  });

  it('bad dtypes, shapes and data lengths', () => {
    expectSafetensorsError(() => writeSafetensors({ w: { dtype: 'U16' as never, shape: [], data: [1] } }), /tensor "w" has dtype "U16"; valid dtypes are/);
    expectSafetensorsError(() => writeSafetensors({ w: { shape: [-1], data: [] } }), /tensor "w" has shape \[-1\]/);
    expectSafetensorsError(() => writeSafetensors({ w: { shape: [2, 2], data: [1, 2, 3] } }), /has 3 data elements; shape \[2,2\] needs 4/);
    expectSafetensorsError(() => writeSafetensors({ w: { shape: [1], data: null as never } }), /has data null/);
    expectSafetensorsError(() => writeSafetensors({ w: 3 as never }), /tensor "w" is a number/);
  });

  it('values that do not fit the dtype', () => {
    const cases: Array<[SafetensorsDType, number, RegExp]> = [
      ['I8', 128, /\(I8\): element 0 is 128; expected an integer in \[-128, 127\]/],
      ['U8', -1, /\(U8\): element 0 is -1/],
      ['I16', 1.5, /\(I16\): element 0 is 1.5/],
      ['I32', NaN, /\(I32\): element 0 is NaN/],
      ['I64', 2 ** 53, /\(I64\): element 0 is 9007199254740992/],
      ['BOOL', 2, /\(BOOL\): element 0 is 2; expected an integer in \[0, 1\]/],
      ['F32', 'a' as never, /\(F32\): element 0 is string; expected a number/],
    ];
    for (const [dtype, value, message] of cases) {
      expectSafetensorsError(() => writeSafetensors({ w: { dtype, shape: [1], data: [value] } }), message);
    }
  });

  it('metadata that is not string-to-string', () => {
    expectSafetensorsError(() => writeSafetensors({}, { a: 1 } as never), /metadata key "a" holds a number/);
    expectSafetensorsError(() => writeSafetensors({}, [] as never), /metadata is an array/);
  });
});

// ---------------------------------------------------------------------------
// Property-based tests
// ---------------------------------------------------------------------------

/** Values exactly representable in `dtype`, with the value reading them back gives. */
function valuesFor(dtype: SafetensorsDType, n: number): fc.Arbitrary<number[]> {
  const bounds = INT_RANGES[dtype];
  if (bounds) return fc.array(fc.integer({ min: bounds[0], max: bounds[1] }), { minLength: n, maxLength: n });
  if (dtype === 'F16' || dtype === 'BF16') {
    const data = readSafetensors(
      rawFile({ t: { dtype, shape: [65536], data_offsets: [0, 131072] } }, new Uint8Array(Uint16Array.from({ length: 65536 }, (_, i) => i).buffer)),
    ).tensors['t'].data;
    return fc.array(
      fc.integer({ min: 0, max: 65535 }).map((h) => data[h]),
      { minLength: n, maxLength: n },
    );
  }
  return fc.array(fc.float(), { minLength: n, maxLength: n }); // float32 values, incl. NaN, ±0, ±Inf
}

const tensorArb: fc.Arbitrary<SafetensorsTensorInput & { dtype: SafetensorsDType }> = fc
  .tuple(fc.constantFrom(...SAFETENSORS_DTYPES), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }))
  .chain(([dtype, shape]) =>
    valuesFor(
      dtype,
      shape.reduce((a, b) => a * b, 1),
    ).map((data) => ({ dtype, shape, data })),
  );

const nameArb = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => s !== '__metadata__');

const fileArb = fc.record({
  tensors: fc.uniqueArray(fc.tuple(nameArb, tensorArb), { selector: ([name]) => name, maxLength: 6 }),
  metadata: fc.option(fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 3 }), {
    nil: undefined,
  }),
});

function toRecord<T>(pairs: Array<[string, T]>): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

describe('property-based', () => {
  it('random valid tensor sets round-trip exactly, and rewriting is byte-identical', () => {
    fc.assert(
      fc.property(fileArb, ({ tensors, metadata }) => {
        const inputs = toRecord(tensors);
        const meta = metadata === undefined ? undefined : toRecord(metadata);
        const bytes = writeSafetensors(inputs, meta);
        const file = readSafetensors(bytes);
        expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(inputs).sort());
        for (const [name, input] of tensors) {
          const t = file.tensors[name];
          expect(t.dtype).toBe(input.dtype);
          expect(t.shape).toEqual(input.shape);
          const want = input.dtype === 'F32' ? Float32Array.from(input.data) : input.data;
          expect(sameValues(t.data, want)).toBe(true);
        }
        expect({ ...file.metadata }).toEqual({ ...(meta ?? {}) });
        expect(writeSafetensors(file.tensors, file.metadata)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  const corruptArb = fc.tuple(
    fileArb,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.boolean(),
  );

  it('corrupted or truncated files parse consistently or throw SafetensorsError', () => {
    fc.assert(
      fc.property(corruptArb, ([{ tensors, metadata }, edits, cut, headerOnly]) => {
        const bytes = writeSafetensors(toRecord(tensors), metadata === undefined ? undefined : toRecord(metadata));
        const headerEnd = 8 + new DataView(bytes.buffer).getUint32(0, true);
        const span = headerOnly ? headerEnd : bytes.length;
        for (const [pos, value] of edits) bytes[pos % span] = value;
        const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        let file;
        try {
          file = readSafetensors(input);
        } catch (e) {
          expect(e).toBeInstanceOf(SafetensorsError);
          return;
        }
        let total = 0;
        for (const name of Object.keys(file.tensors)) {
          const t = file.tensors[name];
          expect(isSafetensorsDType(t.dtype)).toBe(true);
          const numel = t.shape.reduce((a, b) => a * b, 1);
          expect(t.data.length).toBe(numel);
          total += numel * { I64: 8, F64: 8, F32: 4, I32: 4, BF16: 2, F16: 2, I16: 2, I8: 1, U8: 1, BOOL: 1 }[t.dtype];
        }
        const headerLength = new DataView(input.buffer, input.byteOffset).getUint32(0, true);
        expect(total).toBe(input.length - 8 - headerLength);
      }),
      { numRuns: 300 },
    );
  });
});
