/**
 * Collects byte chunks into one `Uint8Array` with as few copies as possible:
 * into a single preallocated buffer when the final size is known, otherwise as
 * a list of chunks concatenated once at the end.
 *
 * @example
 * ```ts
 * const sink = new ByteSink(6);
 * sink.push(new Uint8Array([1, 2, 3]));
 * sink.push(new Uint8Array([4, 5, 6]));
 * sink.finish(); // Uint8Array [1, 2, 3, 4, 5, 6], no copy beyond the two pushes
 * ```
 * @internal
 */
export class ByteSink {
  private buffer: Uint8Array | undefined;
  private chunks: Uint8Array[] = [];
  private received = 0;

  /** @param expected - the size announced by the source, when known; a hint, never trusted blindly. */
  constructor(expected?: number) {
    if (expected !== undefined && expected > 0) {
      try {
        this.buffer = new Uint8Array(expected);
      } catch {
        // A bogus or huge Content-Length: fall back to growing.
        this.buffer = undefined;
      }
    }
  }

  /** Bytes pushed so far. */
  get length(): number {
    return this.received;
  }

  /** Appends a chunk (copied when it fits the preallocated buffer, otherwise kept by reference). */
  push(chunk: Uint8Array): void {
    if (this.buffer !== undefined) {
      if (this.received + chunk.byteLength <= this.buffer.byteLength) {
        this.buffer.set(chunk, this.received);
        this.received += chunk.byteLength;
        return;
      }
      // More bytes than announced: keep what we have and grow from here on.
      this.chunks.push(this.buffer.subarray(0, this.received));
      this.buffer = undefined;
    }
    this.chunks.push(chunk);
    this.received += chunk.byteLength;
  }

  /** All bytes pushed, as one contiguous array that spans its whole `ArrayBuffer`. */
  finish(): Uint8Array {
    if (this.buffer !== undefined) return wholeBuffer(this.buffer.subarray(0, this.received));
    if (this.chunks.length === 1) return wholeBuffer(this.chunks[0]);
    const out = new Uint8Array(this.received);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.chunks = [];
    return out;
  }
}

/**
 * `bytes` itself when it spans its whole `ArrayBuffer` (offset 0, same length),
 * else a copy that does. Callers can then build typed views on `result.buffer`
 * without minding `byteOffset`, and a small result never pins a large pooled buffer.
 *
 * @example
 * ```ts
 * const view = new Uint8Array(new ArrayBuffer(8), 2, 4);
 * wholeBuffer(view).buffer.byteLength; // 4
 * ```
 * @internal
 */
export function wholeBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
}
