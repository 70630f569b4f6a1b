/**
 * A minimal reader of the zip archives `torch.save` writes (PyTorch ≥ 1.6):
 * the central directory (with ZIP64 records, which PyTorch writes for large
 * files), stored (uncompressed) entries only, each entry's data a view of the
 * file's bytes (nothing is copied). Compressed or encrypted entries, entries
 * that run past the file and inconsistent headers throw
 * {@link PyTorchFileError}.
 *
 * @module
 */
import { PyTorchFileError } from '../errors.js';

/** One entry of a zip archive. @internal */
export interface ZipEntry {
  readonly name: string;
  /** The entry's bytes: a view into the archive, not a copy. */
  readonly data: Uint8Array;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
const NAMES: Readonly<Record<number, string>> = { 8: 'deflate', 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 93: 'zstd', 95: 'xz' };

/** Whether `bytes` starts like a zip archive (a local file header, or the end record of an empty archive). @internal */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/**
 * Reads the central directory of a zip archive and returns its entries in
 * directory order.
 *
 * @throws {@link PyTorchFileError} for a truncated or inconsistent archive, or
 *   an entry that is compressed or encrypted.
 * @internal
 */
export function readZipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  const fail = (message: string): never => {
    throw new PyTorchFileError(`zip archive: ${message}`);
  };
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => {
    const hi = u32(at + 4);
    if (hi >= 0x200000) fail(`a 64-bit size or offset at byte ${at} is beyond 2^53`);
    return hi * 4294967296 + u32(at);
  };

  // End of central directory: the last 22+ bytes, before an optional comment.
  let eocd = -1;
  for (let at = size - 22; at >= Math.max(0, size - 22 - MAX_COMMENT); at--) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === size) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record: the file is truncated or not a zip archive');
  let count = u16(eocd + 10);
  let dirSize = u32(eocd + 12);
  let dirOffset = u32(eocd + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR) fail('the end record points to ZIP64 data but there is no ZIP64 locator');
    const record = u64(locator + 8);
    if (record + 56 > locator || u32(record) !== ZIP64_EOCD) fail('the ZIP64 locator points to no ZIP64 end record');
    count = u64(record + 32);
    dirSize = u64(record + 40);
    dirOffset = u64(record + 48);
  }
  if (dirOffset + dirSize > eocd) fail(`the central directory [${dirOffset}, ${dirOffset + dirSize}) runs past its end record at ${eocd}`);
  if (count > dirSize / 46) fail(`${count} entries cannot fit a ${dirSize}-byte central directory`);

  const entries: ZipEntry[] = [];
  let at = dirOffset;
  const dirEnd = dirOffset + dirSize;
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (at + 46 > dirEnd || u32(at) !== CENTRAL) fail(`central directory entry ${i} is missing or corrupt (at byte ${at})`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    let compressed = u32(at + 20);
    let uncompressed = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let local = u32(at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > dirEnd) fail(`central directory entry ${i} runs past the directory`);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information: the 64-bit values, in this order, for each 32-bit field that is all ones.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = u16(extra);
      const length = u16(extra + 2);
      if (extra + 4 + length > extraEnd) fail(`entry "${name}": an extra field runs past its header`);
      if (id === 0x0001) {
        let field = extra + 4;
        const take = (): number => {
          if (field + 8 > extra + 4 + length) fail(`entry "${name}": the ZIP64 extra field is too short`);
          const v = u64(field);
          field += 8;
          return v;
        };
        if (uncompressed === 0xffffffff) uncompressed = take();
        if (compressed === 0xffffffff) compressed = take();
        if (local === 0xffffffff) local = take();
      }
      extra += 4 + length;
    }
    if (flags & 0x1) fail(`entry "${name}" is encrypted; torch.save never encrypts`);
    if (method !== 0) {
      fail(
        `entry "${name}" is compressed (method ${method}${NAMES[method] ? `, ${NAMES[method]}` : ''}); ` +
          'torch.save stores entries uncompressed — re-save the checkpoint with torch.save instead of re-zipping it',
      );
    }
    if (compressed !== uncompressed) fail(`entry "${name}" is stored but its sizes differ (${compressed} and ${uncompressed})`);
    if (local + 30 > size || u32(local) !== LOCAL) fail(`entry "${name}": no local header at byte ${local}`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + compressed > size) {
      fail(`entry "${name}" needs bytes [${start}, ${start + compressed}) but the file has ${size}: it is truncated`);
    }
    entries.push({ name, data: bytes.subarray(start, start + compressed) });
    at = next;
  }
  return entries;
}
