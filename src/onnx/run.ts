import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { checkInteger } from '../validate.js';
import { hiddenImport } from '../runtime/hidden-import.js';

/**
 * Options of {@link createOnnxSession} and {@link runOnnx}.
 *
 * @example
 * ```ts
 * const options: OnnxRunOptions = { threads: 2 };
 * ```
 */
export interface OnnxRunOptions {
  /**
   * Threads of onnxruntime's intra-op pool.
   * @defaultValue onnxruntime's default (one per physical core)
   */
  threads?: number;
}

/**
 * An onnxruntime-node session that takes and returns `tf.Tensor`s.
 *
 * @example
 * ```ts
 * const session = await createOnnxSession(exportOnnx(model), { threads: 2 });
 * const [probs] = await session.run(x);
 * await session.release();
 * ```
 */
export interface OnnxSession {
  /** The graph's input names, in order. */
  readonly inputNames: readonly string[];
  /** The graph's output names, in order. */
  readonly outputNames: readonly string[];
  /** Runs the model on one tensor per input; returns one tensor per output. */
  run(inputs: tf.Tensor | readonly tf.Tensor[]): Promise<tf.Tensor[]>;
  /** Frees the native session. */
  release(): Promise<void>;
}

/** The onnxruntime-node module. @internal */
export type Ort = typeof import('onnxruntime-node');

let ort: Promise<Ort> | undefined;

/** onnxruntime-node, imported on first use (an optional peer dependency). @internal */
export function loadOrt(): Promise<Ort> {
  // Hidden from bundlers: browser builds must not try to bundle a native addon.
  ort ??= hiddenImport<Ort>('onnxruntime-node').catch((e: unknown) => {
    ort = undefined;
    throw new ConfigError(
      `onnxruntime-node is needed to run ONNX models but could not be loaded (${(e as Error).message}); install it with \`npm install onnxruntime-node\``,
    );
  });
  return ort;
}

/**
 * Whether onnxruntime's u8×s8 int8 kernels can saturate on a CPU: only on
 * x86-64 without VNNI (the AVX2 / AVX-512F kernels sum product pairs in 16
 * bits). `cpuFlags` is Linux's /proc/cpuinfo (`avx512_vnni` / `avx_vnni`);
 * undefined (other systems, unreadable) counts as without VNNI. Never on ARM
 * and other architectures, whose kernels accumulate in 32 bits.
 * @internal
 */
export function u8s8CanSaturate(arch: string, cpuFlags: string | undefined): boolean {
  return arch === 'x64' && !(cpuFlags !== undefined && /\b(avx512_vnni|avx_vnni)\b/.test(cpuFlags));
}

let saturates: Promise<boolean> | undefined;

/** {@link u8s8CanSaturate} on this machine (cached). */
function saturatesHere(): Promise<boolean> {
  saturates ??= (async () => {
    if (process.arch !== 'x64' || process.platform !== 'linux') return u8s8CanSaturate(process.arch, undefined);
    try {
      const fs = await hiddenImport<typeof import('node:fs/promises')>('node:fs/promises');
      return u8s8CanSaturate(process.arch, await fs.readFile('/proc/cpuinfo', 'utf8'));
    } catch {
      return u8s8CanSaturate(process.arch, undefined);
    }
  })();
  return saturates;
}

/**
 * onnxruntime session options: all graph optimizations, sequential, the given
 * threads; on x86-64 CPUs without VNNI also onnxruntime's x64 int8 precision
 * mode (`session.x64quantprecision`), which turns the int8 weights of QDQ
 * models into uint8 so that the u8×s8 pair sums of the AVX2 kernels cannot
 * saturate (slower; with VNNI there is no saturation, and the mode would cost
 * 3–4× in time). Float models are unaffected.
 * @internal
 */
export async function sessionOptions(options: OnnxRunOptions, where: string): Promise<import('onnxruntime-node').InferenceSession.SessionOptions> {
  const threads = options.threads === undefined ? undefined : checkInteger(options.threads, where, 'threads');
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...((await saturatesHere()) ? { extra: { session: { x64quantprecision: '1' } } } : {}),
    ...(threads === undefined ? {} : { intraOpNumThreads: threads, interOpNumThreads: 1 }),
  };
}

/**
 * Opens ONNX model bytes (e.g. from {@link exportOnnx}) in onnxruntime-node
 * with all graph optimizations on. onnxruntime-node is an optional peer
 * dependency, imported on first use; without it this throws a
 * {@link ConfigError}.
 *
 * @example
 * ```ts
 * const session = await createOnnxSession(exportOnnx(resnet50()), { threads: 2 });
 * for (const x of batches) { const [y] = await session.run(x); ... }
 * await session.release();
 * ```
 */
export async function createOnnxSession(model: Uint8Array, options: OnnxRunOptions = {}): Promise<OnnxSession> {
  const { InferenceSession, Tensor } = await loadOrt();
  const session = await InferenceSession.create(model, await sessionOptions(options, 'createOnnxSession'));
  const inputNames = [...session.inputNames];
  const outputNames = [...session.outputNames];
  return {
    inputNames,
    outputNames,
    async run(inputs) {
      const xs = Array.isArray(inputs) ? (inputs as readonly tf.Tensor[]) : [inputs as tf.Tensor];
      if (xs.length !== inputNames.length) {
        throw new ConfigError(`OnnxSession.run: the model takes ${inputNames.length} input(s) (${inputNames.join(', ')}), got ${xs.length}`);
      }
      const feeds: Record<string, InstanceType<typeof Tensor>> = {};
      xs.forEach((x, i) => {
        if (x.dtype !== 'float32') throw new ConfigError(`OnnxSession.run: input "${inputNames[i]}" must be float32, got ${x.dtype}`);
        feeds[inputNames[i]] = new Tensor('float32', x.dataSync() as Float32Array, x.shape);
      });
      const results = await session.run(feeds);
      return outputNames.map((name) => {
        const r = results[name];
        const t = tf.tensor(r.data as Float32Array, r.dims as number[], 'float32');
        r.dispose();
        return t;
      });
    },
    release: () => session.release(),
  };
}

/**
 * Runs ONNX model bytes or an open {@link OnnxSession} on a `tf.Tensor`
 * (or one per input) with onnxruntime-node; returns the output tensor, or an
 * array when the model has several outputs. Given bytes, it opens and
 * releases a session each call — keep a session for repeated runs.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(model);
 * const logits = (await runOnnx(bytes, x, { threads: 2 })) as tf.Tensor;
 * ```
 */
export async function runOnnx(
  model: Uint8Array | OnnxSession,
  x: tf.Tensor | readonly tf.Tensor[],
  options: OnnxRunOptions = {},
): Promise<tf.Tensor | tf.Tensor[]> {
  const own = model instanceof Uint8Array;
  const session = own ? await createOnnxSession(model, options) : model;
  try {
    const out = await session.run(x);
    return out.length === 1 ? out[0] : out;
  } finally {
    if (own) await session.release();
  }
}
