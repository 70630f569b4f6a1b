// Load time and peak memory of loadPyTorchWeights for a ~100 MB ResNet-50
// safetensors file (hash-init weights), on the wasm backend.
//
//   npx tsx bench/load-weights.ts            (add --expose-gc via NODE_OPTIONS for steadier baselines)
//
// Memory is sampled with process.memoryUsage() before the load, on every
// progress callback (during the read and after each tensor is written), every
// 5 ms while the event loop is free, and after the load.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useBestBackend } from '../src/backend/index.js';
import { resnet50 } from '../src/models/resnet.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { writeSafetensors, type SafetensorsTensorInput } from '../src/weights/safetensors.js';
import { pytorchStateDictSpec } from '../src/weights/state-dict.js';
import { hashValue } from '../test/helpers/hash-init.js';

const RUNS = 3;
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

type Sample = ReturnType<typeof process.memoryUsage>;

async function main(): Promise<void> {
  await useBestBackend({ prefer: ['wasm'] });

  const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-bench-'));
  const file = path.join(dir, 'resnet50.safetensors');
  try {
    {
      const tensors: Record<string, SafetensorsTensorInput> = {};
      for (const e of pytorchStateDictSpec(resnet50({ init: 'zeros' }))) {
        tensors[e.key] = e.dtype === 'int64' ? { dtype: 'I64', shape: [], data: [0] } : { shape: e.shape, data: hashValue('dev', e.key, e.shape) };
      }
      writeFileSync(file, writeSafetensors(tensors));
    }
    const fileBytes = statSync(file).size;

    const rows: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const model = resnet50({ init: 'zeros', classifierActivation: 'linear' });
      gc?.();
      const base = process.memoryUsage();
      const peak = { ...base };
      const sample = (): void => {
        const m: Sample = process.memoryUsage();
        for (const k of Object.keys(peak) as Array<keyof Sample>) peak[k] = Math.max(peak[k], m[k]);
      };
      const timer = setInterval(sample, 5);
      const report = await loadPyTorchWeights(model, file, { onProgress: sample });
      clearInterval(timer);
      sample();
      const growth = peak.rss - base.rss;
      const external = peak.external - base.external;
      rows.push(
        `| ${run} | ${report.ms.toFixed(0)} | ${(report.bytes / MB).toFixed(1)} | ${(growth / MB).toFixed(1)} | ${(external / MB).toFixed(1)} | ` +
          `${(growth / fileBytes).toFixed(2)} | ${(external / fileBytes).toFixed(2)} |`,
      );
      model.dispose();
    }

    console.log(`\nloadPyTorchWeights(resnet50, path) — file ${(fileBytes / MB).toFixed(1)} MB, backend ${tf.getBackend()}, ` +
      `Node ${process.version}, gc ${gc ? 'forced before each run' : 'not exposed'}\n`);
    console.log('| run | load ms | weights MB | peak RSS growth MB | peak external growth MB | RSS growth / file | external growth / file |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
