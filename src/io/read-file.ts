import { FetchError } from '../errors.js';
import type { Deadline } from './deadline.js';
import { wholeBuffer } from './byte-sink.js';
import { describeError, withCause } from './error-detail.js';
import { hiddenImport } from '../runtime/hidden-import.js';

/**
 * What {@link readLocalFile} needs besides the file.
 *
 * @example
 * ```ts
 * const args: ReadLocalFileArgs = { deadline, label: './w.bin' };
 * ```
 * @internal
 */
export interface ReadLocalFileArgs {
  /** Aborts the read on timeout or on the caller's signal. */
  deadline: Deadline;
  /** The source as the caller wrote it, for messages. */
  label: string;
  /** Refuse files larger than this many bytes. */
  maxBytes?: number;
  /** Called once, with the file size, when the file has been read. */
  onProgress?: (loaded: number, total: number | undefined) => void;
}

interface NodeError {
  code?: string;
}

/**
 * Reads a local file (a path, or a `file:` URL) in Node. `node:fs/promises`,
 * `node:path` and `node:url` are imported here, on first use and hidden from
 * bundlers, so browser bundles neither include them nor fail to resolve them.
 *
 * @throws FetchError for a missing file, a directory, no permission, a file
 *   over `maxBytes`, a timeout or an abort.
 * @example
 * ```ts
 * const bytes = await readLocalFile('./weights.safetensors', { deadline, label: './weights.safetensors' });
 * ```
 * @internal
 */
export async function readLocalFile(file: string | URL, args: ReadLocalFileArgs): Promise<Uint8Array> {
  const { deadline, label, maxBytes, onProgress } = args;
  const [fs, path, url] = await Promise.all([
    hiddenImport<typeof import('node:fs/promises')>('node:fs/promises'),
    hiddenImport<typeof import('node:path')>('node:path'),
    hiddenImport<typeof import('node:url')>('node:url'),
  ]);

  let filePath: string;
  try {
    filePath = typeof file === 'string' ? file : url.fileURLToPath(file);
  } catch (e) {
    throw withCause(new FetchError(`cannot read ${label}: not a valid local file URL (${describeError(e)}); use file:///absolute/path`), e);
  }
  const where = path.resolve(filePath) === filePath ? filePath : `${filePath} (resolved to ${path.resolve(filePath)})`;

  let bytes: Uint8Array;
  try {
    const stats = await fs.stat(filePath);
    if (stats.isDirectory()) {
      throw new FetchError(`cannot read ${where}: it is a directory, expected a file`);
    }
    if (maxBytes !== undefined && stats.size > maxBytes) {
      throw new FetchError(`${where} is ${stats.size} bytes, more than maxBytes (${maxBytes})`);
    }
    const buffer = await fs.readFile(filePath, { signal: deadline.signal });
    bytes = wholeBuffer(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  } catch (e) {
    if (e instanceof FetchError) throw e;
    if (deadline.signal.aborted) throw withCause(deadline.error(where, 0, undefined), e);
    const code = (e as NodeError | undefined)?.code;
    if (code === 'ENOENT') {
      throw withCause(new FetchError(`file not found: ${where}; expected an existing file path or file:// URL`), e);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw withCause(new FetchError(`permission denied reading ${where}`), e);
    }
    throw withCause(new FetchError(`cannot read ${where}: ${describeError(e)}`), e);
  }
  if (maxBytes !== undefined && bytes.byteLength > maxBytes) {
    // The file grew between stat() and readFile().
    throw new FetchError(`${where} is ${bytes.byteLength} bytes, more than maxBytes (${maxBytes})`);
  }
  onProgress?.(bytes.byteLength, bytes.byteLength);
  return bytes;
}
