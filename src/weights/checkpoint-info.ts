/**
 * What a checkpoint reader reports about where the weights came from (kept
 * apart from the reader so that load reports can name it without importing it).
 *
 * @module
 */
import type { PyTorchFileFormat } from './pytorch-file.js';

/**
 * What a checkpoint holds and how its weights were found.
 *
 * @example
 * ```ts
 * const { format, picked, stripped, tensors } = readPyTorchCheckpoint(bytes);
 * console.log(format, picked, stripped, Object.keys(tensors).length); // "legacy" "state_dict" ["module."] 197
 * ```
 */
export interface PyTorchCheckpointInfo {
  /** The container format, sniffed from the bytes. */
  format: PyTorchFileFormat;
  /** The top-level entry the weights came from (`'state_dict'`, ...), or undefined for the file's object itself. */
  picked: string | undefined;
  /** The key prefixes that were stripped (`'module.'`, `'_orig_mod.'`), each listed once when any key had it. */
  stripped: string[];
  /** Keys of the picked dict whose values are not tensors, left out. */
  skipped: string[];
}
