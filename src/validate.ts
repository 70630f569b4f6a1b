import type * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from './errors.js';

/**
 * Throws a {@link ConfigError} unless `value` is an integer ≥ `min`.
 * `where` names the stage, block or model; `what` the argument.
 * @internal
 */
export function checkInteger(value: unknown, where: string, what: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(`${where}: ${what} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws a {@link ConfigError} unless `value` is `true` or `false`.
 * @internal
 */
export function checkBoolean(value: unknown, where: string, what: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(`${where}: ${what} must be true or false, got ${describe(value)}`);
  return value;
}

/**
 * Throws a {@link ConfigError} unless `value` is one of `valid`.
 * @internal
 */
export function checkOneOf<T>(value: unknown, valid: readonly T[], where: string, what: string): T {
  if (!valid.includes(value as T)) {
    throw new ConfigError(`${where}: unknown ${what} ${describe(value)}; valid values are ${valid.map((v) => describe(v)).join(', ')}`);
  }
  return value as T;
}

/**
 * The channel count of a rank-4 NHWC input shape.
 * @throws {@link ShapeError} for another rank or unknown channels.
 * @internal
 */
export function nhwcChannels(shape: ReadonlyArray<number | null>, where: string): number {
  if (shape.length !== 4) {
    throw new ShapeError(`${where}: expects a rank-4 NHWC input [batch, height, width, channels], got rank ${shape.length} (shape ${formatShape(shape)})`);
  }
  const c = shape[3];
  if (c == null) throw new ShapeError(`${where}: the channel count (last axis) must be known, got shape ${formatShape(shape)}`);
  return c;
}

/**
 * The channel count of an NHWC symbolic tensor; throws a {@link ShapeError}
 * for a rank other than 4 or unknown channels.
 * @internal
 */
export function channelsOf(x: tf.SymbolicTensor, where: string): number {
  return nhwcChannels(x.shape, where);
}

/**
 * Throws a {@link ConfigError} unless `value` is a probability in [0, 1).
 * @internal
 */
export function checkRate(value: unknown, where: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ConfigError(`${where}: ${what} must be a number in [0, 1), got ${describe(value)}`);
  }
  return value;
}

/** `[null, 56, 56, 64]` → `[?, 56, 56, 64]`. @internal */
export function formatShape(shape: ReadonlyArray<number | null>): string {
  return `[${shape.map((d) => (d == null ? '?' : String(d))).join(', ')}]`;
}

/** A short printable form of any value, for error messages. @internal */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
