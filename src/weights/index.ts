/**
 * Weight files: the safetensors format.
 *
 * @module
 */
export * from './safetensors.js';
export { SAFETENSORS_DTYPES, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';
export { loadPyTorchWeights, type PyTorchWeightsSource } from './load-pytorch.js';
export { exportPyTorchWeights } from './export-pytorch.js';
export { pytorchStateDictSpec, type StateDictEntry } from './state-dict.js';
export { registerWeightMapping, type WeightMapping, type WeightParam, type ConstantBuffer } from './weight-mapping.js';
export { WEIGHT_LAYOUTS, type WeightLayout, type WeightLayoutName } from './weight-layout.js';
export { loadKerasWeights, kerasWeightKey, type KerasWeightsSource, type KerasWeightData } from './load-keras.js';
export { DEFAULT_LOAD_WEIGHTS_OPTIONS, type LoadWeightsOptions, type LoadReport, type WeightsProgress } from './load-options.js';
export type { TensorMap } from './weight-source.js';
