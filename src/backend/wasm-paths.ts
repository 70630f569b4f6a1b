import { hiddenImport } from '../runtime/hidden-import.js';

/** A file of `@tensorflow/tfjs-backend-wasm` next to its `.wasm` binaries (the package has no `exports` map). */
const WASM_BINARY = '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm';

type RequireResolve = (id: string) => string;

/**
 * The directory holding the installed `@tensorflow/tfjs-backend-wasm` binaries,
 * with a trailing path separator (as `setWasmPaths` expects a prefix), or
 * `undefined` when the package cannot be resolved. Node only: `node:module`
 * and `node:path` are imported on first use, hidden from bundlers.
 *
 * Works from the ESM build (resolving from this module's URL), the CJS build
 * (the module's own `require`) and, as a last resort, from the working directory.
 *
 * @example
 * ```ts
 * const dir = await locateNodeWasmDir(); // '/app/node_modules/@tensorflow/tfjs-backend-wasm/dist/'
 * if (dir !== undefined) setWasmPaths(dir);
 * ```
 * @internal
 */
export async function locateNodeWasmDir(): Promise<string | undefined> {
  const [{ createRequire }, path] = await Promise.all([
    hiddenImport<typeof import('node:module')>('node:module'),
    hiddenImport<typeof import('node:path')>('node:path'),
  ]);
  for (const resolve of resolvers(createRequire, path.join(process.cwd(), 'noop.js'))) {
    try {
      return path.dirname(resolve(WASM_BINARY)) + path.sep;
    } catch {
      // try the next way of resolving
    }
  }
  return undefined;
}

function* resolvers(createRequire: (from: string) => { resolve: RequireResolve }, cwdFile: string): Generator<RequireResolve> {
  // CJS build: the module-scoped `require` resolves from the installed library.
  if (typeof require === 'function' && typeof require.resolve === 'function') yield require.resolve;
  // ESM build: resolve from this module's URL (empty in a CJS build, hence the check).
  const here = moduleUrl();
  if (here !== undefined) yield createRequire(here).resolve;
  // Anything else (e.g. a bundle): resolve from the working directory.
  yield createRequire(cwdFile).resolve;
}

function moduleUrl(): string | undefined {
  try {
    const url: unknown = import.meta.url;
    return typeof url === 'string' && url !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}
