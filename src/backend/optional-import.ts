import { hiddenImport } from '../runtime/hidden-import.js';

/**
 * Imports an optional package, invisibly to bundlers (see `hiddenImport`), so
 * builds never fail when it is not installed. Resolves to `undefined` when the
 * package cannot be loaded (not installed, no native binding, a browser
 * without an import map).
 *
 * @example
 * ```ts
 * const tfnode = await importOptional('@tensorflow/tfjs-node'); // undefined when absent
 * ```
 * @internal
 */
export async function importOptional<T = unknown>(specifier: string): Promise<T | undefined> {
  try {
    return await hiddenImport<T>(specifier);
  } catch {
    return undefined;
  }
}
