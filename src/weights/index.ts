/**
 * Weight files: the safetensors format.
 *
 * @module
 */
export * from './safetensors.js';
export { SAFETENSORS_DTYPES, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';
