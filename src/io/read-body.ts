import { FetchError } from '../errors.js';
import { ByteSink } from './byte-sink.js';
import { progressText, type Deadline } from './deadline.js';
import { describeError, withCause } from './error-detail.js';

/**
 * What {@link readBody} needs besides the stream.
 *
 * @example
 * ```ts
 * const args: ReadBodyArgs = { deadline, label: url, total: 1024, strictLength: true };
 * ```
 * @internal
 */
export interface ReadBodyArgs {
  /** Aborts the read on timeout or on the caller's signal. */
  deadline: Deadline;
  /** The URL, for messages. */
  label: string;
  /** The announced size (Content-Length), used to preallocate and for progress; `undefined` when unknown. */
  total: number | undefined;
  /**
   * Whether `total` is the exact size of the decoded body, so a different
   * byte count is a truncation error. False when a Content-Encoding was
   * applied, or may have been hidden from a cross-origin response.
   */
  strictLength: boolean;
  /** Fail once more than this many bytes arrive. */
  maxBytes?: number;
  /** Called after every chunk. */
  onProgress?: (loaded: number, total: number | undefined) => void;
}

/**
 * Streams a response body into one `Uint8Array`: a single preallocated buffer
 * when the size is known, else chunks concatenated once. The read is raced
 * against the deadline so a stalled body cannot outlive the timeout, and the
 * stream is cancelled on every early exit so no body is left unconsumed.
 *
 * @throws FetchError on timeout, abort, a broken connection, a body shorter
 *   than its Content-Length, or more than `maxBytes` bytes.
 * @example
 * ```ts
 * const bytes = await readBody(response.body, { deadline, label: url, total: 1024, strictLength: true });
 * ```
 * @internal
 */
export async function readBody(body: ReadableStream<Uint8Array>, args: ReadBodyArgs): Promise<Uint8Array> {
  const sink = new ByteSink(args.total);
  await streamBody(body, args, sink);
  return sink.finish();
}

/**
 * Where {@link streamBody} puts the chunks of a body: a buffer
 * ({@link ByteSink}) or a file being written.
 * @internal
 */
export interface ChunkSink {
  /** Bytes pushed so far. */
  readonly length: number;
  /** Takes one chunk; a returned promise is awaited before the next read (back-pressure). */
  push(chunk: Uint8Array): void | Promise<void>;
}

/**
 * Streams a response body chunk by chunk into `sink`, with the checks of
 * {@link readBody} (deadline, truncation, `maxBytes`, progress); the stream is
 * cancelled on every early exit.
 *
 * @throws FetchError as {@link readBody}, or whatever `sink.push` throws.
 * @example
 * ```ts
 * await streamBody(response.body, { deadline, label: url, total, strictLength: true }, fileSink);
 * ```
 * @internal
 */
export async function streamBody(body: ReadableStream<Uint8Array>, args: ReadBodyArgs, sink: ChunkSink): Promise<void> {
  const { deadline, label, total, strictLength, maxBytes, onProgress } = args;
  const reader = body.getReader();
  const signal = deadline.signal;

  let finished = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await readOrAbort(reader, signal);
      } catch (e) {
        if (signal.aborted) throw withCause(deadline.error(label, sink.length, total), e);
        throw withCause(
          strictLength && total !== undefined
            ? new FetchError(
                `truncated body from ${label}: the connection ended after ${progressText(sink.length, total)} (Content-Length): ${describeError(e)}`,
              )
            : new FetchError(`connection failed while reading ${label} after ${sink.length} bytes: ${describeError(e)}`),
          e,
        );
      }
      if (result.done) {
        finished = true;
        break;
      }
      await sink.push(result.value);
      if (maxBytes !== undefined && sink.length > maxBytes) {
        throw new FetchError(`${label} sent more than maxBytes (${maxBytes}) bytes; refusing the rest`);
      }
      onProgress?.(sink.length, total);
    }
  } finally {
    if (!finished) reader.cancel().catch(() => undefined);
  }

  if (strictLength && total !== undefined && sink.length !== total) {
    throw new FetchError(`truncated body from ${label}: expected ${total} bytes (Content-Length), received ${sink.length}`);
  }
}

/**
 * The next chunk of `reader`, or a rejection as soon as `signal` aborts.
 * Each read gets its own abort listener, removed when the read settles: a
 * `Promise.race` against one long-lived "aborted" promise would keep every
 * race's result — every chunk — reachable until the transfer ends.
 */
function readOrAbort(reader: ReadableStreamDefaultReader<Uint8Array>, signal: AbortSignal): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    reader.read().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
