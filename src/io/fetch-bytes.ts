import { ConfigError } from '../errors.js';
import { createDeadline } from './deadline.js';
import { fetchUrl } from './fetch-url.js';
import { isNode } from '../runtime/is-node.js';
import { readLocalFile } from './read-file.js';
import { normalizeSha256, verifySha256 } from './sha256.js';
import { classifySource } from './source.js';

/**
 * The default of {@link FetchBytesOptions.timeoutMs}: one minute for the whole
 * transfer.
 *
 * @example
 * ```ts
 * await fetchBytes(url, { timeoutMs: 5 * DEFAULT_FETCH_TIMEOUT_MS }); // 5 minutes for a large file
 * ```
 */
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

/**
 * Options of {@link fetchBytes}.
 *
 * @example
 * ```ts
 * const options: FetchBytesOptions = {
 *   timeoutMs: 120_000,
 *   sha256: 'f37072fd…',
 *   onProgress: (loaded, total) => console.log(loaded, total),
 * };
 * ```
 */
export interface FetchBytesOptions {
  /** Aborts the transfer; the promise then rejects with a `FetchError` saying "aborted". */
  signal?: AbortSignal;
  /**
   * Milliseconds allowed for the whole transfer, from the request to the last
   * byte of the body (a body that stalls times out too). `Infinity` disables
   * the timeout.
   *
   * @defaultValue 60000 ({@link DEFAULT_FETCH_TIMEOUT_MS})
   */
  timeoutMs?: number;
  /**
   * Expected SHA-256 of the bytes, as 64 hex digits (either case). When given,
   * the bytes are hashed with WebCrypto and a mismatch rejects with a
   * `FetchError` naming both digests. Browsers offer WebCrypto only in secure
   * contexts (https or localhost).
   */
  sha256?: string;
  /**
   * Called as bytes arrive: after each chunk for URLs, once at the end for
   * local files. `total` is the Content-Length (or file size), `undefined`
   * when the server does not announce it or the body is compressed.
   */
  onProgress?: (loaded: number, total: number | undefined) => void;
  /**
   * Refuse sources larger than this many bytes: checked against the announced
   * size before reading and against the bytes received while reading.
   * Unlimited when omitted.
   */
  maxBytes?: number;
  /** Extra request headers for URLs (e.g. `Authorization`); ignored for local files. */
  headers?: HeadersInit;
}

/**
 * Reads all bytes of a file path, a `file://` URL or an `http(s)://` URL.
 *
 * In Node, paths and `file://` URLs are read from disk (`node:fs` is imported
 * lazily, only then); URLs go through the global `fetch`. In browsers every
 * source goes through `fetch`, so a path is a URL relative to the page. The
 * body is streamed into a single preallocated buffer when its size is known,
 * and the result always spans its whole `ArrayBuffer` (`byteOffset` 0).
 *
 * @param source - a path, a `file://` URL (Node), or an `http(s)://` URL, as a string or `URL`.
 * @param options - timeout, abort signal, integrity hash, progress callback, size limit; see {@link FetchBytesOptions}.
 * @returns the bytes.
 * @throws FetchError for an HTTP error status (with `status`), a failed
 *   connection, a body shorter than its Content-Length, a timeout, an abort,
 *   a missing or unreadable file, a source over `maxBytes`, or a sha256 mismatch.
 * @throws ConfigError for an empty source, a malformed `sha256`, or a
 *   `timeoutMs`/`maxBytes` that is not a positive number.
 * @example
 * ```ts
 * import { fetchBytes, FetchError } from 'tfjs-resnet';
 *
 * const bytes = await fetchBytes('https://example.com/resnet18.safetensors', {
 *   timeoutMs: 120_000,
 *   sha256: 'f37072fd47e89c7ee1f0d2a3b0b6c0e3a4c6a2e1d8e2b7a0f5f2b0f6c7e1d2a3',
 *   onProgress: (loaded, total) => console.log(`${loaded} / ${total ?? '?'} bytes`),
 * });
 * const local = await fetchBytes('./weights/resnet18.safetensors'); // Node: read from disk
 * ```
 */
export async function fetchBytes(source: string | URL, options: FetchBytesOptions = {}): Promise<Uint8Array> {
  const timeoutMs = checkPositive('timeoutMs', options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, true);
  const maxBytes = options.maxBytes === undefined ? undefined : checkPositive('maxBytes', options.maxBytes, false);
  const sha256 = options.sha256 === undefined ? undefined : normalizeSha256(options.sha256);
  const target = classifySource(source, isNode());
  const { onProgress, headers } = options;

  const deadline = createDeadline(timeoutMs, options.signal);
  let bytes: Uint8Array;
  try {
    if (deadline.signal.aborted) throw deadline.error(target.label, 0, undefined);
    bytes =
      target.kind === 'file'
        ? await readLocalFile(target.file, { deadline, label: target.label, maxBytes, onProgress })
        : await fetchUrl(target.url, { deadline, label: target.label, headers, maxBytes, onProgress });
  } finally {
    deadline.dispose();
  }
  if (sha256 !== undefined) await verifySha256(bytes, sha256, target.label);
  return bytes;
}

function checkPositive(name: string, value: number, allowInfinity: boolean): number {
  const ok = typeof value === 'number' && value > 0 && (allowInfinity ? !Number.isNaN(value) : Number.isFinite(value));
  if (!ok) {
    const valid = allowInfinity ? 'a positive number of milliseconds, or Infinity for none' : 'a positive number of bytes';
    throw new ConfigError(`fetchBytes: ${name} must be ${valid}, got ${String(value)}`);
  }
  return value;
}
