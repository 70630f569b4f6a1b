// The benchmark: `npx tsx bench/run.ts [--quick] [--models=resnet18,resnet50]`.
// ResNet-18/50/101 × runtime (tfjs wasm, cpu, tensorflow when installed;
// onnxruntime-node on our ONNX export, 1 and 2 threads) × variant (as built,
// optimized; ONNX fp32 and int8), against onnxruntime-node running torchvision's own ONNX export
// (bench/setup-reference.sh). Every measurement runs in a fresh process.
// Prints the tables; a full run also writes bench/results.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, MODELS, RESULT_PREFIX, ROOT, macsOf, referenceOnnxPath, type ModelName, type Variant } from './common.js';
import type { Backend, BuildTimeResult, OrtResult, PrepareResult, TfjsMemoryResult, TfjsTimeResult, Timing, WorkerSpec } from './worker.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const modelArg = args.find((a) => a.startsWith('--models='))?.slice('--models='.length);
const models = (modelArg ? modelArg.split(',') : quick ? ['resnet18'] : Object.keys(MODELS)) as ModelName[];
for (const m of models) if (!(m in MODELS)) throw new Error(`unknown model ${m}; valid: ${Object.keys(MODELS).join(', ')}`);
// The smoke run (--quick) only prints; a full run also writes bench/results.md.
const outFile = quick ? undefined : path.join(BENCH_DIR, 'results.md');

const require = createRequire(import.meta.url);
const installed = (pkg: string): boolean => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const version = (pkg: string): string => {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'n/a';
  }
};

function worker<R>(spec: WorkerSpec): R {
  const label = Object.values(spec).join(' ');
  process.stderr.write(`bench: ${label} … `);
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(BENCH_DIR, 'worker.ts'), JSON.stringify(spec)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (r.status !== 0 || line === undefined) {
    process.stderr.write('failed\n');
    throw new Error(`bench worker ${label} failed (${r.status}):\n${r.stderr}`);
  }
  process.stderr.write(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as R;
}

// ---- measure ----------------------------------------------------------------
const started = new Date();
const loadStart = os.loadavg()[0];
const backends: Backend[] = ['wasm', ...(quick ? [] : (['cpu'] as Backend[])), ...(installed('@tensorflow/tfjs-node') ? (['tensorflow'] as Backend[]) : [])];
const tfjsIters = (backend: Backend, model: ModelName): { iters1: number; iters8: number } => {
  if (quick) return { iters1: 2, iters8: 0 };
  if (backend === 'cpu') return { iters1: 2, iters8: 0 }; // ~18 s per ResNet-50 image: ResNet-18, batch 1 only
  return { iters1: { resnet18: 10, resnet50: 8, resnet101: 6 }[model], iters8: model === 'resnet18' ? 3 : 2 };
};
const ortIters = quick ? { iters1: 2, iters8: 0 } : { iters1: 30, iters8: 8 };
const threadCounts = [1, 2];

const build = quick ? undefined : worker<BuildTimeResult>({ mode: 'buildTime', reps: 3 });
interface Row {
  model: ModelName;
  runtime: string;
  variant: string;
  timing: Timing;
  /** Time of the as-built model (same runtime), for the speed-up. */
  asBuilt?: Timing;
  tensorPeakMB?: number;
  rssDeltaMB?: number;
  wasmGrowthMB?: number;
  weightsMB?: number;
  /** Thread count of the reference run to compare with. */
  refThreads: number;
}
const rows: Row[] = [];
const prepared: Partial<Record<ModelName, PrepareResult>> = {};
const refTiming = new Map<string, Timing>();
for (const model of models) {
  prepared[model] = worker<PrepareResult>({ mode: 'prepare', model });
  for (const backend of backends) {
    if (backend === 'cpu' && model !== 'resnet18') continue;
    const times = worker<TfjsTimeResult>({ mode: 'tfjsTime', model, backend, ...tfjsIters(backend, model) });
    for (const variant of ['asBuilt', 'optimized'] as Variant[]) {
      const mem = worker<TfjsMemoryResult>({ mode: 'tfjsMemory', model, variant, backend, batch8: tfjsIters(backend, model).iters8 > 0 });
      rows.push({
        model,
        runtime: `tfjs ${backend}`,
        variant: variant === 'asBuilt' ? 'as built' : 'optimized',
        timing: times[variant],
        asBuilt: times.asBuilt,
        ...mem,
        refThreads: 1,
      });
    }
  }
  for (const threads of threadCounts) {
    const r = worker<OrtResult>({ mode: 'ort', model, threads, ...ortIters });
    rows.push({
      model,
      runtime: `onnxruntime-node ${threads} thr`,
      variant: 'our ONNX export',
      timing: r.ours,
      rssDeltaMB: r.ours.rssDeltaMB,
      refThreads: threads,
    });
    rows.push({ model, runtime: `onnxruntime-node ${threads} thr`, variant: 'our ONNX export, int8', timing: r.int8, refThreads: threads });
    if (r.reference) {
      refTiming.set(`${model}|${threads}`, r.reference);
      rows.push({ model, runtime: `onnxruntime-node ${threads} thr`, variant: "torchvision's ONNX export", timing: r.reference, refThreads: threads });
    }
  }
}

// ---- report -----------------------------------------------------------------
const f = (v: number | undefined, digits = 0): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);
const gflops = (model: ModelName, ms: number | undefined): number | undefined => {
  const macs = macsOf(model);
  return macs === undefined || ms === undefined ? undefined : (2 * macs) / (ms / 1000) / 1e9;
};
const pair = (a: string, b: string): string => (a === '—' && b === '—' ? '—' : `${a} / ${b}`);

const lines: string[] = [];
const out = (s = ''): void => void lines.push(s);
out('# Benchmark results');
out();
out(`Generated by \`npx tsx bench/run.ts${quick ? ' --quick' : ''}\` on ${started.toISOString()}.`);
out();
out('| | |');
out('|---|---|');
out(`| CPU | ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length} |`);
out(`| Node | ${process.version} |`);
out(
  `| @tensorflow/tfjs | ${version('@tensorflow/tfjs')} (wasm ${version('@tensorflow/tfjs-backend-wasm')}; tfjs-node ${installed('@tensorflow/tfjs-node') ? version('@tensorflow/tfjs-node') : 'not installed — "tensorflow" not measured'}) |`,
);
out(`| onnxruntime-node | ${version('onnxruntime-node')} |`);
out(
  `| torchvision reference | ${models.some((m) => existsSync(referenceOnnxPath(m))) ? 'ONNX export by `bench/setup-reference.sh`' : 'not measured (run `bash bench/setup-reference.sh` with python3-torch and python3-torchvision)'} |`,
);
out(`| load average (1 min) at start / end | ${loadStart.toFixed(1)} / ${os.loadavg()[0].toFixed(1)} |`);
out();
out('Times are medians of per-image milliseconds at 224×224 (batch 1 / batch 8) after one warm-up run. Contenders that are compared (as built vs');
out("optimized; our ONNX export, fp32 and int8, vs torchvision's) run interleaved in one process, so that they share the machine's load; memory is measured");
out('in a fresh process per configuration.');
out('GFLOP/s counts 2 × the multiply-adds of torchvision\'s network. "vs ORT-tv" is the time relative to onnxruntime-node running');
out('torchvision\'s own ONNX export at the same thread count (tfjs rows: 1 thread) — lower is better; "speed-up" is as-built time / this time.');
out('Tensor peak is `tf.profile(predict).peakBytes` at the largest batch measured (weights included); wasm growth is how much the');
out('WebAssembly memory grew during inference (it never shrinks: the high-water mark); RSS Δ is the process RSS peak during inference');
out('above the loaded model (onnxruntime: after creating the session and running both batches) — allocator- and GC-dependent, noisy.');
out();

const target50 = models.includes('resnet50');
if (target50) {
  const wasmBuilt = rows.find((r) => r.model === 'resnet50' && r.runtime === 'tfjs wasm' && r.variant === 'as built');
  const wasmFast = rows.find((r) => r.model === 'resnet50' && r.runtime === 'tfjs wasm' && r.variant === 'optimized');
  const speedup = ratio(wasmBuilt?.timing.b1, wasmFast?.timing.b1);
  out('## Targets (ResNet-50; batch 1 unless stated)');
  out();
  out('| target | measured | met |');
  out('|---|---|---|');
  out(
    `| wasm: optimized ≥ 1.25× faster than as built | ${f(speedup, 2)}× (${f(wasmBuilt?.timing.b1)} → ${f(wasmFast?.timing.b1)} ms) | ${speedup === undefined ? '—' : speedup >= 1.25 ? 'yes' : 'no'} |`,
  );
  for (const threads of threadCounts) {
    const ours = rows.find((r) => r.model === 'resnet50' && r.runtime === `onnxruntime-node ${threads} thr` && r.variant === 'our ONNX export');
    const ref = refTiming.get(`resnet50|${threads}`);
    const rt = ratio(ours?.timing.b1, ref?.b1);
    out(
      `| ONNX, ${threads} thread${threads > 1 ? 's' : ''}: ≤ 1.1× the time of torchvision's export | ${rt === undefined ? 'not measured' : `${f(rt, 2)}× (${f(ours?.timing.b1, 1)} vs ${f(ref?.b1, 1)} ms)`} | ${rt === undefined ? '—' : rt <= 1.1 ? 'yes' : 'no'} |`,
    );
  }
  for (const threads of threadCounts) {
    const q = rows.find((r) => r.model === 'resnet50' && r.runtime === `onnxruntime-node ${threads} thr` && r.variant === 'our ONNX export, int8');
    const ref = refTiming.get(`resnet50|${threads}`);
    for (const batch of ['b1', 'b8'] as const) {
      const rt = ratio(q?.timing[batch], ref?.[batch]);
      out(
        `| ONNX int8, ${threads} thread${threads > 1 ? 's' : ''}, batch ${batch.slice(1)}: ≤ 0.6× the time of torchvision's fp32 export | ${rt === undefined ? 'not measured' : `${f(rt, 2)}× (${f(q?.timing[batch], 1)} vs ${f(ref?.[batch], 1)} ms/img)`} | ${rt === undefined ? '—' : rt <= 0.6 ? 'yes' : 'no'} |`,
      );
    }
  }
  const p50 = prepared.resnet50;
  const sizeRatio = p50 === undefined ? undefined : p50.int8MB / p50.onnxMB;
  out(
    `| ONNX int8 file ≤ 0.3× the fp32 ONNX file | ${f(sizeRatio, 2)}× (${f(p50?.int8MB, 1)} vs ${f(p50?.onnxMB, 1)} MB) | ${sizeRatio === undefined ? '—' : sizeRatio <= 0.3 ? 'yes' : 'no'} |`,
  );
  const peakOk = wasmBuilt && wasmFast ? wasmFast.tensorPeakMB! <= wasmBuilt.tensorPeakMB! && wasmFast.wasmGrowthMB! <= wasmBuilt.wasmGrowthMB! : undefined;
  out(
    `| optimized peak memory ≤ unoptimized (wasm, batch 8: tensor peak; wasm memory growth) | ${f(wasmFast?.tensorPeakMB)} vs ${f(wasmBuilt?.tensorPeakMB)} MB; ${f(wasmFast?.wasmGrowthMB)} vs ${f(wasmBuilt?.wasmGrowthMB)} MB | ${peakOk === undefined ? '—' : peakOk ? 'yes' : 'no'} |`,
  );
  out();
}

out('## Speed and memory');
out();
out(
  '| model | runtime | variant | ms/img (b1 / b8) | GFLOP/s (b1 / b8) | speed-up vs as built (b1 / b8) | vs ORT-tv (b1 / b8) | weights MB | tensor peak MB | wasm growth MB | RSS Δ MB |',
);
out('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ref = refTiming.get(`${r.model}|${r.refThreads}`);
  const vs = ref ? { b1: ratio(r.timing.b1, ref.b1), b8: ratio(r.timing.b8, ref.b8) } : undefined;
  out(
    `| ${r.model} | ${r.runtime} | ${r.variant} | ${pair(f(r.timing.b1, 1), f(r.timing.b8, 1))} | ${pair(f(gflops(r.model, r.timing.b1), 1), f(gflops(r.model, r.timing.b8), 1))} | ${
      r.asBuilt ? pair(f(ratio(r.asBuilt.b1, r.timing.b1), 2), f(ratio(r.asBuilt.b8, r.timing.b8), 2)) : '—'
    } | ${vs ? pair(f(vs.b1, 2), f(vs.b8, 2)) : 'not measured'} | ${f(r.weightsMB)} | ${f(r.tensorPeakMB)} | ${f(r.wasmGrowthMB)} | ${f(r.rssDeltaMB)} |`,
  );
}
out();
if (!backends.includes('cpu')) out('tfjs cpu: not measured (`--quick`).');
else out('tfjs cpu: ResNet-18 at batch 1 only (about 18 s per ResNet-50 image on this backend).');
if (!backends.includes('tensorflow')) out('tfjs tensorflow (tfjs-node): not measured — `@tensorflow/tfjs-node` is not installed.');
out();

out('## Preparation');
out();
out('| model | build (default init) ms | optimizeForInference ms | exportOnnx ms | ONNX MB | int8 export ms (8 calibration images) | int8 ONNX MB |');
out('|---|---|---|---|---|---|---|');
for (const m of models) {
  const p = prepared[m]!;
  out(`| ${m} | ${f(p.buildMs)} | ${f(p.optimizeMs)} | ${f(p.exportMs)} | ${f(p.onnxMB, 1)} | ${f(p.int8ExportMs)} | ${f(p.int8MB, 1)} |`);
}
out();
if (build) {
  out(
    `Building ResNet-50 (wasm backend, median of 3): \`init: 'default'\` ${f(build.defaultMs)} ms, \`init: 'zeros'\` ${f(build.zerosMs)} ms (${f(ratio(build.defaultMs, build.zerosMs), 1)}× faster) — use \`'zeros'\` when weights are loaded next.`,
  );
  out();
}

const md = `${lines.join('\n')}\n`;
if (outFile !== undefined) writeFileSync(outFile, md);
const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0);
process.stdout.write(`${md}\nbench: ${outFile === undefined ? 'done' : `wrote ${path.relative(ROOT, outFile)}`} in ${seconds} s\n`);
