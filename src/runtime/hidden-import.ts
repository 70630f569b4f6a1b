/**
 * `import(specifier)` that bundlers do not follow: the specifier is a variable
 * and marked ignored for webpack and Vite, so a browser build neither bundles
 * Node built-ins (`node:fs/promises`, …) or optional packages nor fails to
 * resolve them. A literal `import('node:fs/promises')`, even a dynamic one,
 * breaks esbuild and webpack browser builds. Use it only for code that runs
 * in Node, or for packages that may be absent; the type comes from a
 * type-only import, which leaves no trace in the output.
 *
 * @example
 * ```ts
 * const fs = await hiddenImport<typeof import('node:fs/promises')>('node:fs/promises');
 * ```
 * @internal
 */
export async function hiddenImport<T>(specifier: string): Promise<T> {
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as T;
}
