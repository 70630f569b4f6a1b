/**
 * Exact IEEE half-precision (F16) and bfloat16 (BF16) conversion: decoding
 * keeps every value (subnormals, infinities, NaN payloads); encoding rounds
 * a double once, to nearest with ties to even, like PyTorch's casts.
 *
 * Internal to the safetensors reader and writer.
 *
 * @module
 */

const scratch = new DataView(new ArrayBuffer(8));

/** 2^k as an exact double, for -1022 ≤ k ≤ 1023. */
function pow2(k: number): number {
  scratch.setUint32(0, (k + 1023) << 20, false);
  scratch.setUint32(4, 0, false);
  return scratch.getFloat64(0, false);
}

/** floor(log2(a)) of a finite double a > 0, exactly. */
function exponentOf(a: number): number {
  scratch.setFloat64(0, a, false);
  const biased = (scratch.getUint32(0, false) >>> 20) & 0x7ff;
  if (biased === 0) return exponentOf(a * pow2(64)) - 64; // subnormal double
  return biased - 1023;
}

/** Rounds a non-negative double to an integer, ties to even. */
function roundHalfEven(r: number): number {
  const floor = Math.floor(r);
  const diff = r - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Bits of the binary floating-point format with `expBits` exponent bits and
 * `mantBits` stored mantissa bits nearest to `x` (ties to even); overflow
 * gives infinity, NaN the positive quiet NaN.
 */
function encodeSmallFloat(x: number, expBits: number, mantBits: number): number {
  const expAllOnes = (1 << expBits) - 1;
  const bias = (1 << (expBits - 1)) - 1;
  const minNormalExp = 1 - bias;
  const implicit = 1 << mantBits;
  if (Number.isNaN(x)) return (expAllOnes << mantBits) | (implicit >>> 1);
  const sign = x < 0 || Object.is(x, -0) ? 1 << (expBits + mantBits) : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | (expAllOnes << mantBits);
  if (a === 0) return sign;
  let e = Math.max(exponentOf(a), minNormalExp);
  // a / 2^(e - mantBits) is an exact scaling by a power of two.
  let m = roundHalfEven(a / pow2(e - mantBits));
  if (m === 2 * implicit) {
    m = implicit;
    e += 1;
  }
  if (m < implicit) return sign | m; // subnormal or zero
  const biasedExp = e + bias;
  if (biasedExp >= expAllOnes) return sign | (expAllOnes << mantBits);
  return sign | (biasedExp << mantBits) | (m - implicit);
}

/**
 * The F16 bit pattern nearest to `x` (round to nearest, ties to even).
 */
export function encodeFloat16(x: number): number {
  return encodeSmallFloat(x, 5, 10);
}

/**
 * The BF16 bit pattern nearest to `x` (round to nearest, ties to even).
 */
export function encodeBFloat16(x: number): number {
  return encodeSmallFloat(x, 8, 7);
}

/** The float32 bit pattern equal to the F16 bit pattern `h`. */
function float16ToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal half: mant · 2^-24 is a normal float32; find its bits.
  scratch.setFloat32(0, mant * pow2(-24), false);
  return (sign | scratch.getUint32(0, false)) >>> 0;
}

let f16Table: Uint32Array | undefined;

/**
 * Decodes F16 bit patterns into float32 values, bit-exactly (NaN payloads kept).
 */
export function decodeFloat16Into(src: Uint16Array, out: Float32Array): void {
  if (f16Table === undefined) {
    f16Table = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = float16ToFloat32Bits(h);
  }
  const table = f16Table;
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) bits[i] = table[src[i]];
}

/**
 * Decodes BF16 bit patterns into float32 values, bit-exactly (a BF16 value is
 * the upper half of a float32).
 */
export function decodeBFloat16Into(src: Uint16Array, out: Float32Array): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i] << 16;
}
