import type * as tf from '@tensorflow/tfjs';
import type { OnnxAttributeValue, OnnxElementType } from './proto.js';

/**
 * A value of the ONNX graph being written, as a lowering sees it. Rank-4
 * values are stored NCHW inside the graph (channels on axis 1); `shape` is
 * always the tfjs (NHWC) shape, `null` for unknown dimensions.
 *
 * @example
 * ```ts
 * const lower: OnnxLowering = (ctx) => {
 *   const x: OnnxValue = ctx.inputs[0];
 *   return ctx.node('Neg', [x.name]);
 * };
 * ```
 */
export interface OnnxValue {
  /** Its name in the ONNX graph. */
  readonly name: string;
  /** Its tfjs shape (NHWC for rank 4), batch first. */
  readonly shape: readonly (number | null)[];
  /** Known to be ≥ 0 (e.g. after a ReLU); lets zero padding merge into a following MaxPool. */
  readonly nonNegative?: boolean;
}

/**
 * What a lowering is given to write one application of a layer as ONNX nodes.
 *
 * @example
 * ```ts
 * registerInferenceRule('Scale', {
 *   onnx: (ctx) => {
 *     const factor = ctx.constant([Number(ctx.config.factor)], []);
 *     return ctx.node('Mul', [ctx.inputs[0].name, factor]);
 *   },
 * });
 * ```
 */
export interface OnnxLoweringContext {
  /** The layer being lowered. */
  readonly layer: tf.layers.Layer;
  /** Its configuration, as `layer.getConfig()` returns it. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Its inputs (rank-4 ones NCHW). */
  readonly inputs: readonly OnnxValue[];
  /** The tfjs (NHWC) shapes of its outputs. */
  readonly outputShapes: ReadonlyArray<readonly (number | null)[]>;
  /** The opset being written. */
  readonly opset: number;
  /** Adds a node of the default ONNX domain; returns its output value names. */
  node(opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttributeValue>, outputs?: number): string[];
  /** Adds a constant initializer; returns its value name. */
  constant(values: ArrayLike<number>, dims: readonly number[], type?: OnnxElementType): string;
}

/**
 * Writes one application of a layer as ONNX nodes and returns the value names
 * of the layer's outputs (rank-4 outputs NCHW). Register one for a custom
 * layer class with {@link registerInferenceRule}.
 *
 * @example
 * ```ts
 * const hardSwish: OnnxLowering = (ctx) => ctx.node('HardSwish', [ctx.inputs[0].name]);
 * registerInferenceRule('HardSwishLayer', { onnx: hardSwish });
 * ```
 */
export type OnnxLowering = (ctx: OnnxLoweringContext) => readonly string[];
