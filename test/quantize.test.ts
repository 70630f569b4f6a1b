// int8 ONNX export (exportOnnx({ quantize: 'int8', calibration })) on real
// data: the published CIFAR-10 ResNet-32/44 checkpoints, calibrated on 100
// real test images and evaluated in onnxruntime-node on the other 1,900
// (test/helpers/cifar-realworld.ts); bad calibration input; no leaked tensors.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, ShapeError, createModel, cifarResnet, resnet18 } from '../src/index.js';
import { createOnnxSession, exportOnnx } from '../src/onnx/index.js';
import { sessionOptions, u8s8CanSaturate } from '../src/onnx/run.js';
import { fixturePath } from './helpers/golden-numerics.js';
import { CALIBRATION_INDICES, CIFAR_NETS, EVALUATION_INDICES, cifarImages, cifarLabels, percentEqual, torchTop1 } from './helpers/cifar-realworld.js';

const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;

/** The decoded graph's nodes and initializers. */
function decode(bytes: Uint8Array): { node: OnnxTypes.NodeProto[]; initializer: OnnxTypes.TensorProto[] } {
  const graph = onnx.ModelProto.decode(bytes).graph as OnnxTypes.GraphProto;
  return { node: graph.node as OnnxTypes.NodeProto[], initializer: graph.initializer as OnnxTypes.TensorProto[] };
}

/** onnxruntime's top-1 class of every image. */
async function onnxTop1(bytes: Uint8Array, images: tf.Tensor): Promise<Int32Array> {
  const session = await createOnnxSession(bytes);
  const [logits] = await session.run(images);
  await session.release();
  const top1 = tf.tidy(() => logits.argMax(-1));
  const out = (await top1.data()) as Int32Array;
  tf.dispose([logits, top1]);
  return out;
}

let images: tf.Tensor4D;
let calibration: tf.Tensor4D;
beforeAll(() => {
  images = cifarImages();
  calibration = tf.gather(images, CALIBRATION_INDICES);
});
afterAll(() => tf.dispose([images, calibration]));

describe('int8 ONNX on 1,900 real CIFAR-10 images (calibrated on 100 others)', () => {
  for (const net of CIFAR_NETS) {
    test(`${net}: int8 top-1 within 0.5 points of fp32, file ≤ 0.3× the fp32 size, no leaked tensors`, async () => {
      const model = await createModel(net, { weights: fixturePath(`realworld/${net}.th`) });
      const fp32 = exportOnnx(model);
      const before = tf.memory().numTensors;
      const int8 = await exportOnnx(model, { quantize: 'int8', calibration });
      expect(tf.memory().numTensors).toBe(before);
      const labels = cifarLabels();
      const [a, b] = [await onnxTop1(fp32, images), await onnxTop1(int8, images)];
      const fp32Top1 = percentEqual(a, labels, EVALUATION_INDICES);
      const int8Top1 = percentEqual(b, labels, EVALUATION_INDICES);
      const agreement = percentEqual(b, a, EVALUATION_INDICES);
      console.log(
        `${net}: fp32 top-1 ${fp32Top1.toFixed(2)}%, int8 ${int8Top1.toFixed(2)}%, agreement ${agreement.toFixed(2)}%, ` +
          `size ${(int8.length / 2 ** 20).toFixed(2)} / ${(fp32.length / 2 ** 20).toFixed(2)} MB = ${(int8.length / fp32.length).toFixed(3)}`,
      );
      // fp32 in onnxruntime is PyTorch's model: the same top-1 on (almost) every image.
      expect(percentEqual(a, torchTop1(net), EVALUATION_INDICES)).toBeGreaterThanOrEqual(99.9);
      expect(Math.abs(int8Top1 - fp32Top1)).toBeLessThanOrEqual(0.5);
      expect(agreement).toBeGreaterThanOrEqual(97);
      expect(int8.length).toBeLessThanOrEqual(0.3 * fp32.length);
      model.dispose();
    });
  }
});

describe('the int8 graph', () => {
  test('per-channel int8 weights (±127, or ±64 with reduceRange), int32 biases, uint8 activations; every conv quantized', async () => {
    const model = cifarResnet(20, { classifierActivation: 'linear' });
    const images = calibration.slice(0, 8);
    for (const reduceRange of [false, true]) {
      const bytes = await exportOnnx(model, { quantize: 'int8', calibration: images, reduceRange, method: 'minmax' });
      const graph = decode(bytes);
      const byName = new Map(graph.initializer.map((i) => [i.name, i]));
      const convs = graph.node.filter((n) => n.opType === 'Conv');
      expect(convs.length).toBe(19);
      expect(graph.node.filter((n) => n.opType === 'Relu').length).toBe(0); // folded into Q (zero point 0)
      for (const conv of convs) {
        const [x, w, bias] = conv.input.map((name) => graph.node.find((n) => n.output.includes(name))!);
        expect([x.opType, w.opType, bias.opType]).toEqual(['DequantizeLinear', 'DequantizeLinear', 'DequantizeLinear']);
        const weights = byName.get(w.input[0])!;
        expect(weights.dataType).toBe(3); // int8
        const q = new Int8Array(weights.rawData.buffer, weights.rawData.byteOffset, weights.rawData.byteLength);
        const limit = reduceRange ? 64 : 127;
        expect(Math.max(...q.map(Math.abs))).toBe(limit);
        expect(Number(byName.get(w.input[1])!.dims[0])).toBe(Number(weights.dims[0])); // one scale per output channel
        expect(byName.get(bias.input[0])!.dataType).toBe(6); // int32
        expect(byName.get(x.input[2])!.dataType).toBe(2); // uint8 activations
        const consumer = graph.node.find((n) => n.input.includes(conv.output[0]))!;
        expect(consumer.opType).toBe('QuantizeLinear');
      }
    }
    images.dispose();
    model.dispose();
  });

  test('floatStem, floatAdds and floatClassifier keep those nodes in float; activations: int8', async () => {
    const model = cifarResnet(20, { classifierActivation: 'linear' });
    const images = calibration.slice(0, 4);
    const bytes = await exportOnnx(model, {
      quantize: 'int8',
      calibration: images,
      floatStem: true,
      floatAdds: true,
      floatClassifier: true,
      activations: 'int8',
    });
    const graph = decode(bytes);
    const producer = (name: string) => graph.node.find((n) => n.output.includes(name));
    const convs = graph.node.filter((n) => n.opType === 'Conv');
    expect(producer(convs[0].input[1])).toBeUndefined(); // float weights: an initializer
    expect(convs.slice(1).every((c) => producer(c.input[1])?.opType === 'DequantizeLinear')).toBe(true);
    const adds = graph.node.filter((n) => n.opType === 'Add');
    expect(adds.length).toBe(9);
    expect(adds.every((a) => graph.node.find((n) => n.input.includes(a.output[0]))?.opType === 'Relu')).toBe(true);
    const gemm = graph.node.find((n) => n.opType === 'Gemm')!;
    expect(producer(gemm.input[1])).toBeUndefined();
    const zp = graph.initializer.find((i) => i.name.endsWith('/zero_point') && i.dims.length === 0)!;
    expect(zp.dataType).toBe(3);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5);
    const session = await createOnnxSession(bytes);
    const [y] = await session.run(x);
    await session.release();
    expect(y.shape).toEqual([2, 10]);
    expect(Array.from(await y.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, y, images]);
    model.dispose();
  });
});

/** Float32 values of an initializer (raw bytes). */
function floats(t: OnnxTypes.TensorProto): Float32Array {
  const b = new Uint8Array(t.rawData); // a copy: decoded bytes may sit at any offset
  return new Float32Array(b.buffer, 0, b.byteLength / 4);
}

/** Int values of an int8/uint8/int32 initializer (raw bytes). */
function ints(t: OnnxTypes.TensorProto): number[] {
  const b = new Uint8Array(t.rawData);
  if (t.dataType === 3) return Array.from(new Int8Array(b.buffer));
  if (t.dataType === 2) return Array.from(b);
  return Array.from(new Int32Array(b.buffer));
}

describe('the quantization arithmetic', () => {
  test('weights: scale = max|w|/127 per output channel, zero point 0, q = round(w/scale); bias int32 at scale s_x·s_w', async () => {
    const model = cifarResnet(20, { classifierActivation: 'linear' });
    const images = calibration.slice(0, 8);
    const fp32Graph = decode(exportOnnx(model));
    const fp32 = new Map(fp32Graph.initializer.map((i) => [i.name, i]));
    const reluOutputs = new Set(fp32Graph.node.filter((n) => n.opType === 'Relu').map((n) => n.output[0]));
    const graph = decode(await exportOnnx(model, { quantize: 'int8', calibration: images, method: 'minmax' }));
    const init = new Map(graph.initializer.map((i) => [i.name, i]));
    const producer = (name: string) => graph.node.find((n) => n.output.includes(name))!;
    const ops = graph.node.filter((n) => n.opType === 'Conv' || n.opType === 'Gemm');
    expect(ops.length).toBe(20);
    for (const op of ops) {
      const [xq, wq, bq] = op.input.map(producer);
      const [qName, sName, zName] = wq.input;
      const w = floats(fp32.get(qName.replace(/\/int8$/, ''))!);
      const q = ints(init.get(qName)!);
      const scales = floats(init.get(sName)!);
      const axis = op.opType === 'Conv' ? 0 : 1;
      const channels = scales.length;
      const channelOf = (i: number) => (axis === 0 ? Math.floor(i / (w.length / channels)) : i % channels);
      expect(ints(init.get(zName)!)).toEqual(new Array(channels).fill(0));
      const maxAbs = new Float64Array(channels);
      w.forEach((v, i) => (maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)], Math.abs(v))));
      expect(Array.from(scales)).toEqual(Array.from(maxAbs, (m) => Math.fround(m / 127)));
      expect(q).toEqual(Array.from(w, (v, i) => Math.round(v / scales[channelOf(i)]) || 0));
      const xScale = floats(init.get(xq.input[1])!)[0];
      const biasScales = floats(init.get(bq.input[1])!);
      biasScales.forEach((s, c) => expect(Math.abs(s - xScale * scales[c])).toBeLessThanOrEqual(1e-6 * s));
      expect(ints(init.get(bq.input[2])!)).toEqual(new Array(channels).fill(0));
      const bias = floats(fp32.get(bq.input[0].replace(/\/int32$/, ''))!);
      expect(ints(init.get(bq.input[0])!)).toEqual(Array.from(bias, (b, c) => Math.round(b / biasScales[c]) || 0));
    }
    // Activations: uint8 with zero exactly representable; a ReLU's output (the ReLU folded into the Q) at zero point 0.
    expect(graph.node.filter((n) => n.opType === 'QuantizeLinear' && reluOutputs.has(n.input[0])).length).toBe(19);
    for (const qn of graph.node.filter((n) => n.opType === 'QuantizeLinear')) {
      const [scale] = floats(init.get(qn.input[1])!);
      const [zero] = ints(init.get(qn.input[2])!);
      expect(init.get(qn.input[2])!.dataType).toBe(2);
      expect(scale).toBeGreaterThan(0);
      expect(zero).toBeGreaterThanOrEqual(0);
      expect(zero).toBeLessThanOrEqual(255);
      if (reluOutputs.has(qn.input[0])) expect(zero).toBe(0);
    }
    images.dispose();
    model.dispose();
  });

  /** The scale and zero point of the quantized graph input of a dense model calibrated on `x`. */
  async function inputParams(x: tf.Tensor2D, options: Record<string, unknown>): Promise<{ scale: number; zero: number }> {
    const input = tf.input({ shape: [x.shape[1]] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const graph = decode(await exportOnnx(model, { quantize: 'int8', calibration: x, ...options }));
    model.dispose();
    const init = new Map(graph.initializer.map((i) => [i.name, i]));
    const qn = graph.node.find((n) => n.opType === 'QuantizeLinear' && n.input[0] === model.inputs[0].name)!;
    return { scale: floats(init.get(qn.input[1])!)[0], zero: ints(init.get(qn.input[2])!)[0] };
  }

  test('activation ranges: min-max exact (zero included), the percentile at each end, mse keeping a lone outlier', async () => {
    // 4,096 values spread over [-1, 3], one outlier at 50.
    const values = Float32Array.from({ length: 4096 }, (_, i) => -1 + (4 * ((i * 2654435761) % 4096)) / 4096);
    values[1234] = 50;
    const x = tf.tensor2d(values, [256, 16]);
    const lo = values.reduce((a, b) => Math.min(a, b));
    const minmax = await inputParams(x, { method: 'minmax' });
    expect(minmax.scale).toBe(Math.fround((50 - lo) / 255));
    expect(minmax.zero).toBe(Math.round(-lo / ((50 - lo) / 255)));
    // 99th percentile at each end: [-0.96, 2.96] within a histogram bin (54/4096).
    const p99 = await inputParams(x, { method: 'percentile', percentile: 99 });
    const bin = (50 - lo) / 4096;
    const [pMin, pMax] = [-p99.zero * p99.scale, (255 - p99.zero) * p99.scale];
    expect(Math.abs(pMin - -0.96)).toBeLessThanOrEqual(bin + p99.scale);
    expect(Math.abs(pMax - 2.96)).toBeLessThanOrEqual(bin + p99.scale);
    // mse: clipping the lone outlier costs more squared error (≥ 45² at the smallest range) than the
    // finer steps save over 4,096 values (< 14): the least-error range keeps (nearly) all of it.
    const mse = await inputParams(x, { method: 'mse' });
    expect((255 - mse.zero) * mse.scale).toBeGreaterThan(45);
    x.dispose();
  });
});

describe('a fixed export batch', () => {
  test('batch: 1 calibrates on any number of images (3, in batches of 2) and keeps the input [1, 32, 32, 3]', async () => {
    const model = cifarResnet(20, { classifierActivation: 'linear' });
    const images = calibration.slice(0, 3);
    const bytes = await exportOnnx(model, { quantize: 'int8', calibration: images, calibrationBatch: 2, batch: 1 });
    const input = onnx.ModelProto.decode(bytes).graph!.input![0];
    expect(input.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue))).toEqual([1, 32, 32, 3]);
    const x = images.slice(0, 1);
    const y = await runOnnxBytes(bytes, x);
    expect(y.shape).toEqual([1, 10]);
    tf.dispose([images, x, y]);
    model.dispose();
  });
});

describe('bad calibration input', () => {
  const model = cifarResnet(20);
  afterAll(() => model.dispose());
  const int8 = (calibration: unknown, extra: Record<string, unknown> = {}) =>
    exportOnnx(model, { quantize: 'int8', calibration: calibration as tf.Tensor, ...extra });

  test.each([
    ['rank 3', () => tf.zeros([32, 32, 3]), ShapeError, /calibration must have rank 4 .* got rank 3/],
    ['wrong channels', () => tf.zeros([2, 32, 32, 1]), ShapeError, /calibration channels is 1 but the model input \[\?, 32, 32, 3\] needs 3/],
    ['wrong size', () => tf.zeros([2, 28, 32, 3]), ShapeError, /calibration height is 28 .* needs 32/],
    ['empty', () => tf.zeros([0, 32, 32, 3]), ConfigError, /calibration is empty \(shape \[0, 32, 32, 3\]\)/],
    [
      'NaN',
      () =>
        tf.tensor4d(
          new Float32Array(3 * 3072).map((_, i) => (i === 3072 + 5 ? NaN : 0)),
          [3, 32, 32, 3],
        ),
      ConfigError,
      /calibration image 1 holds NaN \(element 5\)/,
    ],
    ['Infinity', () => tf.tensor4d([Infinity, ...new Array(32 * 32 * 3 - 1).fill(0)], [1, 32, 32, 3]), ConfigError, /image 0 holds Infinity \(element 0\)/],
    ['int32', () => tf.zeros([1, 32, 32, 3], 'int32'), ConfigError, /must be float32 .* got int32/],
  ])('%s: typed error naming it, no tensor leaked', async (_, make, type, message) => {
    const x = make();
    const before = tf.memory().numTensors;
    const error = await int8(x).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('a non-image input: the wrong axis named by number, not as height', async () => {
    const input = tf.input({ shape: [16] });
    const dense = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const x = tf.zeros([4, 8]);
    await expect(exportOnnx(dense, { quantize: 'int8', calibration: x })).rejects.toThrow(/calibration axis 1 is 8 but the model input \[\?, 16\] needs 16/);
    x.dispose();
    dense.dispose();
  });

  test('not a tensor, a disposed tensor, bad options', async () => {
    await expect(int8(undefined)).rejects.toThrow(ConfigError);
    await expect(int8([[1, 2]])).rejects.toThrow(/calibration must be a tf.Tensor/);
    const x = tf.zeros([1, 32, 32, 3]);
    x.dispose();
    await expect(int8(x)).rejects.toThrow(/disposed/);
    const y = tf.zeros([1, 32, 32, 3]);
    await expect(int8(y, { method: 'entropy' })).rejects.toThrow(/unknown method "entropy"; valid values are "minmax", "percentile", "mse"/);
    await expect(int8(y, { percentile: 30 })).rejects.toThrow(/percentile must be a number in \(50, 100\]/);
    await expect(int8(y, { activations: 'int4' })).rejects.toThrow(ConfigError);
    await expect(int8(y, { reduceRange: 'yes' })).rejects.toThrow(/reduceRange must be true or false/);
    expect(() => exportOnnx(model, { quantize: 'int4' } as never)).toThrow(/unknown quantize "int4"; valid values are "int8"/);
    y.dispose();
  });
});

describe('onnxruntime runs every convolution, addition and the classifier in int8', () => {
  test('resnet18: the optimized graph holds QLinearConv ×20, QLinearAdd ×8, QGemm ×1 and no float Conv', async () => {
    const model = resnet18({ classifierActivation: 'linear', inputShape: [64, 64, 3] });
    const calibration = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 3);
    const bytes = await exportOnnx(model, { quantize: 'int8', calibration });
    calibration.dispose();
    model.dispose();
    const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-int8-'));
    try {
      const optimized = path.join(dir, 'optimized.onnx');
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized, logSeverityLevel: 3 });
      await session.release();
      const counts: Record<string, number> = {};
      for (const n of decode(new Uint8Array(readFileSync(optimized))).node) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
      expect([counts.QLinearConv, counts.QLinearAdd, counts.QGemm, counts.Conv ?? 0, counts.Add ?? 0]).toEqual([20, 8, 1, 0, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("onnxruntime's x64 precision mode (session.x64quantprecision)", () => {
  const avx2 = 'flags\t\t: fpu sse4_1 avx avx2 fma avx512f avx512bw\n';
  test.each([
    ['x64 without VNNI (AVX2, AVX-512F)', 'x64', avx2, true],
    ['x64 with AVX-512 VNNI', 'x64', avx2.replace('avx512bw', 'avx512bw avx512_vnni'), false],
    ['x64 with AVX-VNNI', 'x64', avx2.replace('fma', 'fma avx_vnni'), false],
    ['x64, flags unknown (macOS, Windows)', 'x64', undefined, true],
    ['x64, a flag that only contains the name', 'x64', avx2.replace('fma', 'fma xavx512_vnnix'), true],
    ['arm64 (no 16-bit sums), flags unknown', 'arm64', undefined, false],
    ['arm64 with flags', 'arm64', 'Features\t: fp asimd asimddp\n', false],
  ] as const)('%s: saturates %s', (_, arch, flags, expected) => {
    expect(u8s8CanSaturate(arch, flags)).toBe(expected);
  });

  test('sessions on this machine set the mode exactly when its CPU saturates', async () => {
    const flags = process.platform === 'linux' ? readFileSync('/proc/cpuinfo', 'utf8') : undefined;
    const options = await sessionOptions({}, 'test');
    expect(options.extra !== undefined).toBe(u8s8CanSaturate(process.arch, flags));
    if (options.extra !== undefined) expect(options.extra).toEqual({ session: { x64quantprecision: '1' } });
  });
});

describe('models beyond the ResNets', () => {
  test('a dense model: the graph input itself is quantized, the classifier runs int8, outputs near fp32', async () => {
    // Seeded weights, and inputs from the calibration set (inputs beyond the calibrated range are clipped, as
    // they should be, which is not what this measures): the error is rounding alone, 0.6–1.8 % over 20 seeds.
    const input = tf.input({ shape: [16] });
    const hidden = tf.layers
      .dense({ units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })
      .apply(input) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const calibration = tf.randomNormal([64, 16], 0, 1, 'float32', 11);
    const bytes = await exportOnnx(model, { quantize: 'int8', calibration, method: 'minmax' });
    const graph = decode(bytes);
    const gemms = graph.node.filter((n) => n.opType === 'Gemm');
    expect(gemms.length).toBe(2);
    const producer = (name: string) => graph.node.find((n) => n.output.includes(name));
    expect(gemms.map((g) => [producer(g.input[0])?.opType, producer(g.input[1])?.opType])).toEqual([
      ['DequantizeLinear', 'DequantizeLinear'],
      ['DequantizeLinear', 'DequantizeLinear'],
    ]);
    expect(graph.node.filter((n) => n.opType === 'Relu').length).toBe(1); // a Gemm's Relu is not folded: its output is not quantized
    const x = calibration.slice(0, 8);
    const [fp32, int8] = [await runOnnxBytes(exportOnnx(model), x), await runOnnxBytes(bytes, x)];
    const ref = (await fp32.data()) as Float32Array;
    const got = (await int8.data()) as Float32Array;
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const worst = ref.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i])), 0);
    expect(worst / scale).toBeLessThan(0.05);
    tf.dispose([calibration, x, fp32, int8]);
    model.dispose();
  });
});

async function runOnnxBytes(bytes: Uint8Array, x: tf.Tensor): Promise<tf.Tensor> {
  const session = await createOnnxSession(bytes);
  const [y] = await session.run(x);
  await session.release();
  return y;
}
