import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { checkOneOf } from '../validate.js';
import { encodeFloat16 } from './float16.js';

/**
 * How {@link withWeightsDtype} stores float32 weights: `'float32'` as they
 * are, `'float16'` in half precision (half the bytes), `'uint8'` as 8-bit
 * affine codes with a per-tensor `min` and `scale` (a quarter of the bytes).
 *
 * @example
 * ```ts
 * const dtype: WeightsDtype = 'float16';
 * ```
 */
export type WeightsDtype = 'float32' | 'float16' | 'uint8';

/** The values of {@link WeightsDtype}. */
export const WEIGHTS_DTYPES: readonly WeightsDtype[] = ['float32', 'float16', 'uint8'];

type Spec = tf.io.WeightsManifestEntry;

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * The min and scale of tfjs-converter's uint8 weight quantization: the range
 * widened to hold 0, then nudged so that 0 is exactly a code.
 */
function uint8Range(values: Float32Array): { min: number; scale: number } {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zero = Math.round(-lo / scale);
  return { min: -zero * scale, scale };
}

/** Float16 bits of the values, or undefined if a finite value would become ±Infinity (|v| ≥ 65520). */
function toFloat16(values: Float32Array): Uint16Array | undefined {
  const bits = Uint16Array.from(values, encodeFloat16);
  return bits.every((b, i) => (b & 0x7fff) !== 0x7c00 || !Number.isFinite(values[i])) ? bits : undefined;
}

/** Float32 weights re-encoded as `dtype`, with the manifest's `quantization` field. */
function encodeWeights(specs: readonly Spec[], data: ArrayBuffer, dtype: 'float16' | 'uint8'): { specs: Spec[]; data: ArrayBuffer } {
  const parts: Uint8Array[] = [];
  const out: Spec[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization !== undefined) throw new ConfigError(`withWeightsDtype: weight "${spec.name}" is already quantized (${spec.quantization.dtype})`);
    const bytes = BYTES[spec.dtype];
    if (bytes === undefined)
      throw new ConfigError(`withWeightsDtype: weight "${spec.name}" has dtype ${spec.dtype}; only float32, int32 and bool weights can be saved`);
    const size = spec.shape.reduce((a, b) => a * b, 1) * bytes;
    if (offset + size > data.byteLength) {
      throw new ConfigError(
        `withWeightsDtype: weight "${spec.name}" [${spec.shape.join(', ')}] ends at byte ${offset + size}, the weight data has ${data.byteLength}`,
      );
    }
    const raw = new Uint8Array(data, offset, size);
    offset += size;
    if (spec.dtype !== 'float32') {
      parts.push(raw);
      out.push(spec);
      continue;
    }
    const values = new Float32Array(raw.slice().buffer);
    if (dtype === 'uint8') {
      const { min, scale } = uint8Range(values);
      parts.push(Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round((v - min) / scale)))));
      out.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
      continue;
    }
    const half = toFloat16(values);
    // A weight that half precision would turn into ±Infinity stays float32.
    parts.push(half === undefined ? raw : new Uint8Array(half.buffer));
    out.push(half === undefined ? spec : { ...spec, quantization: { dtype: 'float16' } });
  }
  if (offset !== data.byteLength) throw new ConfigError(`withWeightsDtype: the weight specs cover ${offset} bytes, the weight data has ${data.byteLength}`);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return { specs: out, data: joined.buffer };
}

/**
 * A save handler that stores a model's float32 weights as float16 or uint8
 * in the standard tfjs weights manifest (its `quantization` field, as
 * tfjs-converter writes it), then passes the model to `handler`. Plain
 * `tf.loadLayersModel` reads the result and expands the weights back to
 * float32: half (float16) or a quarter (uint8) of the download, for the
 * accuracy cost measured in the deployment guide. A float32 weight with a
 * value beyond float16's range (|v| ≥ 65520, e.g. a large BatchNorm
 * variance) stays float32 under `'float16'` rather than becoming infinite.
 *
 * @param handler - where to save (e.g. `nodeFileSystem` from `tfjs-resnet/node`, `'downloads://…'` via `tf.io.getSaveHandlers`).
 * @param dtype - how to store float32 weights; other weights (int32, bool) are kept.
 * @returns the wrapping handler.
 *
 * @example
 * ```ts
 * import { nodeFileSystem } from 'tfjs-resnet/node';
 * await model.save(withWeightsDtype(nodeFileSystem('web/resnet50'), 'float16'));
 * const again = await tf.loadLayersModel(nodeFileSystem('web/resnet50/model.json')); // float32 weights again
 * ```
 */
export function withWeightsDtype(handler: tf.io.IOHandler, dtype: WeightsDtype): tf.io.IOHandler {
  checkOneOf(dtype, WEIGHTS_DTYPES, 'withWeightsDtype', 'dtype');
  const save = handler.save;
  if (typeof save !== 'function') throw new ConfigError('withWeightsDtype: the handler cannot save (it has no save method)');
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (dtype === 'float32' || artifacts.weightSpecs === undefined || artifacts.weightData === undefined) return save.call(handler, artifacts);
      const { specs, data } = encodeWeights(artifacts.weightSpecs, tf.io.CompositeArrayBuffer.join(artifacts.weightData), dtype);
      return save.call(handler, { ...artifacts, weightSpecs: specs, weightData: data });
    },
  };
}
