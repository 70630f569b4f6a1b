import type * as tf from '@tensorflow/tfjs';
import { inferencePlan } from '../inference/plan.js';
import { registeredRule } from '../inference/rules.js';
import { configOf, layerLabel } from '../inference/layer-config.js';
import type { GraphNode } from '../inference/graph.js';
import { ConfigError } from '../errors.js';
import { checkInteger, checkOneOf } from '../validate.js';
import { OnnxGraphBuilder, type Value } from './builder.js';
import { builtinClasses, builtinLowering, fromNhwc, NCHW_TO_NHWC, type BuiltinLowering } from './layers.js';
import type { OnnxLowering, OnnxLoweringContext } from './lowering.js';
import { irVersionFor, onnx, valueInfo } from './proto.js';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { quantizeModelProto, quantizeSettings, type OnnxQuantizeOptions } from './quantize.js';

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions = { opset: 17, batch: 1 };
 * ```
 */
export interface ExportOnnxOptions {
  /**
   * The ONNX opset to write, 13 to 21.
   * @defaultValue 17
   */
  opset?: number;
  /**
   * A fixed batch size; by default the batch dimension is symbolic (`'batch'`).
   * @defaultValue dynamic
   */
  batch?: number;
}

/**
 * Options of {@link exportOnnx} writing an int8-quantized model.
 *
 * @example
 * ```ts
 * const options: Int8ExportOnnxOptions = { quantize: 'int8', calibration: images, method: 'percentile' };
 * ```
 */
export interface Int8ExportOnnxOptions extends ExportOnnxOptions, OnnxQuantizeOptions {
  /** Static post-training int8 quantization (QDQ format), calibrated on {@link OnnxQuantizeOptions.calibration}. */
  quantize: 'int8';
}

/** Defaults of {@link ExportOnnxOptions}, stated once. */
export const DEFAULT_EXPORT_ONNX_OPTIONS = {
  /** Default of {@link ExportOnnxOptions.opset}. */
  opset: 17,
} as const;

/** The opsets {@link exportOnnx} writes. */
export const ONNX_OPSETS: readonly number[] = [13, 14, 15, 16, 17, 18, 19, 20, 21];

/** The ONNX dims of a tfjs shape: the batch as given, unknown others symbolic. */
function onnxDims(shape: readonly (number | null)[], batch: number | string, name: string): Array<number | string> {
  return shape.map((d, i) => (i === 0 ? batch : (d ?? `${name}_dim${i}`)));
}

function unsupported(node: GraphNode): ConfigError {
  return new ConfigError(
    `exportOnnx: ${layerLabel(node.layer)} cannot be exported: class "${node.className}" has no ONNX lowering. ` +
      `Supported classes: ${builtinClasses().join(', ')} and those removed at inference (Dropout, DropPath…); ` +
      `register one with registerInferenceRule("${node.className}", { onnx: (ctx) => [...] })`,
  );
}

/** The public lowering context of a registered rule. */
function publicContext(b: OnnxGraphBuilder, node: GraphNode, inputs: readonly Value[], opset: number): OnnxLoweringContext {
  return {
    layer: node.layer,
    config: configOf(node.layer),
    inputs,
    outputShapes: node.outputs.map((t) => t.shape),
    opset,
    node: (opType, ins, attributes, outputs) => b.node(opType, ins, attributes, outputs),
    constant: (values, dims, type) => b.constant(values, dims, type),
  };
}

/**
 * Writes a model as ONNX bytes for onnxruntime (or any ONNX runtime): same
 * NHWC input(s) and the same outputs, under the model's input and output
 * names. Inside, the graph runs NCHW — one Transpose after each rank-4 input
 * and one before each rank-4 output, nothing in between — with every
 * BatchNormalization folded into its convolution (as
 * {@link optimizeForInference} does), explicit zero padding merged into the
 * following Conv or MaxPool, and grouped convolutions as Conv `group`.
 *
 * Supported layers: Conv2D, GroupedConv2D, BatchNormalization, Dense,
 * Activation/ReLU/LeakyReLU/Softmax, Add/Multiply/Subtract/Maximum/Minimum/
 * Average/Concatenate, Max/AveragePooling2D, GlobalMax/AveragePooling2D,
 * ZeroPadding2D, Flatten, Reshape; Dropout-like layers and DropPath vanish.
 * Any other class throws a {@link ConfigError} naming it — unless a rule was
 * registered for it with {@link registerInferenceRule}.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * const bytes = exportOnnx(resnet50(), { opset: 17 });
 * writeFileSync('resnet50.onnx', bytes);
 * const probs = await runOnnx(bytes, tf.zeros([1, 224, 224, 3]));
 * ```
 */
export function exportOnnx(model: tf.LayersModel, options?: ExportOnnxOptions): Uint8Array;
/**
 * Writes a model as int8-quantized ONNX bytes (static post-training
 * quantization in the QDQ format, calibrated on `options.calibration` in
 * onnxruntime-node); see {@link Int8ExportOnnxOptions} and the deployment
 * guide for what is quantized and what it costs. Resolves to the bytes;
 * rejects with a {@link ShapeError} or {@link ConfigError} naming what is
 * wrong with the calibration input or options.
 *
 * @example
 * ```ts
 * const calibration = tf.stack(images.map((im) => preprocess(im))) as tf.Tensor4D;
 * const int8 = await exportOnnx(model, { quantize: 'int8', calibration });
 * calibration.dispose();
 * const logits = await runOnnx(int8, x);
 * ```
 */
export function exportOnnx(model: tf.LayersModel, options: Int8ExportOnnxOptions): Promise<Uint8Array>;
export function exportOnnx(model: tf.LayersModel, options: ExportOnnxOptions | Int8ExportOnnxOptions = {}): Uint8Array | Promise<Uint8Array> {
  const quantize = (options as { quantize?: unknown }).quantize;
  if (quantize === undefined) return onnx.ModelProto.encode(onnxModelProto(model, options)).finish();
  checkOneOf(quantize, ['int8'], 'exportOnnx', 'quantize');
  return exportInt8(model, options as Int8ExportOnnxOptions);
}

/** The ONNX model of a LayersModel, not yet encoded (see {@link exportOnnx}). @internal */
export function onnxModelProto(model: tf.LayersModel, options: ExportOnnxOptions = {}): OnnxTypes.IModelProto {
  const where = 'exportOnnx';
  const opset = checkOneOf(options.opset ?? DEFAULT_EXPORT_ONNX_OPTIONS.opset, ONNX_OPSETS, where, 'opset');
  const batch = options.batch === undefined ? 'batch' : checkInteger(options.batch, where, 'batch');
  const plan = inferencePlan(model);
  const graph = plan.graph;
  // Every surviving layer's lowering, found before anything is written.
  const lowerings = new Map<GraphNode, { builtin: BuiltinLowering } | { rule: OnnxLowering }>();
  for (const node of graph.nodes) {
    if (plan.isRemoved(node)) continue;
    const builtin = builtinLowering(node.className);
    const rule = registeredRule(node.className)?.onnx;
    if (builtin !== undefined) lowerings.set(node, { builtin });
    else if (rule !== undefined) lowerings.set(node, { rule });
    else throw unsupported(node);
  }

  const b = new OnnxGraphBuilder();
  const inputNames = model.inputNames.map((n) => b.reserve(n));
  const outputNames = model.outputNames.map((n) => b.reserve(n));
  const values = new Map<number, Value>();
  const graphInputs = graph.inputs.map((t, i) => {
    if (t.dtype !== 'float32') throw new ConfigError(`${where}: input "${inputNames[i]}" must be float32, got ${t.dtype}`);
    b.scope = inputNames[i];
    values.set(t.id, { name: fromNhwc(b, inputNames[i], t.rank), shape: t.shape });
    return valueInfo(inputNames[i], onnxDims(t.shape, batch, inputNames[i]));
  });

  const valueOf = (t: tf.SymbolicTensor): Value => {
    const v = values.get(plan.resolve(t).id);
    if (v === undefined) throw new ConfigError(`${where}: tensor "${t.name}" is used before it is computed`);
    return v;
  };
  for (const [node, lowering] of lowerings) {
    b.scope = node.layer.name;
    const raw = node.inputs.map(valueOf);
    let outs: Value[];
    if ('builtin' in lowering) {
      const inputs = lowering.builtin.absorbsPadding ? raw : raw.map((v) => b.materialize(v));
      outs = lowering.builtin.lower({ b, plan, node, config: configOf(node.layer), inputs, where: layerLabel(node.layer) });
    } else {
      const names = lowering.rule(
        publicContext(
          b,
          node,
          raw.map((v) => b.materialize(v)),
          opset,
        ),
      );
      if (names.length !== node.outputs.length) {
        throw new ConfigError(`${where}: the ONNX rule of ${layerLabel(node.layer)} returned ${names.length} outputs, expected ${node.outputs.length}`);
      }
      outs = names.map((name, i) => ({ name, shape: node.outputs[i].shape }));
    }
    node.outputs.forEach((t, i) => values.set(t.id, outs[i]));
  }

  const graphOutputs = graph.outputs.map((t, i) => {
    const v = b.materialize(valueOf(t));
    b.scope = outputNames[i];
    b.node(t.rank === 4 ? 'Transpose' : 'Identity', [v.name], t.rank === 4 ? { perm: NCHW_TO_NHWC } : {}, [outputNames[i]]);
    return valueInfo(outputNames[i], onnxDims(t.shape, batch, outputNames[i]));
  });

  return {
    irVersion: irVersionFor(opset),
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'tfjs-resnet',
    graph: {
      name: model.name,
      node: b.nodes,
      initializer: b.initializers,
      input: graphInputs,
      output: graphOutputs,
    },
  };
}

async function exportInt8(model: tf.LayersModel, options: Int8ExportOnnxOptions): Promise<Uint8Array> {
  const settings = quantizeSettings(model, options, 'exportOnnx');
  const proto = onnxModelProto(model, options);
  return onnx.ModelProto.encode(await quantizeModelProto(proto, settings)).finish();
}
