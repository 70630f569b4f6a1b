import * as tf from '@tensorflow/tfjs';
import { WeightsError } from '../errors.js';
import { describe } from '../validate.js';
import type { WeightSource } from './weight-source.js';

/** Bytes per stored element of each manifest dtype (quantized weights: of the quantized dtype). */
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Copies bytes `[begin, end)` out of shards laid end to end. (tfjs's
 * `CompositeArrayBuffer` assumes every shard but the last has the first's
 * size, and misreads shards of other sizes.)
 */
function sliceShards(shards: readonly ArrayBuffer[], begin: number, end: number): ArrayBuffer {
  const out = new Uint8Array(end - begin);
  let start = 0;
  for (const shard of shards) {
    const stop = start + shard.byteLength;
    if (stop > begin && start < end) {
      const from = Math.max(begin, start);
      const to = Math.min(end, stop);
      out.set(new Uint8Array(shard, from - start, to - from), from - begin);
    }
    start = stop;
  }
  return out.buffer;
}

/** The flat weight specs of a tfjs weights manifest, validated. @internal */
export function manifestSpecs(manifest: unknown, fn: string): tf.io.WeightsManifestEntry[] {
  const ok = Array.isArray(manifest) && manifest.every((g) => typeof g === 'object' && g !== null && Array.isArray(g.weights));
  if (!ok) {
    throw new WeightsError(
      `${fn}: weightsManifest must be an array of groups { paths: string[], weights: [{ name, shape, dtype }] } as tfjs model.json files hold, got ${describe(manifest).slice(0, 120)}`,
    );
  }
  return (manifest as tf.io.WeightsManifestConfig).flatMap((g) => g.weights);
}

/**
 * A source over a weights manifest and its binary data: each weight is
 * decoded with `tf.io.decodeWeights` only when it is used (a tfjs tensor per
 * weight at a time, dequantizing if the manifest says so), keyed by
 * `keyOf(spec.name)`.
 * @internal
 */
export function manifestSource(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: tf.io.WeightData,
  keyOf: (name: string) => string,
  fn: string,
): WeightSource {
  const shards = Array.isArray(data) ? data : [data];
  const byteLength = shards.reduce((n, b) => n + b.byteLength, 0);
  const spans = new Map<string, { spec: tf.io.WeightsManifestEntry; begin: number; end: number }>();
  const shapes = new Map<string, readonly number[]>();
  let offset = 0;
  for (const spec of specs) {
    const where = `${fn}: manifest weight ${describe(spec?.name)}`;
    if (typeof spec?.name !== 'string' || !Array.isArray(spec.shape)) {
      throw new WeightsError(`${where} needs a string name and a shape array`);
    }
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const bytes = ELEMENT_BYTES[stored];
    if (bytes === undefined) {
      throw new WeightsError(`${where} has dtype ${describe(stored)}; valid weight dtypes are ${Object.keys(ELEMENT_BYTES).join(', ')}`);
    }
    const key = keyOf(spec.name);
    if (spans.has(key)) {
      throw new WeightsError(`${where} reads as "${key}", which an earlier weight of the manifest already does; weight names must be unique`);
    }
    const end = offset + bytes * spec.shape.reduce((a: number, b: number) => a * b, 1);
    spans.set(key, { spec, begin: offset, end });
    shapes.set(key, spec.shape);
    offset = end;
  }
  if (offset !== byteLength) {
    throw new WeightsError(
      `${fn}: the manifest describes ${offset} bytes of weights but the weight data holds ${byteLength}; ` +
        `pass the shards of this manifest, complete and in manifest order`,
    );
  }
  return {
    shapes,
    use(key, run) {
      const { spec, begin, end } = spans.get(key)!;
      const decoded = tf.io.decodeWeights(sliceShards(shards, begin, end), [spec])[spec.name];
      try {
        tf.tidy(() => run(decoded.dtype === 'float32' ? decoded : tf.cast(decoded, 'float32')));
      } finally {
        decoded.dispose();
      }
      spans.delete(key);
    },
    dispose() {
      spans.clear();
    },
  };
}
