import * as tf from '@tensorflow/tfjs';
import { WeightsError } from '../errors.js';
import type { DecodedData } from './tensor-bytes.js';

/** A file whose tensors are decoded one at a time (a safetensors file, a PyTorch checkpoint). @internal */
export interface LazyTensorFile {
  readonly entries: Readonly<Record<string, { readonly shape: number[] }>>;
  decode(name: string): { shape: number[]; data: DecodedData };
}

/**
 * Weights to load, handed out tensor by tensor so that a loader never holds
 * more than the source plus one converted tensor.
 * @internal
 */
export interface WeightSource {
  /** Every key with its shape, in the source's order. */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  /**
   * Runs `fn` inside `tf.tidy` on the float32 tensor of `key`, then lets the
   * source drop its copy of that entry.
   */
  use(key: string, fn: (t: tf.Tensor) => void): void;
  /** Releases whatever the source still holds. */
  dispose(): void;
}

/**
 * A source over a file opened lazily (safetensors, PyTorch checkpoint): each
 * entry is decoded and becomes a tfjs tensor only while it is used, so a load
 * holds the file's bytes plus one tensor.
 * @internal
 */
export function lazyFileSource(file: LazyTensorFile): WeightSource {
  const shapes = new Map<string, readonly number[]>();
  for (const key of Object.keys(file.entries)) shapes.set(key, file.entries[key].shape);
  return {
    shapes,
    use(key, fn) {
      const entry = file.decode(key);
      const data = entry.data instanceof Float32Array ? entry.data : Float32Array.from(entry.data);
      tf.tidy(() => fn(tf.tensor(data, entry.shape, 'float32')));
    },
    dispose() {},
  };
}

/**
 * Tensors by name, as a `Map` or a plain record.
 *
 * @example
 * ```ts
 * const weights: TensorMap = { 'fc.weight': tf.zeros([10, 512]), 'fc.bias': tf.zeros([10]) };
 * ```
 */
export type TensorMap = ReadonlyMap<string, tf.Tensor> | Readonly<Record<string, tf.Tensor>>;

/** Whether a value is a name → tensor `Map` or a record of tensors. @internal */
export function isTensorMap(value: unknown): value is TensorMap {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A source over tfjs tensors. With `owned` the tensors were created by the
 * loader (e.g. decoded from a weights manifest) and are disposed as they are
 * used; otherwise they belong to the caller and are left untouched.
 * @internal
 */
export function tensorMapSource(map: TensorMap, owned: boolean, fn: string): WeightSource {
  const tensors = new Map<string, tf.Tensor>(map instanceof Map ? map : Object.entries(map));
  const shapes = new Map<string, readonly number[]>();
  for (const [key, t] of tensors) {
    if (!(t instanceof tf.Tensor)) {
      throw new WeightsError(`${fn}: the value of "${key}" is not a tf.Tensor; a weights map must hold tensors by state-dict key`);
    }
    if (t.isDisposed) throw new WeightsError(`${fn}: the tensor of "${key}" is disposed; pass live tensors`);
    shapes.set(key, t.shape);
  }
  return {
    shapes,
    use(key, fn) {
      const t = tensors.get(key)!;
      tf.tidy(() => fn(t.dtype === 'float32' ? t : tf.cast(t, 'float32')));
      if (owned) t.dispose();
      tensors.delete(key);
    },
    dispose() {
      if (owned) for (const t of tensors.values()) t.dispose();
      tensors.clear();
    },
  };
}
