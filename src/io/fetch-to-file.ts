import { FetchError } from '../errors.js';
import { hiddenImport } from '../runtime/hidden-import.js';
import { createDeadline } from './deadline.js';
import { describeError, withCause } from './error-detail.js';
import { streamUrl } from './fetch-url.js';
import { checkSha256, incrementalSha256 } from './sha256.js';
import { classifySource } from './source.js';

/**
 * What {@link fetchToFile} checks and how it fetches.
 *
 * @example
 * ```ts
 * const args: FetchToFileArgs = { sha256: 'd509ac18…', bytes: 1_890_043, timeoutMs: 600_000 };
 * ```
 * @internal
 */
export interface FetchToFileArgs {
  /** Expected SHA-256 as lowercase hex: the whole digest, or a prefix of it (torch.hub's file-name convention). */
  sha256?: string;
  /** Expected size in bytes. */
  bytes?: number;
  /** Milliseconds for the whole transfer (`Infinity`: none). */
  timeoutMs: number;
  /** Aborts the transfer. */
  signal?: AbortSignal;
  /** Extra request headers (tokens). */
  headers?: HeadersInit;
  /** Called after every chunk with the bytes written so far and the announced size. */
  onProgress?: (loaded: number, total: number | undefined) => void;
}

/**
 * Downloads `url` into the file `dest` (Node), streaming: each chunk is
 * hashed and written to a temporary file `.tmp-<random>` beside `dest` as it
 * arrives, so memory stays at one chunk whatever the file size. Only once the
 * body is complete and its size and digest check out is the temporary file
 * renamed to `dest` — atomically, so a reader (or another process
 * downloading the same file) sees either no file or a whole verified one. On
 * any error the temporary file is removed and nothing is left at `dest`.
 *
 * @returns the number of bytes written.
 * @throws FetchError for an HTTP error, a failed or broken connection, a
 *   truncated body, a timeout, an abort, a size or digest mismatch, or a
 *   file-system error.
 * @example
 * ```ts
 * await fetchToFile('https://example.com/w.pth', '/cache/resnet18/w.pth', { sha256: 'f37072fd', timeoutMs: 600_000 });
 * ```
 * @internal
 */
export async function fetchToFile(url: string, dest: string, args: FetchToFileArgs): Promise<number> {
  const [fs, path, crypto] = await Promise.all([
    hiddenImport<typeof import('node:fs/promises')>('node:fs/promises'),
    hiddenImport<typeof import('node:path')>('node:path'),
    hiddenImport<typeof import('node:crypto')>('node:crypto'),
  ]);
  const target = classifySource(url, true);
  if (target.kind !== 'fetch') throw new FetchError(`cannot download ${target.label}: expected an http(s) URL`);
  const dir = path.dirname(dest);
  const tmp = path.join(dir, `.tmp-${crypto.randomBytes(8).toString('hex')}`);
  const hash = await incrementalSha256();
  const deadline = createDeadline(args.timeoutMs, args.signal);
  let file: import('node:fs/promises').FileHandle | undefined;
  try {
    try {
      await fs.mkdir(dir, { recursive: true });
      file = await fs.open(tmp, 'wx');
    } catch (e) {
      throw withCause(new FetchError(`cannot write the download of ${target.label} to ${dir}: ${describeError(e)}`), e);
    }
    const handle = file;
    let written = 0;
    await streamUrl(
      target.url,
      { deadline, label: target.label, headers: args.headers, onProgress: args.onProgress },
      {
        get length() {
          return written;
        },
        async push(chunk) {
          hash.update(chunk);
          // A write may take fewer bytes than given (e.g. as the disk fills up): write the rest.
          for (let offset = 0; offset < chunk.byteLength;) {
            const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
            offset += bytesWritten;
          }
          written += chunk.byteLength;
        },
      },
    );
    await file.close();
    file = undefined;
    if (args.bytes !== undefined && written !== args.bytes) {
      throw new FetchError(`size check failed for ${target.label}: expected ${args.bytes} bytes, got ${written}; the file is truncated or a different version`);
    }
    if (args.sha256 !== undefined) checkSha256(hash.hex(), args.sha256, target.label, written);
    try {
      await fs.rename(tmp, dest);
    } catch (e) {
      // Another process may have put the same verified file there first (and a
      // reader may hold it open, which blocks replacing it on Windows): keep theirs.
      const theirs = await fs.stat(dest).catch(() => undefined);
      if (theirs?.isFile() !== true || theirs.size !== written) {
        throw withCause(new FetchError(`cannot move the download of ${target.label} to ${dest}: ${describeError(e)}`), e);
      }
      await fs.rm(tmp, { force: true });
    }
    return written;
  } catch (e) {
    await file?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  } finally {
    deadline.dispose();
  }
}
