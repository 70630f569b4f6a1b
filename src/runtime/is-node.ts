/**
 * Whether the code runs in Node.js (or a runtime with Node's `process.versions.node`,
 * such as Bun or Deno in Node-compat mode), where `node:` modules can be imported.
 *
 * Internal: used to decide between the file system and `fetch`, and to load
 * Node-only modules lazily (see `hiddenImport`) so browser bundles never include them.
 *
 * @example
 * ```ts
 * if (isNode()) {
 *   const fs = await hiddenImport<typeof import('node:fs/promises')>('node:fs/promises');
 * }
 * ```
 * @internal
 */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions !== null && typeof process.versions.node === 'string';
}
