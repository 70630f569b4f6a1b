// Shared by bench/run.ts and bench/worker.ts: paths, model files, statistics.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Registers tfjs-resnet's layers (the optimized models hold AddActivation) for tf.loadLayersModel.
import '../src/layers/index.js';
import { nodeFileSystem } from '../src/cli/file-system.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.dirname(BENCH_DIR);
export const CACHE = path.join(BENCH_DIR, '.cache');

/** The benchmarked networks and their depth. */
export const MODELS = { resnet18: 18, resnet50: 50, resnet101: 101 } as const;
export type ModelName = keyof typeof MODELS;

/** Where a prepared model variant is stored. */
export type Variant = 'asBuilt' | 'optimized';
export const modelDir = (model: ModelName, variant: Variant): string => path.join(CACHE, 'models', model, variant);
export const onnxPath = (model: ModelName): string => path.join(CACHE, 'models', model, 'tfjs-resnet.onnx');
export const int8OnnxPath = (model: ModelName): string => path.join(CACHE, 'models', model, 'tfjs-resnet-int8.onnx');
export const referenceOnnxPath = (model: ModelName): string => path.join(CACHE, `torchvision-${model}.onnx`);

/** Saves a LayersModel as `dir`/model.json + weights.bin. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(nodeFileSystem(dir));
}

/** Loads what {@link saveModel} wrote. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(nodeFileSystem(path.join(dir, 'model.json')));
}

/**
 * Median milliseconds per call of each contender, timed interleaved (the
 * order alternates each round) so that all see the same machine load, after
 * `warmup` untimed rounds.
 */
export async function interleavedMedians<K extends string>(
  who: readonly K[],
  rounds: number,
  run: (k: K) => Promise<void> | void,
  warmup = 1,
): Promise<Record<K, number>> {
  const times = Object.fromEntries(who.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup + rounds; i++) {
    for (const k of i % 2 === 0 ? who : [...who].reverse()) {
      const t = performance.now();
      await run(k);
      if (i >= warmup) times[k].push(performance.now() - t);
    }
  }
  return Object.fromEntries(who.map((k) => [k, median(times[k])])) as Record<K, number>;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Multiply-adds per image at 224×224 from the reference architecture data, if present. */
export function macsOf(model: ModelName): number | undefined {
  for (const p of [path.join(ROOT, 'test/fixtures/torchvision-arch-224.json'), path.join(ROOT, '../shared/golden/torchvision-arch-224.json')]) {
    if (!existsSync(p)) continue;
    const arch = JSON.parse(readFileSync(p, 'utf8')) as { models?: Record<string, { macs?: number }> };
    const macs = arch.models?.[model]?.macs;
    if (typeof macs === 'number') return macs;
  }
  return undefined;
}

/** A measurement result line on a worker's stdout. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
