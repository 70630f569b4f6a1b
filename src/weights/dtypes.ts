/**
 * The safetensors element types this library reads and writes, with their
 * byte sizes and the order in which the reference writer lays them out.
 *
 * @module
 */

/**
 * Every safetensors dtype that {@link readSafetensors} and
 * {@link writeSafetensors} support, widest first.
 *
 * @example
 * ```ts
 * import { SAFETENSORS_DTYPES } from 'tfjs-resnet';
 * console.log(SAFETENSORS_DTYPES.join(', ')); // "I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL"
 * ```
 */
export const SAFETENSORS_DTYPES = ['I64', 'F64', 'F32', 'I32', 'BF16', 'F16', 'I16', 'I8', 'U8', 'BOOL'] as const;

/**
 * A safetensors element type, spelled as in the file header.
 *
 * @example
 * ```ts
 * import type { SafetensorsDType } from 'tfjs-resnet';
 * const dtype: SafetensorsDType = 'BF16';
 * ```
 */
export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  I64: 8,
  F64: 8,
  F32: 4,
  I32: 4,
  BF16: 2,
  F16: 2,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
});

/**
 * Position of each dtype in the reference implementation's `Dtype` enum
 * (BOOL < U8 < I8 < I16 < F16 < BF16 < I32 < F32 < F64 < I64); the reference
 * writer lays tensors out by this rank, descending, then by name.
 */
export const DTYPE_WRITE_RANK: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  BOOL: 0,
  U8: 1,
  I8: 2,
  I16: 3,
  F16: 4,
  BF16: 5,
  I32: 6,
  F32: 7,
  F64: 8,
  I64: 9,
});

/**
 * Whether a value is one of the supported safetensors dtype names.
 *
 * @example
 * ```ts
 * import { isSafetensorsDType } from 'tfjs-resnet';
 * isSafetensorsDType('F16'); // true
 * isSafetensorsDType('U16'); // false
 * ```
 */
export function isSafetensorsDType(value: unknown): value is SafetensorsDType {
  return typeof value === 'string' && (SAFETENSORS_DTYPES as readonly string[]).includes(value);
}
