import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx, ELEMENT_TYPES } from './proto.js';
import { loadOrt, sessionOptions } from './run.js';

/** A batch of calibration images as onnxruntime takes them. @internal */
export interface CalibrationBatch {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** The range of values a tensor is quantized over. @internal */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** How {@link calibrationRanges} reads ranges. @internal */
export interface RangeOptions {
  readonly method: 'minmax' | 'percentile' | 'mse';
  /** Integer levels of the quantized type (`'mse'`): 256 for 8 bits. */
  readonly levels: number;
  /** The percentile kept at each end (`'percentile'`). */
  readonly percentile: number;
  readonly threads?: number;
}

/** Histogram bins of the percentile method (over each tensor's min–max range). */
const BINS = 4096;

/**
 * Runs an fp32 ONNX model in onnxruntime on the calibration batches with the
 * named intermediate tensors as extra outputs and returns each one's range:
 * min–max, or the given percentile at each end (from a histogram over the
 * min–max range, a second pass).
 * @internal
 */
export async function calibrationRanges(
  proto: OnnxTypes.IModelProto,
  names: readonly string[],
  batches: readonly CalibrationBatch[],
  options: RangeOptions,
): Promise<Map<string, ValueRange>> {
  const graph = proto.graph!;
  // A symbolic batch: the calibration batches need not match a fixed export batch (exportOnnx's `batch`).
  const input = (graph.input ?? []).map(anyBatch);
  const outputs = [...(graph.output ?? []).map(anyBatch), ...names.map((name) => ({ name, type: { tensorType: { elemType: ELEMENT_TYPES.float32 } } }))];
  const bytes = onnx.ModelProto.encode({ ...proto, graph: { ...graph, input, output: outputs } }).finish();
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(bytes, await sessionOptions({ threads: options.threads }, 'exportOnnx'));
  const inputName = session.inputNames[0];
  /** Calls `visit` with every named tensor's values of every batch. */
  const pass = async (visit: (name: string, values: Float32Array) => void): Promise<void> => {
    for (const b of batches) {
      const feed = new ort.Tensor('float32', b.data, [...b.dims]);
      const results = await session.run({ [inputName]: feed }, [...names]);
      for (const name of names) {
        const r = results[name];
        visit(name, r.data as Float32Array);
        r.dispose();
      }
      feed.dispose();
    }
  };
  try {
    const lo = new Map(names.map((n) => [n, Infinity]));
    const hi = new Map(names.map((n) => [n, -Infinity]));
    await pass((name, v) => {
      let a = lo.get(name)!;
      let z = hi.get(name)!;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x < a) a = x;
        if (x > z) z = x;
      }
      lo.set(name, a);
      hi.set(name, z);
    });
    const minmax = new Map(names.map((n) => [n, { min: lo.get(n)!, max: hi.get(n)! }]));
    if (options.method === 'minmax') return minmax;

    const hist = new Map(names.map((n) => [n, new Float64Array(BINS)]));
    await pass((name, v) => {
      const { min, max } = minmax.get(name)!;
      const h = hist.get(name)!;
      const k = max > min ? BINS / (max - min) : 0;
      for (let i = 0; i < v.length; i++) h[Math.min(BINS - 1, Math.floor((v[i] - min) * k))]++;
    });
    return new Map(
      names.map((name) => {
        const range = minmax.get(name)!;
        const h = hist.get(name)!;
        return [name, options.method === 'mse' ? mseRange(h, range, options.levels) : percentileRange(h, range, options.percentile)];
      }),
    );
  } finally {
    await session.release();
  }
}

/** A graph input or output whose first (batch) dimension is symbolic. */
function anyBatch(v: OnnxTypes.IValueInfoProto): OnnxTypes.IValueInfoProto {
  const tensorType = v.type?.tensorType;
  const dim = tensorType?.shape?.dim;
  if (!tensorType || !dim || dim.length === 0) return v;
  return { ...v, type: { ...v.type, tensorType: { ...tensorType, shape: { dim: [{ dimParam: 'calibration_batch' }, ...dim.slice(1)] } } } };
}

/** The range between the given percentile at each end of a histogram over `min`–`max`. */
function percentileRange(h: Float64Array, { min, max }: ValueRange, percentile: number): ValueRange {
  const total = h.reduce((a, b) => a + b, 0);
  const width = (max - min) / h.length;
  const cut = (1 - percentile / 100) * total;
  let below = 0;
  let first = 0;
  while (first < h.length - 1 && below + h[first] <= cut) below += h[first++];
  let above = 0;
  let last = h.length - 1;
  while (last > first && above + h[last] <= cut) above += h[last--];
  return { min: min + first * width, max: min + (last + 1) * width };
}

/**
 * The range `[α·min, α·max]` (0 always inside, as quantization keeps it)
 * whose quantization to `levels` steps has the least expected squared error
 * over the histogram: clipping error outside, step²/12 inside.
 */
function mseRange(h: Float64Array, { min, max }: ValueRange, levels: number): ValueRange {
  const lo0 = Math.min(min, 0);
  const hi0 = Math.max(max, 0);
  if (!(hi0 > lo0)) return { min: lo0, max: hi0 };
  const width = (max - min) / h.length;
  let best = { min: lo0, max: hi0 };
  let bestErr = Infinity;
  for (let k = 100; k >= 10; k--) {
    const a = k / 100;
    const lo = lo0 * a;
    const hi = hi0 * a;
    const step = (hi - lo) / (levels - 1);
    let err = 0;
    for (let b = 0; b < h.length; b++) {
      if (h[b] === 0) continue;
      const v = min + (b + 0.5) * width;
      const d = v < lo ? lo - v : v > hi ? v - hi : 0;
      err += h[b] * (d > 0 ? d * d : (step * step) / 12);
    }
    if (err < bestErr) {
      bestErr = err;
      best = { min: lo, max: hi };
    }
  }
  return best;
}
