import { FetchError } from '../errors.js';

/** `setTimeout` fires at once above this (2^31 - 1 ms, about 24.8 days); treat longer as no timeout. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One abort signal for a whole transfer, fired by the caller's signal or by a
 * timeout, whichever comes first; it remembers which one fired so errors can
 * say "timed out" or "aborted".
 *
 * @example
 * ```ts
 * const deadline = createDeadline(5_000, userSignal);
 * try {
 *   const res = await fetch(url, { signal: deadline.signal });
 * } catch (e) {
 *   if (deadline.signal.aborted) throw deadline.error('https://…', 0, undefined);
 * } finally {
 *   deadline.dispose(); // clears the timer and the listener on userSignal
 * }
 * ```
 * @internal
 */
export interface Deadline {
  /** Aborted when the timeout elapses or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /**
   * The `FetchError` to throw once `signal` has aborted, naming the cause, the
   * source and how far the transfer got.
   */
  error(label: string, received: number, total: number | undefined): FetchError;
  /** Clears the timer and detaches from the caller's signal; idempotent. */
  dispose(): void;
}

/**
 * Creates a {@link Deadline}: a timer of `timeoutMs` (none when it is `Infinity`
 * or longer than a timer can hold) joined with the caller's `outer` signal.
 *
 * @example
 * ```ts
 * const deadline = createDeadline(100, undefined);
 * deadline.signal.addEventListener('abort', () => console.log(deadline.error('w.bin', 0, undefined).message)); // 'timed out after 100 ms fetching w.bin; …'
 * ```
 * @internal
 */
export function createDeadline(timeoutMs: number, outer: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let cause: 'timeout' | 'abort' | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const onOuterAbort = (): void => {
    if (cause !== undefined) return;
    cause = 'abort';
    controller.abort(outer?.reason);
  };
  const dispose = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    outer?.removeEventListener('abort', onOuterAbort);
  };

  if (outer?.aborted) {
    onOuterAbort();
  } else {
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    if (timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        timer = undefined;
        if (cause !== undefined) return;
        cause = 'timeout';
        controller.abort();
      }, timeoutMs);
    }
  }

  return {
    signal: controller.signal,
    error(label, received, total) {
      const progress = received > 0 || total !== undefined ? ` (received ${progressText(received, total)})` : '';
      const error =
        cause === 'timeout'
          ? new FetchError(`timed out after ${timeoutMs} ms fetching ${label}${progress}; pass a larger timeoutMs for slow connections or large files`)
          : new FetchError(`aborted fetching ${label}${progress}: the caller's AbortSignal fired`);
      if (cause === 'abort') error.cause = outer?.reason;
      return error;
    },
    dispose,
  };
}

/**
 * "N bytes" or "N of M bytes", for messages.
 *
 * @example
 * ```ts
 * progressText(100, 1000); // '100 of 1000 bytes'
 * ```
 * @internal
 */
export function progressText(received: number, total: number | undefined): string {
  return total === undefined ? `${received} bytes` : `${received} of ${total} bytes`;
}
