// One measurement in a fresh process (so peak RSS is its own), driven by
// bench/run.ts: `node --expose-gc --import tsx bench/worker.ts '<json spec>'`.
// Prints one `BENCH_RESULT {json}` line.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  MODELS,
  RESULT_PREFIX,
  interleavedMedians,
  loadModel,
  median,
  int8OnnxPath,
  modelDir,
  onnxPath,
  referenceOnnxPath,
  saveModel,
  type ModelName,
  type Variant,
} from './common.js';
import { sessionOptions } from '../src/onnx/run.js';

export type Backend = 'wasm' | 'cpu' | 'tensorflow';

/** What a worker is asked to measure. */
export type WorkerSpec =
  | { mode: 'prepare'; model: ModelName }
  | { mode: 'buildTime'; reps: number }
  | { mode: 'tfjsTime'; model: ModelName; backend: Backend; iters1: number; iters8: number }
  | { mode: 'tfjsMemory'; model: ModelName; variant: Variant; backend: Backend; batch8: boolean }
  | { mode: 'ort'; model: ModelName; threads: number; iters1: number; iters8: number };

/** Per-image milliseconds at batch 1 and 8 (undefined: not measured). */
export interface Timing {
  b1?: number;
  b8?: number;
}

/** Per-image times of both variants, measured interleaved in one process. */
export type TfjsTimeResult = Record<Variant, Timing>;

export interface TfjsMemoryResult {
  weightsMB: number;
  tensorPeakMB: number;
  rssDeltaMB: number;
  /** Growth of the WebAssembly memory during inference (wasm backend only). */
  wasmGrowthMB?: number;
}

export interface OrtResult {
  ours: Timing & { rssDeltaMB: number };
  /** Our int8 (QDQ) export, interleaved with the others. */
  int8: Timing;
  reference?: Timing;
}

export interface PrepareResult {
  buildMs: number;
  optimizeMs: number;
  exportMs: number;
  onnxMB: number;
  /** exportOnnx({ quantize: 'int8' }) with 8 calibration images, including calibration. */
  int8ExportMs: number;
  int8MB: number;
}

export interface BuildTimeResult {
  defaultMs: number;
  zerosMs: number;
}

const MB = 2 ** 20;
const rss = (): number => process.memoryUsage.rss();
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

// The library is imported only by the modes that build models, and module by
// module, so a measurement depends on as little of it as possible.
const library = async () => ({
  ...(await import('../src/models/resnet.js')),
  ...(await import('../src/inference/optimize.js')),
  ...(await import('../src/onnx/export.js')),
});

async function useBackend(backend: Backend): Promise<void> {
  if (backend === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
  if (backend === 'wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const { locateNodeWasmDir } = await import('../src/backend/wasm-paths.js');
    const dir = await locateNodeWasmDir();
    if (dir !== undefined) setWasmPaths(dir);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} is not available`);
  await tf.ready();
}

async function prepare(model: ModelName): Promise<PrepareResult> {
  await useBackend('wasm');
  const { resnet, optimizeForInference, exportOnnx } = await library();
  let t = performance.now();
  const built = resnet(MODELS[model], { classifierActivation: 'linear', name: model });
  const buildMs = performance.now() - t;
  await saveModel(built, modelDir(model, 'asBuilt'));
  t = performance.now();
  const fast = optimizeForInference(built);
  const optimizeMs = performance.now() - t;
  await saveModel(fast, modelDir(model, 'optimized'));
  t = performance.now();
  const bytes = exportOnnx(built);
  const exportMs = performance.now() - t;
  mkdirSync(path.dirname(onnxPath(model)), { recursive: true });
  writeFileSync(onnxPath(model), bytes);
  // Calibration images only set the ranges; the speed does not depend on them.
  const calibration = tf.randomNormal([8, 224, 224, 3], 0, 1, 'float32', 1);
  t = performance.now();
  const int8 = await exportOnnx(built, { quantize: 'int8', calibration });
  const int8ExportMs = performance.now() - t;
  calibration.dispose();
  writeFileSync(int8OnnxPath(model), int8);
  return { buildMs, optimizeMs, exportMs, onnxMB: bytes.length / MB, int8ExportMs, int8MB: int8.length / MB };
}

async function buildTime(reps: number): Promise<BuildTimeResult> {
  await useBackend('wasm');
  const { resnet } = await library();
  resnet(18, { init: 'zeros' }).dispose(); // warm up the JIT and the backend
  const times: Record<'default' | 'zeros', number[]> = { default: [], zeros: [] };
  for (let r = 0; r < reps; r++) {
    for (const init of ['default', 'zeros'] as const) {
      const t = performance.now();
      const m = resnet(50, { init });
      times[init].push(performance.now() - t);
      m.dispose();
    }
  }
  return { defaultMs: median(times.default), zerosMs: median(times.zeros) };
}

/**
 * Times several contenders on batch 1 and 8, interleaved (the order alternates
 * each round) so that they see the same machine load; one warm-up round.
 * Returns per-image median milliseconds.
 */
async function interleaved<K extends string>(
  who: readonly K[],
  iters: Record<1 | 8, number>,
  run: (k: K, batch: 1 | 8) => Promise<void>,
): Promise<Record<K, Timing>> {
  const timing = Object.fromEntries(who.map((k) => [k, {} as Timing])) as Record<K, Timing>;
  for (const batch of [1, 8] as const) {
    if (iters[batch] <= 0) continue;
    const ms = await interleavedMedians(who, iters[batch], (k) => run(k, batch));
    for (const k of who) timing[k][batch === 1 ? 'b1' : 'b8'] = ms[k] / batch;
  }
  return timing;
}

const VARIANTS: readonly Variant[] = ['asBuilt', 'optimized'];

async function tfjsTime(s: Extract<WorkerSpec, { mode: 'tfjsTime' }>): Promise<TfjsTimeResult> {
  await useBackend(s.backend);
  const models = { asBuilt: await loadModel(modelDir(s.model, 'asBuilt')), optimized: await loadModel(modelDir(s.model, 'optimized')) };
  const inputs = { 1: tf.randomNormal([1, 224, 224, 3]), 8: tf.randomNormal([8, 224, 224, 3]) };
  return interleaved(VARIANTS, { 1: s.iters1, 8: s.iters8 }, async (v, batch) => {
    const y = models[v].predict(inputs[batch]) as tf.Tensor;
    await y.data();
    y.dispose();
  });
}

async function tfjsMemory(s: Extract<WorkerSpec, { mode: 'tfjsMemory' }>): Promise<TfjsMemoryResult> {
  await useBackend(s.backend);
  const model = await loadModel(modelDir(s.model, s.variant));
  const weightsMB = tf.memory().numBytes / MB;
  const x = tf.randomNormal([s.batch8 ? 8 : 1, 224, 224, 3]);
  const wasmBytes = (): number | undefined =>
    s.backend === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength : undefined;
  const heap0 = wasmBytes();
  gc();
  const rss0 = rss();
  let peak = rss0;
  for (let i = 0; i < 2; i++) {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    peak = Math.max(peak, rss());
    y.dispose();
  }
  const info = await tf.profile(() => {
    (model.predict(x) as tf.Tensor).dispose();
  });
  const heap1 = wasmBytes();
  return {
    weightsMB,
    tensorPeakMB: info.peakBytes / MB,
    rssDeltaMB: (peak - rss0) / MB,
    wasmGrowthMB: heap0 === undefined || heap1 === undefined ? undefined : (heap1 - heap0) / MB,
  };
}

async function ortBench(s: Extract<WorkerSpec, { mode: 'ort' }>): Promise<OrtResult> {
  const ort = await import('onnxruntime-node');
  const options = {
    graphOptimizationLevel: 'all' as const,
    executionMode: 'sequential' as const,
    intraOpNumThreads: s.threads,
    interOpNumThreads: 1,
  };
  const feed = (batch: number, layout: 'nhwc' | 'nchw') => {
    const data = Float32Array.from({ length: batch * 224 * 224 * 3 }, () => Math.random() * 2 - 1);
    return new ort.Tensor('float32', data, layout === 'nhwc' ? [batch, 224, 224, 3] : [batch, 3, 224, 224]);
  };
  const iters = { 1: s.iters1, 8: s.iters8 };
  // Memory first, ours alone: RSS above the baseline after creating the session and running both batches.
  gc();
  const rss0 = rss();
  const ours = await ort.InferenceSession.create(readFileSync(onnxPath(s.model)), options);
  type Feeds = Record<1 | 8, Record<string, InstanceType<typeof ort.Tensor>>>;
  const feeds: { ours: Feeds; ref?: Feeds } = { ours: { 1: { input: feed(1, 'nhwc') }, 8: { input: feed(8, 'nhwc') } } };
  for (const batch of [1, 8] as const) if (iters[batch] > 0) await ours.run(feeds.ours[batch]);
  const rssDeltaMB = (rss() - rss0) / MB;
  // The int8 model with the options runOnnx uses: on x86-64 CPUs without VNNI they add the x64 precision mode,
  // without which the timing would be of kernels that can saturate (same as `options` on this VNNI machine).
  const int8 = await ort.InferenceSession.create(readFileSync(int8OnnxPath(s.model)), await sessionOptions({ threads: s.threads }, 'bench'));
  const refPath = referenceOnnxPath(s.model);
  const ref = existsSync(refPath) ? await ort.InferenceSession.create(readFileSync(refPath), options) : undefined;
  if (ref !== undefined) feeds.ref = { 1: { [ref.inputNames[0]]: feed(1, 'nchw') }, 8: { [ref.inputNames[0]]: feed(8, 'nchw') } };
  const sessions = { ours, int8, ref };
  const who = ref === undefined ? (['ours', 'int8'] as const) : (['ours', 'int8', 'ref'] as const);
  const t = await interleaved<'ours' | 'int8' | 'ref'>(who, iters, async (k, batch) => {
    await sessions[k]!.run(feeds[k === 'int8' ? 'ours' : k]![batch]);
  });
  return { ours: { ...t.ours, rssDeltaMB }, int8: t.int8, reference: ref === undefined ? undefined : t.ref };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as WorkerSpec;
  let result: unknown;
  if (spec.mode === 'prepare') result = await prepare(spec.model);
  else if (spec.mode === 'buildTime') result = await buildTime(spec.reps);
  else if (spec.mode === 'tfjsTime') result = await tfjsTime(spec);
  else if (spec.mode === 'tfjsMemory') result = await tfjsMemory(spec);
  else if (spec.mode === 'ort') result = await ortBench(spec);
  else throw new Error(`unknown worker spec ${process.argv[2]}`);
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

await main();
