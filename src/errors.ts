/**
 * Typed errors thrown by tfjs-resnet. Every error names what was wrong and
 * what would have been valid, so a caller can fix its input from the message.
 *
 * @example
 * ```ts
 * import { resnet, ConfigError } from 'tfjs-resnet';
 * try {
 *   resnet(42 as never);
 * } catch (e) {
 *   if (e instanceof ConfigError) console.log(e.message); // "...valid depths are 18, 34, 50, 101, 152"
 * }
 * ```
 * @module
 */

/**
 * Base class of every error thrown by tfjs-resnet; `instanceof TfjsResnetError`
 * catches them all.
 *
 * @example
 * ```ts
 * try { resnet({ block: 'basic', layers: [] }); } catch (e) { if (e instanceof TfjsResnetError) console.log(e.name); }
 * ```
 */
export class TfjsResnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An invalid configuration: an unknown depth, block kind, model name or option,
 * or a count or stride that is not a positive integer.
 *
 * @example
 * ```ts
 * try { resnet(42 as never); } catch (e) { if (e instanceof ConfigError) console.log(e.message); }
 * ```
 */
export class ConfigError extends TfjsResnetError {}

/**
 * A tensor whose shape does not fit where it is used: a rank other than 4 for
 * a block or stage input, an unknown channel count, a mismatched weight shape.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [32] });
 * try { basicBlock({ filters: 64 }).apply(x); } catch (e) { if (e instanceof ShapeError) console.log(e.message); }
 * ```
 */
export class ShapeError extends TfjsResnetError {}

/**
 * Weights that cannot be loaded into a model: missing or unexpected keys in
 * strict mode, a shape mismatch, a source that cannot be read.
 *
 * @example
 * ```ts
 * try { await loadPyTorchWeights(model, 'missing.safetensors'); } catch (e) { if (e instanceof WeightsError) console.log(e.message); }
 * ```
 */
export class WeightsError extends TfjsResnetError {}

/**
 * A safetensors file that breaks the format: a bad header length, a header that
 * is not a JSON object, offsets that overlap, leave gaps or run past the end,
 * an unknown dtype.
 *
 * @example
 * ```ts
 * try { readSafetensors(new Uint8Array(3)); } catch (e) { if (e instanceof SafetensorsError) console.log(e.message); }
 * ```
 */
export class SafetensorsError extends TfjsResnetError {}

/**
 * A PyTorch checkpoint (`torch.save` file: `.pth`, `.pt`, `.th`) that cannot
 * be read safely: a global outside the allow-list (`os.system`, a pickled
 * `nn.Module` class, ...), a truncated or inconsistent file, a compressed zip
 * entry, a storage that does not fit the file, an unknown format.
 *
 * @example
 * ```ts
 * try { readPyTorchCheckpoint(bytes); } catch (e) { if (e instanceof PyTorchFileError) console.log(e.message); }
 * ```
 */
export class PyTorchFileError extends TfjsResnetError {}

/**
 * A failure to fetch bytes from a path or URL: an HTTP error status, a
 * truncated body, a timeout, an abort, an integrity (sha256) mismatch.
 *
 * @example
 * ```ts
 * try { await fetchBytes('http://127.0.0.1:1/none'); } catch (e) { if (e instanceof FetchError) console.log(e.status); }
 * ```
 */
export class FetchError extends TfjsResnetError {
  /** The HTTP status, when the server answered with an error status. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}
