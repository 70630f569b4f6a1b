/**
 * The one import of `onnx-proto` (and through it protobufjs). It is built as
 * its own file, `dist/onnx/onnx-proto.js` (CJS: `dist/onnx-proto.cjs`),
 * which package.json leaves out of `sideEffects`: a browser bundle that never
 * calls {@link exportOnnx} drops it, and with it about 130 kB of protobuf code
 * (see tsup.config.ts).
 * @internal
 * @module
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

/** The generated protobuf classes of ONNX (onnx-proto). @internal */
export const onnx: typeof OnnxTypes = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;
