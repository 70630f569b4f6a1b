import * as tf from '@tensorflow/tfjs';

const BACKEND = 'wasm';

type KernelArgs = Parameters<tf.KernelConfig['kernelFunc']>[0];
type TensorResult = ReturnType<tf.KernelConfig['kernelFunc']>;

/** The attributes of the convolution backprop kernels (always NHWC, dilation 1 here). */
interface ConvBackpropAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * A kernel written with tfjs ops: its inputs arrive as tensors (each holding
 * its own reference to the data, released afterwards) and it returns the
 * result tensor, or `undefined` to leave the case to `fallback`.
 */
type OpKernel = (inputs: tf.Tensor4D[], attrs: Record<string, unknown>) => tf.Tensor | undefined;

/** Runs an {@link OpKernel} inside a tfjs kernel function. */
function runOpKernel(args: KernelArgs, names: readonly string[], kernel: OpKernel, fallback?: tf.KernelConfig): TensorResult {
  const backend = args.backend as tf.KernelBackend;
  const inputs = names.map((n) => {
    const info = args.inputs[n] as tf.TensorInfo;
    backend.incRef(info.dataId);
    return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
  });
  try {
    // tidy cannot return `undefined`: an empty list stands for "not handled".
    const out = tf.tidy(() => kernel(inputs, args.attrs as Record<string, unknown>) ?? []);
    if (!Array.isArray(out)) return out as tf.Tensor;
  } finally {
    tf.dispose(inputs);
  }
  if (fallback === undefined) throw new Error('tfjs-resnet: no kernel for this case');
  return fallback.kernelFunc(args);
}

/** The padding and strides tfjs would use for a convolution of `xShape` with `filterShape`. */
function convInfo(xShape: number[], filterShape: number[], attrs: ConvBackpropAttrs, kernel: string) {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
    throw new Error(`${kernel} (tfjs-resnet, wasm): only the NHWC data format is supported, got ${attrs.dataFormat}`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

const isPointwise = (info: tf.backend_util.Conv2DInfo): boolean =>
  info.filterHeight === 1 &&
  info.filterWidth === 1 &&
  info.strideHeight === 1 &&
  info.strideWidth === 1 &&
  info.padInfo.top + info.padInfo.bottom + info.padInfo.left + info.padInfo.right === 0;

/**
 * The gradient of a convolution with respect to its filter, as a forward
 * convolution (XNNPACK-fast): with the input padded as the convolution
 * padded it, `dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh, ow·s + kw, ci] ·
 * dy[n, oh, ow, co]` — a convolution of `x` transposed to `[ci, H, W, n]`
 * with `dy` transposed to `[oh, ow, n, co]` as the filter, dilated by the
 * stride. A 1×1 unstrided convolution is one matrix product.
 */
const backpropFilter: OpKernel = ([x, dy], attrs) => {
  const filterShape = attrs.filterShape as [number, number, number, number];
  const [kh, kw, ci, co] = filterShape;
  const info = convInfo(x.shape, filterShape, attrs as unknown as ConvBackpropAttrs, 'Conv2DBackpropFilter');
  if (isPointwise(info)) {
    const pixels = x.shape[0] * x.shape[1] * x.shape[2];
    return tf.reshape(tf.matMul(tf.reshape(x, [pixels, ci]), tf.reshape(dy, [pixels, co]), true, false), filterShape);
  }
  const { top, bottom, left, right } = info.padInfo;
  const padded = tf.pad(x, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  const xT = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
  return tf.transpose(tf.slice(full, [0, 0, 0, 0], [ci, kh, kw, co]), [1, 2, 0, 3]);
};

/**
 * The gradient of a convolution with respect to its input, as a forward
 * convolution: `dy` dilated by the stride (zeros between its pixels), padded
 * by `k − 1` (and up to the padded input size), convolved with the filter
 * flipped in space and with its channel axes swapped, then cropped to the
 * unpadded input. A 1×1 unstrided convolution is one matrix product.
 */
const backpropInput: OpKernel = ([dy, filter], attrs) => {
  const inputShape = attrs.inputShape as [number, number, number, number];
  const [kh, kw, ci, co] = filter.shape;
  const info = convInfo(inputShape, filter.shape, attrs as unknown as ConvBackpropAttrs, 'Conv2DBackpropInput');
  if (isPointwise(info)) {
    const pixels = dy.shape[0] * dy.shape[1] * dy.shape[2];
    return tf.reshape(tf.matMul(tf.reshape(dy, [pixels, co]), tf.reshape(filter, [ci, co]), false, true), inputShape);
  }
  const [n, h, w] = inputShape;
  const { top, bottom, left, right } = info.padInfo;
  const [oh, ow] = [dy.shape[1], dy.shape[2]];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  let d: tf.Tensor4D = dy;
  if (sh > 1 || sw > 1) {
    // Zeros between the pixels: [n, oh, 1, ow, 1, co] → pad → [n, oh·sh, ow·sw, co] → drop the trailing zeros.
    const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, co]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    d = tf.slice(tf.reshape(spread, [n, oh * sh, ow * sw, co]) as tf.Tensor4D, [0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, co]);
  }
  // The padded input's rows past the last window get no gradient.
  const extraH = h + top + bottom - ((oh - 1) * sh + kh);
  const extraW = w + left + right - ((ow - 1) * sw + kw);
  const framed = tf.pad(d, [
    [0, 0],
    [kh - 1, kh - 1 + extraH],
    [kw - 1, kw - 1 + extraW],
    [0, 0],
  ]);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const full = tf.conv2d(framed as tf.Tensor4D, flipped, 1, 'valid');
  return tf.slice(full, [0, top, left, 0], inputShape);
};

/**
 * `Tile` when it only repeats axes of length 1 (a broadcast, as BatchNorm's
 * gradient uses it): an addition to zeros of the output shape, which
 * XNNPACK broadcasts far faster than the generic tile loop. Other cases go
 * to the backend's own kernel.
 */
const broadcastTile: OpKernel = ([x], attrs) => {
  const reps = attrs.reps as number[];
  const shape = x.shape as number[];
  if (x.dtype !== 'float32' || !shape.every((d, i) => d === 1 || reps[i] === 1)) return undefined;
  return tf.add(x, tf.zeros(shape.map((d, i) => d * reps[i])));
};

/** The kernels: those the backend lacks, and faster replacements of slow ones. */
const KERNELS: ReadonlyArray<{ name: string; inputs: readonly string[]; kernel: OpKernel; replaces: boolean }> = [
  { name: 'Conv2DBackpropFilter', inputs: ['x', 'dy'], kernel: backpropFilter, replaces: false },
  { name: 'Conv2DBackpropInput', inputs: ['dy', 'filter'], kernel: backpropInput, replaces: true },
  { name: 'Tile', inputs: ['x'], kernel: broadcastTile, replaces: true },
];

/** Kernel functions registered here, to recognise them. */
const ours = new WeakSet<tf.KernelFunc>();

/**
 * Makes training on the WebAssembly backend work and fast.
 * `@tensorflow/tfjs-backend-wasm` 4.x has no `Conv2DBackpropFilter` kernel —
 * every gradient through a convolution (`model.fit`, `tf.grads`) fails with
 * "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" — and its
 * `Conv2DBackpropInput` and `Tile` (which BatchNorm's gradient uses) run
 * generic loops several times slower than the forward pass. This registers
 * the missing kernel and replaces the slow ones with equivalents built on the
 * backend's XNNPACK convolution, matrix product and broadcasting (same
 * results up to float rounding; cases they do not cover go to the original).
 *
 * The missing kernel is registered whenever this runs; the replacements only
 * once the wasm backend is loaded (so it does not overwrite them). tfjs-resnet
 * calls this when it is imported; call it again after importing
 * `@tensorflow/tfjs-backend-wasm` yourself later (`useBestBackend` does).
 * Idempotent.
 *
 * @returns the names of the kernels registered by this call.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmTrainingKernels } from 'tfjs-resnet';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * await model.fit(xs, ys); // convolution gradients on wasm
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const { name, inputs, kernel, replaces } of KERNELS) {
    const current = tf.getKernel(name, BACKEND);
    if (current !== undefined && ours.has(current.kernelFunc)) continue;
    if (replaces ? current === undefined : current !== undefined) continue;
    const original = current;
    const kernelFunc: tf.KernelFunc = (args) => runOpKernel(args, inputs, kernel, original);
    ours.add(kernelFunc);
    if (original !== undefined) tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({ ...original, kernelName: name, backendName: BACKEND, kernelFunc });
    registered.push(name);
  }
  return registered;
}

registerWasmTrainingKernels();
