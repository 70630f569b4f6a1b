import { ConfigError } from '../errors.js';

/**
 * Where bytes come from: the local file system (Node) or `fetch` (any URL, or a
 * relative path in a browser).
 *
 * @example
 * ```ts
 * const s: Source = { kind: 'file', file: './weights.safetensors', label: './weights.safetensors' };
 * ```
 * @internal
 */
export type Source = { kind: 'file'; file: string | URL; label: string } | { kind: 'fetch'; url: string; label: string };

/** A scheme of two or more characters, so `C:\dir` stays a Windows path. */
const SCHEME = /^[a-z][a-z\d+.-]+:/i;

/** Whether a string starts with a URL scheme (`https:`, `file:`, `data:` …) rather than being a path (`C:\dir` is a path). @internal */
export function hasUrlScheme(s: string): boolean {
  return SCHEME.test(s);
}

/**
 * Decides how to read `source`: `file://` URLs and plain paths go to the file
 * system in Node; every other URL (`http:`, `https:`, `data:`, `blob:`) and, in
 * browsers, every path (a URL relative to the page) goes to `fetch`.
 *
 * @example
 * ```ts
 * classifySource('https://example.com/w.bin', true); // { kind: 'fetch', ... }
 * classifySource('./w.bin', true);                   // { kind: 'file', ... }
 * classifySource('./w.bin', false);                  // { kind: 'fetch', ... } (browser)
 * ```
 * @internal
 */
export function classifySource(source: string | URL, node: boolean): Source {
  if (source instanceof URL) {
    const label = redactUrl(source.href);
    return source.protocol === 'file:' && node ? { kind: 'file', file: source, label } : { kind: 'fetch', url: source.href, label };
  }
  if (typeof source !== 'string' || source.length === 0) {
    throw new ConfigError(`fetchBytes: source must be a non-empty string (a file path or URL) or a URL object, got ${describe(source)}`);
  }
  if (hasUrlScheme(source)) {
    const isFile = source.slice(0, 5).toLowerCase() === 'file:';
    const label = redactUrl(source);
    return isFile && node ? { kind: 'file', file: new URL(source), label } : { kind: 'fetch', url: source, label };
  }
  return node ? { kind: 'file', file: source, label: source } : { kind: 'fetch', url: source, label: source };
}

/**
 * A URL safe to put in an error message: user name and password replaced by `***`.
 *
 * @example
 * ```ts
 * redactUrl('https://user:secret@host/x'); // 'https://***:***@host/x'
 * ```
 * @internal
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    if (parsed.username !== '') parsed.username = '***';
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}

function describe(value: unknown): string {
  if (value === '') return 'an empty string';
  if (value === null) return 'null';
  return typeof value;
}
