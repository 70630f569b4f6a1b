/**
 * Picking and activating a TensorFlow.js backend: native TensorFlow, WebAssembly,
 * WebGL or plain JS.
 *
 * @example
 * ```ts
 * import { useBestBackend } from 'tfjs-resnet';
 * const backend = await useBestBackend(); // 'tensorflow' | 'wasm' | 'webgl' | 'cpu'
 * ```
 * @module
 */
export { useBestBackend, type UseBestBackendOptions } from './use-best-backend.js';
export { BACKEND_NAMES, DEFAULT_BACKEND_PREFERENCE, type BackendName } from './backend-name.js';
export { registerWasmTrainingKernels } from './wasm-training-kernels.js';
