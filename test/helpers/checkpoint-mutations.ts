// Random mutations of PyTorch checkpoints (byte edits biased to the pickles
// at the start, truncation, insertion, deletion), and the property every
// mutant must satisfy: readPyTorchCheckpoint returns consistent tensors or
// throws a typed error of the library, quickly, and runs nothing. Shared by
// test/pytorch-checkpoint-fuzz.test.ts (300 cases) and
// bench/fuzz-checkpoint.ts (the long run).
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { PyTorchFileError, SafetensorsError } from '../../src/errors.js';
import { readPyTorchCheckpoint } from '../../src/weights/checkpoint.js';
import { torchSave, type SaveValue } from './torch-save.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

/** The files mutated: real PyTorch files (small ones) and a few layouts of the test writer. */
export function mutationSeeds(): Uint8Array[] {
  const nested: SaveValue = {
    state_dict: {
      'module.conv.weight': { dtype: 'float32', shape: [2, 1, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] },
      'module.bn.num_batches_tracked': { dtype: 'int64', shape: [], data: [3] },
      'module.fc.bias': { dtype: 'bfloat16', shape: [3], data: [0.5, -2, 1] },
    },
    epoch: 12,
    best: 0.5,
  };
  return [
    ...[
      'mixed-dtypes-zip.pth',
      'mixed-dtypes-legacy.pth',
      'whole-module-zip.pth',
      'evil-os-system-zip.pth',
      'evil-os-system-legacy.pth',
      'evil-builtins-eval-zip.pth',
      'corrupt-truncated-zip.pth',
      'corrupt-truncated-legacy.pth',
    ].map((f) => fixture(`pth/${f}`)),
    torchSave(nested),
    torchSave(nested, { format: 'legacy' }),
    torchSave(nested, { zip64: true, bigEndian: true }),
    torchSave(nested, { format: 'tar' }),
  ];
}

/** One mutation: which seed, and the edits. */
export type Mutation = {
  seed: number;
  edits: { at: number; head: boolean; value: number }[];
  cut: number | undefined;
  insert: { at: number; bytes: number[] } | undefined;
  remove: { at: number; length: number } | undefined;
};

export const mutationArb = (seeds: number): fc.Arbitrary<Mutation> =>
  fc.record({
    seed: fc.nat({ max: seeds - 1 }),
    edits: fc.array(fc.record({ at: fc.nat(), head: fc.boolean(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    insert: fc.option(fc.record({ at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }), { nil: undefined }),
    remove: fc.option(fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }), { nil: undefined }),
  });

/** Applies a mutation to a copy of `bytes`. */
export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  let out = bytes.slice();
  for (const e of m.edits) {
    // Half of the edits hit the first 4 KiB, where the pickles (and the zip's first headers) are.
    const span = e.head ? Math.min(out.length, 4096) : out.length;
    if (span > 0) out[e.at % span] = e.value;
  }
  if (m.insert !== undefined) {
    const at = m.insert.at % (out.length + 1);
    out = Uint8Array.from([...out.subarray(0, at), ...m.insert.bytes, ...out.subarray(at)]);
  }
  if (m.remove !== undefined && out.length > 0) {
    const at = m.remove.at % out.length;
    out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + m.remove.length)]);
  }
  if (m.cut !== undefined) out = out.subarray(0, m.cut % (out.length + 1));
  return out;
}

/** The longest a read may take: a hang guard, not a performance figure. */
export const READ_BOUND_MS = 2000;
export const PWNED = '/tmp/PWNED_BY_PTH';

/**
 * Reads a mutant and throws (an Error describing the failure) unless it gives
 * consistent tensors or a PyTorchFileError/SafetensorsError, within the bound,
 * creating nothing. Returns whether it read.
 */
export function checkMutant(bytes: Uint8Array): boolean {
  const start = performance.now();
  let ok = false;
  try {
    const { tensors } = readPyTorchCheckpoint(bytes);
    for (const [key, t] of Object.entries(tensors)) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (t.data.length !== n) throw new Error(`tensor ${key}: ${t.data.length} values for shape [${t.shape}]`);
    }
    ok = true;
  } catch (e) {
    if (!(e instanceof PyTorchFileError) && !(e instanceof SafetensorsError)) throw new Error(`untyped error: ${String(e)}`, { cause: e });
  }
  const ms = performance.now() - start;
  if (ms > READ_BOUND_MS) throw new Error(`the read took ${ms.toFixed(0)} ms`);
  if (existsSync(PWNED)) throw new Error(`${PWNED} appeared`);
  return ok;
}
