import { FetchError } from '../errors.js';
import type { Deadline } from './deadline.js';
import { describeError, withCause } from './error-detail.js';
import { readBody, streamBody, type ChunkSink, type ReadBodyArgs } from './read-body.js';

/**
 * What {@link fetchUrl} needs besides the URL.
 *
 * @example
 * ```ts
 * const args: FetchUrlArgs = { deadline, label: url };
 * ```
 * @internal
 */
export interface FetchUrlArgs {
  /** Aborts the request and the body on timeout or on the caller's signal. */
  deadline: Deadline;
  /** The URL with credentials redacted, for messages. */
  label: string;
  /** Extra request headers. */
  headers?: HeadersInit;
  /** Refuse responses larger than this many bytes. */
  maxBytes?: number;
  /** Called after every chunk. */
  onProgress?: (loaded: number, total: number | undefined) => void;
}

/**
 * GETs `url` with the global `fetch` (Node 18+ and browsers) and streams the
 * body into one `Uint8Array`.
 *
 * @throws FetchError with `status` for a non-2xx answer; without `status` for
 *   a failed connection, a truncated body, a timeout, an abort, or a response
 *   over `maxBytes`.
 * @example
 * ```ts
 * const bytes = await fetchUrl('https://example.com/w.safetensors', { deadline, label: 'https://example.com/w.safetensors' });
 * ```
 * @internal
 */
export async function fetchUrl(url: string, args: FetchUrlArgs): Promise<Uint8Array> {
  const { body, read } = await openUrl(url, args);
  if (body === null) {
    args.onProgress?.(0, read.total);
    return new Uint8Array(0);
  }
  return readBody(body, read);
}

/**
 * GETs `url` as {@link fetchUrl} does, but hands each chunk of the body to
 * `sink` as it arrives instead of collecting it: a download of any size holds
 * one chunk at a time (e.g. to write it to a file).
 *
 * @throws FetchError as {@link fetchUrl}, or whatever `sink.push` throws.
 * @example
 * ```ts
 * await streamUrl(url, { deadline, label: url }, { length: 0, push: (chunk) => file.write(chunk) });
 * ```
 * @internal
 */
export async function streamUrl(url: string, args: FetchUrlArgs, sink: ChunkSink): Promise<void> {
  const { body, read } = await openUrl(url, args);
  if (body === null) args.onProgress?.(0, read.total);
  else await streamBody(body, read, sink);
}

/** Sends the request and checks the status and announced size; the body is left for the caller to read. */
async function openUrl(url: string, args: FetchUrlArgs): Promise<{ body: ReadableStream<Uint8Array> | null; read: ReadBodyArgs }> {
  const { deadline, label, headers, maxBytes, onProgress } = args;
  if (typeof fetch !== 'function') {
    throw new FetchError(`cannot fetch ${label}: no global fetch in this runtime (needs Node 18+ or a browser)`);
  }

  let response: Response;
  try {
    response = await fetch(url, { signal: deadline.signal, headers, redirect: 'follow' });
  } catch (e) {
    if (deadline.signal.aborted) throw withCause(deadline.error(label, 0, undefined), e);
    throw withCause(new FetchError(`could not fetch ${label}: ${describeError(e)}`), e);
  }

  const where = response.redirected && response.url !== '' ? `${label} (redirected to ${response.url})` : label;
  if (!response.ok) {
    discard(response);
    const statusText = response.statusText === '' ? '' : ` ${response.statusText}`;
    throw new FetchError(`HTTP ${response.status}${statusText} fetching ${where}; expected a 2xx status`, response.status);
  }

  const length = parseLength(response.headers.get('content-length'));
  const encoding = response.headers.get('content-encoding');
  const decoded = encoding !== null && encoding.trim().toLowerCase() !== 'identity';
  // Cross-origin responses may hide Content-Encoding, so Content-Length may be the compressed size.
  const encodingHidden = response.type === 'cors' && encoding === null;
  const total = decoded ? undefined : length;

  if (maxBytes !== undefined && total !== undefined && total > maxBytes) {
    discard(response);
    throw new FetchError(`${where} is ${total} bytes (Content-Length), more than maxBytes (${maxBytes})`);
  }
  return {
    body: response.body,
    read: { deadline, label: where, total, strictLength: !encodingHidden, maxBytes, onProgress },
  };
}

/** Releases a response body we will not read, so its connection is not held open. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function parseLength(header: string | null): number | undefined {
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  const n = Number(header);
  return Number.isSafeInteger(n) ? n : undefined;
}
