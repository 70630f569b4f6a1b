/**
 * Fast inference: BatchNorm folding and activation fusion for tfjs, and the
 * layer-graph IR shared with the ONNX exporter.
 *
 * @example
 * ```ts
 * import { optimizeForInference } from 'tfjs-resnet';
 * const fast = optimizeForInference(resnet50());
 * ```
 * @module
 */
export { optimizeForInference } from './optimize.js';
export type { OptimizeForInferenceOptions } from './optimize.js';
export { registerInferenceRule } from './rules.js';
export type { InferenceRule } from './rules.js';
export { layerGraph } from './graph.js';
export type { GraphNode, LayerGraph } from './graph.js';
