import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { isNode } from '../runtime/is-node.js';
import { BACKEND_NAMES, DEFAULT_BACKEND_PREFERENCE, type BackendName } from './backend-name.js';
import { importOptional } from './optional-import.js';
import { locateNodeWasmDir } from './wasm-paths.js';
import { registerWasmTrainingKernels } from './wasm-training-kernels.js';

/** The optional native backend; registers the `tensorflow` backend when imported. */
const TFJS_NODE = '@tensorflow/tfjs-node';
/** The WebAssembly backend; registers the `wasm` backend when imported. */
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

interface WasmModule {
  setWasmPaths(prefix: string): void;
}

/**
 * Options of {@link useBestBackend}.
 *
 * @example
 * ```ts
 * const options: UseBestBackendOptions = { prefer: ['wasm', 'cpu'], wasmPaths: '/static/tfjs-wasm/' };
 * ```
 */
export interface UseBestBackendOptions {
  /**
   * Backends to try, in order; the first that initializes becomes active.
   * Only these are tried.
   *
   * @defaultValue `['tensorflow', 'wasm', 'cpu']` ({@link DEFAULT_BACKEND_PREFERENCE})
   */
  prefer?: readonly BackendName[];
  /**
   * Where the wasm backend loads its `.wasm` binaries from: a directory URL
   * or path ending in `/`, passed to `setWasmPaths`. In Node it defaults to
   * the installed package's `dist/` directory; in browsers, to the wasm
   * backend's own default (next to the script).
   */
  wasmPaths?: string;
}

/**
 * Activates the fastest TensorFlow.js backend available and returns its name,
 * after `tf.setBackend` and `tf.ready()`.
 *
 * - `tensorflow`: when the optional peer `@tensorflow/tfjs-node` can be imported
 *   (Node only); its absence is silent.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` is imported if not registered yet;
 *   in Node its binaries are located next to the installed package. In
 *   browsers, import `@tensorflow/tfjs-backend-wasm` yourself so your bundler
 *   includes it (this function imports optional packages without letting
 *   bundlers see them, so builds never fail on an absent optional peer).
 * - `webgl`: registered by `@tensorflow/tfjs` in browsers only.
 * - `cpu`: always available with `@tensorflow/tfjs`.
 *
 * @param options - the order of backends to try and where the wasm binaries live; see {@link UseBestBackendOptions}.
 * @returns the name of the backend now active.
 * @throws ConfigError for an empty `prefer` or an unknown backend name, or
 *   when none of the preferred backends could be activated (the message lists
 *   why each failed).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { useBestBackend } from 'tfjs-resnet';
 *
 * const backend = await useBestBackend(); // 'tensorflow' with tfjs-node installed, else 'wasm', else 'cpu'
 * console.log(backend, tf.getBackend());
 * await useBestBackend({ prefer: ['webgl', 'wasm', 'cpu'] }); // in a browser: GPU first
 * ```
 */
export async function useBestBackend(options: UseBestBackendOptions = {}): Promise<BackendName> {
  const prefer = checkPreference(options.prefer ?? DEFAULT_BACKEND_PREFERENCE);
  const failures: string[] = [];
  for (const name of prefer) {
    const failure = await tryBackend(name, options);
    if (failure === undefined) return name;
    failures.push(`${name}: ${failure}`);
  }
  throw new ConfigError(
    `none of the preferred TensorFlow.js backends could be activated (${failures.join('; ')}); ` +
      `'cpu' always works with @tensorflow/tfjs, 'wasm' needs @tensorflow/tfjs-backend-wasm, 'tensorflow' needs @tensorflow/tfjs-node`,
  );
}

/** Activates `name`; returns why it failed, or `undefined` on success. */
async function tryBackend(name: BackendName, options: UseBestBackendOptions): Promise<string | undefined> {
  const registered = await ensureRegistered(name, options);
  if (registered !== undefined) return registered;
  try {
    if (!(await tf.setBackend(name))) return 'initialization failed';
    await tf.ready();
  } catch (e) {
    return `initialization failed (${e instanceof Error ? e.message : String(e)})`;
  }
  if (tf.getBackend() !== name) return `another backend (${tf.getBackend()}) became active`;
  // wasm lacks some gradient kernels (and has slow ones) that training needs.
  if (name === 'wasm') registerWasmTrainingKernels();
  return undefined;
}

/** Makes sure `name` has a registered factory; returns why not, or `undefined`. */
async function ensureRegistered(name: BackendName, options: UseBestBackendOptions): Promise<string | undefined> {
  switch (name) {
    case 'tensorflow':
      if (!hasFactory(name)) {
        if (!isNode()) return 'needs Node.js';
        await importOptional(TFJS_NODE);
      }
      return hasFactory(name) ? undefined : `${TFJS_NODE} is not installed or failed to load`;
    case 'wasm':
      return prepareWasm(options.wasmPaths);
    case 'webgl':
      return hasFactory(name) ? undefined : 'not registered (WebGL is available in browsers only)';
    case 'cpu':
      return hasFactory(name) ? undefined : 'not registered (import @tensorflow/tfjs)';
  }
}

/**
 * Imports the wasm backend (registering it) and, unless it is already
 * initialized, points it at its binaries.
 */
async function prepareWasm(wasmPaths: string | undefined): Promise<string | undefined> {
  if (isInitialized('wasm')) return undefined; // binaries already loaded; setWasmPaths would throw or be ignored
  const wasm = await importOptional<WasmModule>(TFJS_WASM);
  if (!hasFactory('wasm')) return `${TFJS_WASM} is not installed or failed to load`;
  const prefix = wasmPaths ?? (isNode() ? await locateNodeWasmDir() : undefined);
  if (prefix === undefined) return undefined; // browser: the backend's default location, or the user's own setWasmPaths
  if (wasm === undefined || typeof wasm.setWasmPaths !== 'function') {
    return `cannot apply wasmPaths: ${TFJS_WASM} could not be imported here; call its setWasmPaths yourself`;
  }
  try {
    wasm.setWasmPaths(prefix);
  } catch {
    // tfjs-backend-wasm refuses new paths once an initialization has aborted.
    return 'an earlier initialization of the wasm backend failed in this process and cannot be retried';
  }
  return undefined;
}

function hasFactory(name: BackendName): boolean {
  return tf.findBackendFactory(name) != null;
}

/** Whether the backend instance exists; unlike `tf.findBackend`, never starts initializing it. */
function isInitialized(name: BackendName): boolean {
  return tf.engine().registry[name] != null;
}

function checkPreference(prefer: readonly BackendName[]): readonly BackendName[] {
  const valid = BACKEND_NAMES.map((n) => `'${n}'`).join(', ');
  if (!Array.isArray(prefer) || prefer.length === 0) {
    throw new ConfigError(`useBestBackend: prefer must be a non-empty array of backend names (${valid})`);
  }
  for (const name of prefer) {
    if (!BACKEND_NAMES.includes(name)) {
      throw new ConfigError(`useBestBackend: unknown backend ${JSON.stringify(name)} in prefer; valid names are ${valid}`);
    }
  }
  return prefer;
}
