// The long run of the checkpoint-mutation property (the CI test runs 300):
// `npx tsx bench/fuzz-checkpoint.ts [runs=100000] [seed]`. Prints how many
// mutants read, how many were refused with the typed error, and the slowest
// read; any other outcome fails with fast-check's counterexample and seed.
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { checkMutant, mutate, mutationArb, mutationSeeds, PWNED } from '../test/helpers/checkpoint-mutations.js';

const runs = Number(process.argv[2] ?? 100_000);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
rmSync(PWNED, { force: true });
const seeds = mutationSeeds();
let read = 0;
let refused = 0;
let slowest = 0;
const start = performance.now();
fc.assert(
  fc.property(mutationArb(seeds.length), (m) => {
    const t = performance.now();
    if (checkMutant(mutate(seeds[m.seed], m))) read++;
    else refused++;
    slowest = Math.max(slowest, performance.now() - t);
  }),
  { numRuns: runs, seed },
);
const s = (performance.now() - start) / 1000;
console.log(
  `${runs} mutants (seed ${seed}): ${read} read consistently, ${refused} refused with PyTorchFileError/SafetensorsError, ` +
    `0 other outcomes; slowest read ${slowest.toFixed(1)} ms; ${s.toFixed(1)} s in all`,
);
