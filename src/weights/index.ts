/**
 * Weight files: safetensors and PyTorch checkpoints.
 *
 * @module
 */
export * from './safetensors.js';
export { SAFETENSORS_DTYPES, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';
export { loadPyTorchWeights, type PyTorchWeightsSource, type LoadPyTorchWeightsOptions } from './load-pytorch.js';
export { readPyTorchCheckpoint, DEFAULT_CHECKPOINT_OPTIONS, type PyTorchCheckpoint, type PyTorchCheckpointOptions, type PyTorchTensor } from './checkpoint.js';
export type { PyTorchCheckpointInfo } from './checkpoint-info.js';
export { PYTORCH_DTYPES, type PyTorchDType } from './pytorch-tensors.js';
export type { PyTorchFileFormat } from './pytorch-file.js';
export { exportPyTorchWeights } from './export-pytorch.js';
export { pytorchStateDictSpec, type StateDictEntry } from './state-dict.js';
export { registerWeightMapping, type WeightMapping, type WeightParam, type ConstantBuffer } from './weight-mapping.js';
export { WEIGHT_LAYOUTS, type WeightLayout, type WeightLayoutName } from './weight-layout.js';
export { loadKerasWeights, kerasWeightKey, type KerasWeightsSource, type KerasWeightData } from './load-keras.js';
export { DEFAULT_LOAD_WEIGHTS_OPTIONS, type LoadWeightsOptions, type LoadReport, type WeightsProgress } from './load-options.js';
export type { TensorMap } from './weight-source.js';
export { withWeightsDtype, WEIGHTS_DTYPES, type WeightsDtype } from './weights-dtype.js';
