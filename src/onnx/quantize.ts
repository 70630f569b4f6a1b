import type * as tf from '@tensorflow/tfjs';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ConfigError, ShapeError } from '../errors.js';
import { checkBoolean, checkInteger, checkOneOf, describe, formatShape } from '../validate.js';
import { calibrationRanges, type CalibrationBatch, type ValueRange } from './calibrate.js';
import { attributeProto, tensorProto, type TensorElementType } from './proto.js';

/**
 * How activation ranges are read from the calibration images: `'minmax'` the
 * smallest and largest value seen; `'percentile'` the
 * {@link OnnxQuantizeOptions.percentile}-th percentile at each end (outliers
 * clipped, finer steps for the rest); `'mse'` the range `[α·min, α·max]`
 * whose 8-bit quantization has the least mean squared error over the
 * calibration values (clipping plus rounding).
 *
 * @example
 * ```ts
 * const method: CalibrationMethod = 'percentile';
 * ```
 */
export type CalibrationMethod = 'minmax' | 'percentile' | 'mse';

/** The calibration methods, for validation and the CLI. */
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'mse'];

/**
 * The integer type of quantized activations: `'uint8'` (onnxruntime's
 * u8s8 kernels, the fast path on x86) or `'int8'` (s8s8).
 *
 * @example
 * ```ts
 * const activations: ActivationType = 'uint8';
 * ```
 */
export type ActivationType = 'uint8' | 'int8';

/**
 * Options of int8 quantization: the calibration images and how ranges and
 * weights are quantized. Part of {@link Int8ExportOnnxOptions}.
 *
 * @example
 * ```ts
 * const options: OnnxQuantizeOptions = { calibration: images, method: 'minmax', reduceRange: false };
 * ```
 */
export interface OnnxQuantizeOptions {
  /**
   * Calibration images as the model takes them (preprocessed), one float32
   * NHWC batch `[n, height, width, channels]`, n ≥ 1; a hundred or so
   * representative images, not ones the model is evaluated on. Read, not
   * disposed.
   */
  calibration: tf.Tensor;
  /**
   * How activation ranges are calibrated.
   * @defaultValue 'percentile'
   */
  method?: CalibrationMethod;
  /**
   * The percentile of {@link CalibrationMethod | `'percentile'`}, in (50, 100].
   * @defaultValue 99.999
   */
  percentile?: number;
  /**
   * The integer type of activations.
   * @defaultValue 'uint8'
   */
  activations?: ActivationType;
  /**
   * 7-bit weights (range ±64), so that a u8×s8 pair sum can never saturate
   * the int16 intermediate of onnxruntime's AVX2 kernels (x86 CPUs without
   * VNNI) in any runtime; costs about 0.3 points of top-1 agreement with
   * fp32 (measured, see the deployment guide). By default weights use the
   * full ±127 range: exact on CPUs with VNNI (or AMX), on ARM, and in
   * {@link createOnnxSession} everywhere, which turns on onnxruntime's
   * `session.x64quantprecision` on x86-64 CPUs without VNNI. Set this when
   * the model will run on such CPUs in a runtime without that option.
   * @defaultValue false
   */
  reduceRange?: boolean;
  /**
   * Keep the first convolution (the stem, whose input is the image) in float.
   * @defaultValue false
   */
  floatStem?: boolean;
  /**
   * Keep the classifier (Gemm) in float.
   * @defaultValue false
   */
  floatClassifier?: boolean;
  /**
   * Keep the residual additions in float (otherwise they run as int8
   * additions).
   * @defaultValue false
   */
  floatAdds?: boolean;
  /**
   * Calibration images per onnxruntime run (memory: every intermediate
   * activation of a batch is held at once).
   * @defaultValue 8
   */
  calibrationBatch?: number;
  /**
   * Threads of onnxruntime during calibration.
   * @defaultValue onnxruntime's default
   */
  threads?: number;
}

/** Defaults of {@link OnnxQuantizeOptions}, stated once. */
export const DEFAULT_QUANTIZE_OPTIONS = {
  /** Default of {@link OnnxQuantizeOptions.method}. */
  method: 'percentile',
  /** Default of {@link OnnxQuantizeOptions.percentile}. */
  percentile: 99.999,
  /** Default of {@link OnnxQuantizeOptions.activations}. */
  activations: 'uint8',
  /** Default of {@link OnnxQuantizeOptions.reduceRange}. */
  reduceRange: false,
  /** Default of {@link OnnxQuantizeOptions.floatStem}. */
  floatStem: false,
  /** Default of {@link OnnxQuantizeOptions.floatClassifier}. */
  floatClassifier: false,
  /** Default of {@link OnnxQuantizeOptions.floatAdds}. */
  floatAdds: false,
  /** Default of {@link OnnxQuantizeOptions.calibrationBatch}. */
  calibrationBatch: 8,
} as const;

/** Validated quantization settings. @internal */
export interface QuantizeSettings {
  readonly method: CalibrationMethod;
  readonly percentile: number;
  readonly activations: ActivationType;
  readonly reduceRange: boolean;
  readonly floatStem: boolean;
  readonly floatClassifier: boolean;
  readonly floatAdds: boolean;
  readonly threads?: number;
  readonly batches: CalibrationBatch[];
}

/**
 * Checks quantization options and the calibration images against the model's
 * input; splits the images into batches. Throws a {@link ShapeError} for a
 * wrong rank, size or channel count and a {@link ConfigError} for no images,
 * non-float32 or non-finite values and bad options.
 * @internal
 */
export function quantizeSettings(model: tf.LayersModel, options: OnnxQuantizeOptions, where: string): QuantizeSettings {
  const d = DEFAULT_QUANTIZE_OPTIONS;
  const method = checkOneOf(options.method ?? d.method, CALIBRATION_METHODS, where, 'method');
  const percentile = options.percentile ?? d.percentile;
  if (typeof percentile !== 'number' || !(percentile > 50 && percentile <= 100)) {
    throw new ConfigError(`${where}: percentile must be a number in (50, 100], got ${describe(percentile)}`);
  }
  const activations = checkOneOf(options.activations ?? d.activations, ['uint8', 'int8'] as const, where, 'activations');
  const reduceRange = checkBoolean(options.reduceRange ?? d.reduceRange, where, 'reduceRange');
  const floatStem = checkBoolean(options.floatStem ?? d.floatStem, where, 'floatStem');
  const floatClassifier = checkBoolean(options.floatClassifier ?? d.floatClassifier, where, 'floatClassifier');
  const floatAdds = checkBoolean(options.floatAdds ?? d.floatAdds, where, 'floatAdds');
  const per = checkInteger(options.calibrationBatch ?? d.calibrationBatch, where, 'calibrationBatch');
  const threads = options.threads === undefined ? undefined : checkInteger(options.threads, where, 'threads');
  if (model.inputs.length !== 1) {
    throw new ConfigError(`${where}: int8 quantization supports models with one input, this one has ${model.inputs.length}`);
  }
  const x = options.calibration as unknown;
  const isTensor = typeof x === 'object' && x !== null && Array.isArray((x as tf.Tensor).shape) && typeof (x as tf.Tensor).dataSync === 'function';
  if (!isTensor) {
    throw new ConfigError(`${where}: calibration must be a tf.Tensor of preprocessed images [n, height, width, channels], got ${describe(x)}`);
  }
  const t = x as tf.Tensor;
  if (t.isDisposed) throw new ConfigError(`${where}: the calibration tensor is disposed`);
  const expected = model.inputs[0].shape;
  if (t.rank !== expected.length) {
    throw new ShapeError(
      `${where}: calibration must have rank ${expected.length} like the model input ${formatShape(expected)}, got rank ${t.rank} (shape ${formatShape(t.shape)})`,
    );
  }
  // Axis names of image inputs (NHWC); other inputs (e.g. [n, features]) by number.
  const names = expected.length === 4 ? ['batch', 'height', 'width', 'channels'] : [];
  for (let i = 1; i < expected.length; i++) {
    if (expected[i] !== null && expected[i] !== t.shape[i]) {
      throw new ShapeError(
        `${where}: calibration ${names[i] ?? `axis ${i}`} is ${t.shape[i]} but the model input ${formatShape(expected)} needs ${expected[i]} (calibration shape ${formatShape(t.shape)})`,
      );
    }
  }
  const n = t.shape[0];
  if (n === 0 || t.size === 0) throw new ConfigError(`${where}: calibration is empty (shape ${formatShape(t.shape)}); give at least one image`);
  if (t.dtype !== 'float32') throw new ConfigError(`${where}: calibration must be float32 (preprocessed images), got ${t.dtype}`);
  const data = t.dataSync() as Float32Array;
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const perImage = t.size / n;
    throw new ConfigError(
      `${where}: calibration image ${Math.floor(bad / perImage)} holds ${data[bad]} (element ${bad % perImage}); every value must be finite`,
    );
  }
  const perImage = t.size / n;
  const batches: CalibrationBatch[] = [];
  for (let i = 0; i < n; i += per) {
    const k = Math.min(per, n - i);
    batches.push({ data: data.subarray(i * perImage, (i + k) * perImage), dims: [k, ...t.shape.slice(1)] });
  }
  return { method, percentile, activations, reduceRange, floatStem, floatClassifier, floatAdds, threads, batches };
}

type Node = OnnxTypes.INodeProto;
type Initializer = OnnxTypes.ITensorProto;

/** Which tensors get a QuantizeLinear/DequantizeLinear pair and which nodes run in int8. */
interface QuantPlan {
  /** Quantized nodes (Conv, Gemm, Add). */
  readonly ops: Set<Node>;
  /** Relu nodes removed: the quantized node before writes the Relu's output (its Q clips at zero). */
  readonly folded: Map<Node, Node>;
  /** Quantized activation tensors, with the tensor whose range they use (a MaxPool output shares its input's). */
  readonly tensors: Map<string, string>;
}

const inputsOf = (n: Node): string[] => n.input ?? [];
const outputOf = (n: Node): string => (n.output ?? [])[0];

function planQuantization(graph: OnnxTypes.IGraphProto, s: QuantizeSettings): QuantPlan {
  const nodes = graph.node ?? [];
  const inits = new Set((graph.initializer ?? []).map((i) => i.name ?? ''));
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const consumers = new Map<string, Node[]>();
  for (const n of nodes) for (const i of inputsOf(n)) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const firstConv = nodes.find((n) => n.opType === 'Conv');
  const ops = new Set<Node>();
  for (const n of nodes) {
    const ins = inputsOf(n);
    if (n.opType === 'Conv' && inits.has(ins[1]) && (ins[2] === undefined || inits.has(ins[2])) && !(s.floatStem && n === firstConv)) ops.add(n);
    else if (n.opType === 'Gemm' && !s.floatClassifier && inits.has(ins[1]) && (ins[2] === undefined || inits.has(ins[2])) && isPlainGemm(n)) ops.add(n);
    else if (n.opType === 'Add' && !s.floatAdds && ins.length === 2 && ins.every((i) => !inits.has(i))) ops.add(n);
  }
  const folded = new Map<Node, Node>();
  const tensors = new Map<string, string>();
  for (const n of ops) {
    for (const i of n.opType === 'Add' ? inputsOf(n) : inputsOf(n).slice(0, 1)) tensors.set(i, i);
    if (n.opType === 'Gemm') continue; // the logits stay float
    const y = outputOf(n);
    const after = consumers.get(y) ?? [];
    if (after.length === 1 && after[0].opType === 'Relu' && !graphOutputs.has(y) && !graphOutputs.has(outputOf(after[0]))) {
      folded.set(after[0], n);
      tensors.set(outputOf(after[0]), outputOf(after[0]));
    } else {
      tensors.set(y, y);
    }
  }
  // A MaxPool of a quantized tensor runs in int8 with its input's scale.
  for (const n of nodes) {
    if (n.opType === 'MaxPool' && tensors.has(inputsOf(n)[0])) tensors.set(outputOf(n), tensors.get(inputsOf(n)[0])!);
  }
  return { ops, folded, tensors };
}

/** Gemm as the exporter writes it: y = x·W (+ b), no transposes, alpha = beta = 1. */
function isPlainGemm(n: Node): boolean {
  return (n.attribute ?? []).every((a) => (a.name === 'alpha' || a.name === 'beta' ? a.f === 1 : Number(a.i ?? 0) === 0));
}

/** Scale and zero point of an activation range (0 always representable). */
function activationParams(r: ValueRange, type: ActivationType): { scale: number; zeroPoint: number } {
  const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-128, 127];
  const lo = Math.min(r.min, 0);
  const hi = Math.max(r.max, 0);
  if (!(hi > lo)) return { scale: 1, zeroPoint: 0 };
  const scale = (hi - lo) / (qmax - qmin);
  const zeroPoint = Math.min(qmax, Math.max(qmin, Math.round(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** Float32 values of an initializer the exporter wrote (raw little-endian bytes). */
function floatsOf(init: Initializer): Float32Array {
  const raw = init.rawData;
  if (init.dataType !== 1 || raw == null) throw new ConfigError(`exportOnnx: initializer "${init.name}" is not raw float32`);
  const copy = raw.slice();
  return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

/**
 * Per-channel symmetric int8 weights along `axis` (the output channels):
 * scale = max|w| / qmax per channel.
 */
function quantizeWeights(w: Float32Array, dims: readonly number[], axis: 0 | 1, qmax: number): { q: Int8Array; scales: Float32Array } {
  const channels = dims[axis];
  const inner = axis === 0 ? w.length / channels : 1;
  const stride = axis === 0 ? 1 : channels;
  const channelOf = (i: number): number => (axis === 0 ? Math.floor(i / inner) : i % stride);
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)], Math.abs(w[i]));
  const scales = maxAbs.map((m) => (m > 0 ? m / qmax : 1));
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-qmax, Math.min(qmax, Math.round(w[i] / scales[channelOf(i)])));
  return { q, scales };
}

/**
 * Quantizes an fp32 ONNX model (as {@link onnxModelProto} writes it) to int8
 * QDQ form: activation ranges are calibrated in onnxruntime on the images of
 * `s`; each quantized Conv/Gemm gets per-channel symmetric int8 weights and an
 * int32 bias; activations are per-tensor uint8 (or int8). A Relu after a
 * quantized node is dropped: the QuantizeLinear after it, whose range starts
 * at zero, clips the same. onnxruntime fuses the DequantizeLinear → op →
 * QuantizeLinear groups into QLinearConv, QLinearAdd and int8 MatMul kernels.
 * @internal
 */
export async function quantizeModelProto(proto: OnnxTypes.IModelProto, s: QuantizeSettings): Promise<OnnxTypes.IModelProto> {
  const graph = proto.graph!;
  const plan = planQuantization(graph, s);
  const ranges = await calibrationRanges(proto, [...new Set(plan.tensors.values())], s.batches, {
    method: s.method,
    percentile: s.percentile,
    levels: 256,
    threads: s.threads,
  });

  const initializers = new Map((graph.initializer ?? []).map((i) => [i.name ?? '', i]));
  const added: Initializer[] = [];
  const used = new Set([...initializers.keys(), ...(graph.node ?? []).flatMap((n) => [...inputsOf(n), ...(n.output ?? [])])]);
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  const constant = (base: string, values: ArrayLike<number>, dims: readonly number[], type: TensorElementType): string => {
    const name = fresh(base);
    added.push(tensorProto(name, values, dims, type));
    return name;
  };
  const node = (opType: string, input: string[], output: string[], attrs: Record<string, number> = {}): Node => ({
    name: fresh(`${output[0]}/${opType}`),
    opType,
    input,
    output,
    attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
  });

  // Scale and zero point of every quantized tensor (shared by its Q and DQ).
  const params = new Map<string, { scale: number; zeroPoint: number; names: [string, string] }>();
  for (const [t, source] of plan.tensors) {
    const r = ranges.get(source);
    if (r === undefined) throw new ConfigError(`exportOnnx: no calibration range for "${source}"`);
    const p = activationParams(r, s.activations);
    params.set(t, {
      ...p,
      names: [constant(`${t}/scale`, [p.scale], [], 'float32'), constant(`${t}/zero_point`, [p.zeroPoint], [], s.activations)],
    });
  }

  const dequantized = new Map<string, string>();
  const qmax = s.reduceRange ? 64 : 127;
  const removed = new Set<string>();
  const out: Node[] = [];
  const rename = (name: string): string => dequantized.get(name) ?? name;
  /** A QuantizeLinear → DequantizeLinear pair after `y`, if it is quantized; its readers read the pair's output. */
  const quantizeAfter = (y: string): void => {
    const p = params.get(y);
    if (p === undefined) return;
    const q = fresh(`${y}/quantized`);
    const dq = fresh(`${y}/dequantized`);
    out.push(node('QuantizeLinear', [y, ...p.names], [q]), node('DequantizeLinear', [q, ...p.names], [dq]));
    dequantized.set(y, dq);
  };
  const reluOf = new Map([...plan.folded].map(([relu, op]) => [op, relu]));
  for (const input of graph.input ?? []) quantizeAfter(input.name ?? '');
  for (const n of graph.node ?? []) {
    if (plan.folded.has(n)) continue;
    const outputs = [...((reluOf.get(n) ?? n).output ?? [])];
    let inputs = inputsOf(n).map(rename);
    if (plan.ops.has(n) && (n.opType === 'Conv' || n.opType === 'Gemm')) {
      inputs = weightInputs(n, inputs, params.get(inputsOf(n)[0])!.scale);
    }
    out.push({ ...n, input: inputs, output: outputs });
    outputs.forEach(quantizeAfter);
  }

  /** The int8 weight and int32 bias of a Conv or Gemm, each behind a DequantizeLinear. */
  function weightInputs(n: Node, inputs: string[], inputScale: number): string[] {
    const [x, wName, bName] = inputs;
    const w = initializers.get(wName)!;
    const dims = (w.dims ?? []).map(Number);
    const axis = n.opType === 'Conv' ? 0 : 1;
    const { q, scales } = quantizeWeights(floatsOf(w), dims, axis, qmax);
    const channels = dims[axis];
    removed.add(wName);
    const wq = constant(`${wName}/int8`, q, dims, 'int8');
    const ws = constant(`${wName}/scale`, scales, [channels], 'float32');
    const wz = constant(`${wName}/zero_point`, new Int8Array(channels), [channels], 'int8');
    const wd = fresh(`${wName}/dequantized`);
    out.push(node('DequantizeLinear', [wq, ws, wz], [wd], { axis }));
    if (bName === undefined) return [x, wd];
    const bias = floatsOf(initializers.get(bName)!);
    removed.add(bName);
    const bs = scales.map((sc) => sc * inputScale);
    const bq = Int32Array.from(bias, (v, c) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(v / bs[c]))));
    const bqName = constant(`${bName}/int32`, bq, [channels], 'int32');
    const bsName = constant(`${bName}/scale`, bs, [channels], 'float32');
    const bzName = constant(`${bName}/zero_point`, new Int32Array(channels), [channels], 'int32');
    const bd = fresh(`${bName}/dequantized`);
    out.push(node('DequantizeLinear', [bqName, bsName, bzName], [bd], { axis: 0 }));
    return [x, wd, bd];
  }

  // Graph outputs read the float value itself (a quantized one is dequantized only for consumers).
  return {
    ...proto,
    producerName: 'tfjs-resnet (int8 QDQ)',
    graph: {
      ...graph,
      node: out,
      initializer: [...(graph.initializer ?? []).filter((i) => !removed.has(i.name ?? '')), ...added],
    },
  };
}
