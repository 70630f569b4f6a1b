/**
 * Bytes from anywhere: file paths and `file://` URLs in Node, `http(s)://`
 * URLs everywhere, with timeouts, abort, progress and SHA-256 integrity checks.
 * Browser-safe: Node modules are imported lazily, only for local files.
 *
 * @example
 * ```ts
 * import { fetchBytes } from 'tfjs-resnet';
 * const bytes = await fetchBytes('https://example.com/w.safetensors', { timeoutMs: 30_000 });
 * ```
 * @module
 */
export { fetchBytes, DEFAULT_FETCH_TIMEOUT_MS, type FetchBytesOptions } from './fetch-bytes.js';
export { sha256Hex } from './sha256.js';
