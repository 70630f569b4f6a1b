/**
 * ONNX export of tfjs models and running them with onnxruntime-node.
 *
 * @example
 * ```ts
 * import { exportOnnx, runOnnx } from 'tfjs-resnet';
 * const y = await runOnnx(exportOnnx(resnet50()), tf.zeros([1, 224, 224, 3]));
 * ```
 * @module
 */
export { exportOnnx, DEFAULT_EXPORT_ONNX_OPTIONS, ONNX_OPSETS } from './export.js';
export type { ExportOnnxOptions, Int8ExportOnnxOptions } from './export.js';
export { CALIBRATION_METHODS, DEFAULT_QUANTIZE_OPTIONS } from './quantize.js';
export type { ActivationType, CalibrationMethod, OnnxQuantizeOptions } from './quantize.js';
export { createOnnxSession, runOnnx } from './run.js';
export type { OnnxRunOptions, OnnxSession } from './run.js';
export type { OnnxLowering, OnnxLoweringContext, OnnxValue } from './lowering.js';
export type { OnnxAttributeValue, OnnxElementType } from './proto.js';
