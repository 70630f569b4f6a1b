// Property: random mutations of PyTorch checkpoints only ever read
// consistently or throw the library's typed error, within a time bound, and
// run nothing. The long run (100,000 cases) is bench/fuzz-checkpoint.ts.
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMutant, mutate, mutationArb, mutationSeeds, PWNED } from './helpers/checkpoint-mutations.js';

describe('readPyTorchCheckpoint on mutated files', () => {
  it('300 random mutations: consistent tensors or a typed error, each read within the bound, nothing created', () => {
    rmSync(PWNED, { force: true });
    const seeds = mutationSeeds();
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(mutationArb(seeds.length), (m) => {
        runs++;
        if (checkMutant(mutate(seeds[m.seed], m))) read++;
      }),
      { numRuns: 300 },
    );
    expect(runs).toBeGreaterThanOrEqual(300);
    // Some mutants still read (edits inside tensor data); most are refused.
    expect(read).toBeLessThan(runs);
  });

  it('the seeds themselves: the valid ones read, the hostile and truncated ones are refused', () => {
    const outcomes = mutationSeeds().map((bytes) => checkMutant(bytes));
    expect(outcomes).toEqual([true, true, false, false, false, false, false, false, true, true, true, true]);
  });
});
