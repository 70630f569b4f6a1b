/**
 * A TensorFlow.js backend this library knows how to activate:
 * `tensorflow` (native TensorFlow through the optional `@tensorflow/tfjs-node`),
 * `wasm` (`@tensorflow/tfjs-backend-wasm`), `webgl` (browsers) and `cpu` (pure JS).
 *
 * @example
 * ```ts
 * const name: BackendName = await useBestBackend();
 * ```
 */
export type BackendName = 'tensorflow' | 'wasm' | 'webgl' | 'cpu';

/**
 * Every {@link BackendName}, for validation and messages.
 *
 * @example
 * ```ts
 * BACKEND_NAMES.includes('wasm'); // true
 * ```
 */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'webgl', 'cpu'];

/**
 * The default order of {@link UseBestBackendOptions.prefer}: native TensorFlow
 * when `@tensorflow/tfjs-node` is installed, else WebAssembly, else plain JS.
 *
 * @example
 * ```ts
 * await useBestBackend({ prefer: ['webgl', ...DEFAULT_BACKEND_PREFERENCE] }); // GPU first in browsers
 * ```
 */
export const DEFAULT_BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
