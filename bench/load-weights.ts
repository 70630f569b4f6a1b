// Load time and peak memory of loadPyTorchWeights for a ~100 MB ResNet-50
// state dict (hash-init weights) as safetensors and as torch.save files (zip
// format of PyTorch ≥ 1.6 and the legacy format, written by the test-only
// writer test/helpers/torch-save.ts, laid out as PyTorch 1.13 lays them out),
// on the wasm backend. Each run loads every format once, in an order rotated
// from run to run; a .pth load time is reported as a ratio to the safetensors
// load of the same run, and the medians over the runs are printed.
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
import { torchSave, type SaveTensor } from '../test/helpers/torch-save.js';

const RUNS = 6;
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

type Sample = ReturnType<typeof process.memoryUsage>;
interface Load {
  ms: number;
  weights: number;
  growth: number;
  external: number;
}

async function measure(file: string): Promise<Load> {
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
  model.dispose();
  return { ms: report.ms, weights: report.bytes, growth: peak.rss - base.rss, external: peak.external - base.external };
}

const median = (v: number[]): number => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  await useBestBackend({ prefer: ['wasm'] });

  const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-bench-'));
  const files: Record<string, string> = {
    safetensors: path.join(dir, 'resnet50.safetensors'),
    'pth (zip)': path.join(dir, 'resnet50.pth'),
    'pth (legacy)': path.join(dir, 'resnet50-legacy.pth'),
  };
  const formats = Object.keys(files);
  try {
    {
      const tensors: Record<string, SafetensorsTensorInput> = {};
      const stateDict: Record<string, SaveTensor> = {};
      for (const e of pytorchStateDictSpec(resnet50({ init: 'zeros' }))) {
        const int = e.dtype === 'int64';
        const data = int ? [0] : hashValue('dev', e.key, e.shape);
        tensors[e.key] = int ? { dtype: 'I64', shape: [], data } : { shape: e.shape, data };
        stateDict[e.key] = { dtype: int ? 'int64' : 'float32', shape: e.shape, data };
      }
      writeFileSync(files.safetensors, writeSafetensors(tensors));
      writeFileSync(files['pth (zip)'], torchSave(stateDict));
      writeFileSync(files['pth (legacy)'], torchSave(stateDict, { format: 'legacy' }));
    }

    const rows: string[] = [];
    const ratios = new Map<string, number[]>(formats.map((f) => [f, []]));
    const growths = new Map<string, number[]>(formats.map((f) => [f, []]));
    for (let run = 1; run <= RUNS; run++) {
      const order = formats.map((_, i) => formats[(i + run) % formats.length]);
      const loads = new Map<string, Load>();
      for (const format of order) loads.set(format, await measure(files[format]));
      const reference = loads.get('safetensors')!.ms;
      for (const format of order) {
        const l = loads.get(format)!;
        const fileBytes = statSync(files[format]).size;
        ratios.get(format)!.push(l.ms / reference);
        growths.get(format)!.push(l.growth / fileBytes);
        rows.push(
          `| ${run} | ${format} | ${(fileBytes / MB).toFixed(1)} | ${l.ms.toFixed(0)} | ${(l.ms / reference).toFixed(2)} | ` +
            `${(l.weights / MB).toFixed(1)} | ${(l.growth / MB).toFixed(1)} | ${(l.external / MB).toFixed(1)} | ` +
            `${(l.growth / fileBytes).toFixed(2)} | ${(l.external / fileBytes).toFixed(2)} |`,
        );
      }
    }

    console.log(
      `\nloadPyTorchWeights(resnet50, path) — backend ${tf.getBackend()}, Node ${process.version}, ` + `gc ${gc ? 'forced before each load' : 'not exposed'}\n`,
    );
    console.log(
      '| run | file | file MB | load ms | load time / safetensors | weights MB | peak RSS growth MB | peak external growth MB | RSS growth / file | external growth / file |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
    console.log(`\nmedians over ${RUNS} runs:`);
    for (const format of formats) {
      console.log(
        `- ${format}: load time ${median(ratios.get(format)!).toFixed(2)}× the safetensors load of the same run; ` +
          `peak RSS growth ${median(growths.get(format)!).toFixed(2)}× the file size (max ${Math.max(...growths.get(format)!).toFixed(2)}×)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
