import type { FetchError } from '../errors.js';

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/**
 * A one-line description of a low-level error and its causes, e.g.
 * `fetch failed: connect ECONNREFUSED 127.0.0.1:1`, for the end of a message.
 *
 * @example
 * ```ts
 * describeError(new TypeError('fetch failed', { cause: new Error('other side closed') }));
 * // 'fetch failed: other side closed'
 * ```
 * @internal
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const e = current as ErrorLike;
    const text = typeof e.message === 'string' && e.message !== '' ? e.message : typeof e.code === 'string' ? e.code : undefined;
    if (text === undefined && typeof current !== 'object') parts.push(String(current));
    else if (text !== undefined && !parts.includes(text)) parts.push(text);
    current = typeof current === 'object' ? e.cause : undefined;
  }
  return parts.length > 0 ? parts.join(': ') : 'unknown error';
}

/**
 * Sets `error.cause` (unless already set) and returns `error`, so the original
 * low-level error stays inspectable.
 *
 * @example
 * ```ts
 * throw withCause(new FetchError('file not found: ./w.bin'), e);
 * ```
 * @internal
 */
export function withCause<E extends FetchError>(error: E, cause: unknown): E {
  if (error.cause === undefined) error.cause = cause;
  return error;
}
