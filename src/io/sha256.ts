import { ConfigError, FetchError } from '../errors.js';
import { hiddenImport } from '../runtime/hidden-import.js';
import { isNode } from '../runtime/is-node.js';

const HEX_SHA256 = /^[\da-f]{64}$/i;

/**
 * The SHA-256 digest of `bytes` as 64 lowercase hex digits, computed with
 * WebCrypto (`crypto.subtle.digest`) in browsers and in Node.
 *
 * @throws ConfigError when WebCrypto is unavailable (browsers expose
 *   `crypto.subtle` only in secure contexts: https or localhost).
 * @example
 * ```ts
 * import { sha256Hex } from 'tfjs-resnet';
 * await sha256Hex(new TextEncoder().encode('abc'));
 * // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = await getSubtle();
  // digest() wants an ArrayBuffer-backed view; copy only if the bytes live in a SharedArrayBuffer.
  const input = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', input));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Checks that `expected` is a SHA-256 hex digest and returns it lowercased.
 *
 * @throws ConfigError when it is not 64 hex digits.
 * @example
 * ```ts
 * normalizeSha256('BA7816BF…'); // 'ba7816bf…'
 * ```
 * @internal
 */
export function normalizeSha256(expected: string): string {
  if (typeof expected !== 'string' || !HEX_SHA256.test(expected)) {
    throw new ConfigError(`fetchBytes: sha256 must be 64 hexadecimal digits (the SHA-256 of the expected bytes), got ${JSON.stringify(expected)}`);
  }
  return expected.toLowerCase();
}

/**
 * Throws a `FetchError` naming both digests when `bytes` does not hash to `expected`.
 *
 * @param expected - a lowercase hex digest, as returned by {@link normalizeSha256}.
 * @example
 * ```ts
 * await verifySha256(bytes, normalizeSha256(options.sha256), url);
 * ```
 * @internal
 */
export async function verifySha256(bytes: Uint8Array, expected: string, label: string): Promise<void> {
  checkSha256(await sha256Hex(bytes), expected, label, bytes.byteLength);
}

/**
 * Throws a `FetchError` naming both digests unless the hex digest `actual`
 * equals `expected` or, when `expected` is shorter (torch.hub's convention: the
 * hex in a file name such as `resnet18-f37072fd.pth`), starts with it.
 *
 * @param expected - lowercase hex: a whole digest or a prefix of one.
 * @example
 * ```ts
 * checkSha256(actual, 'f37072fd', 'resnet18-f37072fd.pth', 46_830_571);
 * ```
 * @internal
 */
export function checkSha256(actual: string, expected: string, label: string, byteLength: number): void {
  if (actual === expected || (expected.length < actual.length && actual.startsWith(expected))) return;
  const what = expected.length < actual.length ? `a sha256 starting with ${expected}` : `sha256 ${expected}`;
  throw new FetchError(
    `integrity check failed for ${label}: expected ${what}, got ${actual} (${byteLength} bytes); the file is corrupt, truncated or a different version`,
  );
}

/**
 * A SHA-256 computed chunk by chunk (Node's `node:crypto`; WebCrypto has no
 * incremental digest), for files too large to hash in one buffer.
 * @internal
 */
export interface IncrementalSha256 {
  /** Hashes the next chunk. */
  update(chunk: Uint8Array): void;
  /** The digest of everything so far, as 64 lowercase hex digits. */
  hex(): string;
}

/**
 * A new {@link IncrementalSha256} (Node only).
 *
 * @example
 * ```ts
 * const hash = await incrementalSha256();
 * hash.update(chunk1); hash.update(chunk2);
 * hash.hex();
 * ```
 * @internal
 */
export async function incrementalSha256(): Promise<IncrementalSha256> {
  const nodeCrypto = await hiddenImport<typeof import('node:crypto')>('node:crypto');
  const hash = nodeCrypto.createHash('sha256');
  return { update: (chunk) => hash.update(chunk), hex: () => hash.digest('hex') };
}

async function getSubtle(): Promise<SubtleCrypto> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle !== undefined) return subtle;
  if (isNode()) {
    // Node 18 has WebCrypto only as `require('node:crypto').webcrypto`.
    const nodeCrypto = await hiddenImport<typeof import('node:crypto')>('node:crypto');
    return nodeCrypto.webcrypto.subtle as unknown as SubtleCrypto;
  }
  throw new ConfigError(
    'sha256 verification needs WebCrypto (crypto.subtle), which is unavailable here; browsers expose it only in secure contexts (https or localhost)',
  );
}
