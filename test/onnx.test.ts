import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { resnet18, resnet50 } from '../src/index.js';
import { exportOnnx } from '../src/onnx/index.js';
import { optimizeForInference } from '../src/inference/index.js';
import { checkOnnx, randomInput, randomizeWeights } from './helpers/inference-models.js';

const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;

/** The decoded model and its graph. */
function decode(bytes: Uint8Array): { model: OnnxTypes.ModelProto; graph: OnnxTypes.GraphProto } {
  const model = onnx.ModelProto.decode(bytes);
  return { model, graph: model.graph as OnnxTypes.GraphProto };
}
const count = (m: { graph: OnnxTypes.GraphProto }, op: string): number => m.graph.node.filter((n) => n.opType === op).length;
const dims = (v: OnnxTypes.IValueInfoProto): Array<number | string> =>
  v.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));

describe('exportOnnx on the ResNets', () => {
  test('resnet18 (torchvision): NCHW inside, BN folded, padding merged, batch 1 and 2 match tfjs', async () => {
    const model = randomizeWeights(resnet18({ classifierActivation: 'linear' }));
    const bytes = exportOnnx(model);
    const m = decode(bytes);
    expect(Number(m.model.opsetImport[0].version)).toBe(17);
    expect(m.graph.input.map((v) => v.name)).toEqual(['input']);
    expect(dims(m.graph.input[0])).toEqual(['batch', 224, 224, 3]);
    expect(m.graph.output.map((v) => v.name)).toEqual(['fc']);
    expect(dims(m.graph.output[0])).toEqual(['batch', 1000]);
    expect(count(m, 'Transpose')).toBe(1);
    expect(count(m, 'BatchNormalization')).toBe(0);
    expect(count(m, 'Pad')).toBe(0);
    expect(count(m, 'Conv')).toBe(20);
    expect(count(m, 'Relu')).toBe(17);
    expect(count(m, 'Gemm')).toBe(1);
    const xs = [randomInput([1, 224, 224, 3], 1), randomInput([2, 224, 224, 3], 2)];
    await checkOnnx(model, xs, bytes);
    tf.dispose(xs);
    model.dispose();
  });

  test('an optimized model (AddActivation, fused activations) exports to the same graph', async () => {
    const model = randomizeWeights(resnet18({ classifierActivation: 'linear' }));
    const fast = optimizeForInference(model);
    expect(fast.layers.some((l) => l.getClassName() === 'AddActivation')).toBe(true);
    const ops = (bytes: Uint8Array) => decode(bytes).graph.node.map((n) => n.opType);
    const bytes = exportOnnx(fast);
    expect(ops(bytes)).toEqual(ops(exportOnnx(model)));
    const xs = [randomInput([2, 224, 224, 3], 7)];
    await checkOnnx(fast, xs, bytes);
    tf.dispose(xs);
    fast.dispose();
    model.dispose();
  });

  test('resnet50 (torchvision) with random BN statistics, batch 1 and 2', async () => {
    const model = randomizeWeights(resnet50({ classifierActivation: 'linear' }));
    const xs = [randomInput([1, 224, 224, 3], 3), randomInput([2, 224, 224, 3], 4)];
    await checkOnnx(model, xs);
    tf.dispose(xs);
    model.dispose();
  });

  test('resnet50 (Keras style, softmax) at 160×192 and a fully-convolutional resnet18 at 97×131', async () => {
    const keras = randomizeWeights(resnet50({ style: 'keras', inputShape: [160, 192, 3] }));
    const x1 = randomInput([2, 160, 192, 3], 5);
    await checkOnnx(keras, [x1]);
    keras.dispose();
    const fcn = randomizeWeights(resnet18({ inputShape: [null, null, 3], includeTop: false }));
    const bytes = exportOnnx(fcn, { batch: 1 });
    const m = decode(bytes);
    expect(dims(m.graph.input[0])).toEqual([1, 'input_dim1', 'input_dim2', 3]);
    expect(count(m, 'Transpose')).toBe(2); // in and out: a rank-4 output goes back to NHWC
    const x2 = randomInput([1, 97, 131, 3], 6);
    await checkOnnx(fcn, [x2], bytes);
    tf.dispose([x1, x2]);
    fcn.dispose();
  });
});
