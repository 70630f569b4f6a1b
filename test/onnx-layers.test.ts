import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ConfigError, resnet18 } from '../src/index.js';
import { registerInferenceRule } from '../src/inference/index.js';
import { createOnnxSession, exportOnnx, runOnnx } from '../src/onnx/index.js';
import { checkOnnx, expectClose, randomInput, randomizeWeights } from './helpers/inference-models.js';

const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;
const graph = (bytes: Uint8Array): OnnxTypes.GraphProto => onnx.ModelProto.decode(bytes).graph as OnnxTypes.GraphProto;
const ops = (bytes: Uint8Array): string[] => graph(bytes).node.map((n) => n.opType ?? '');
const count = (bytes: Uint8Array, op: string): number => ops(bytes).filter((o) => o === op).length;

/** A small functional model of many layer kinds, randomized. */
function zoo(shape: [number | null, number | null, number]): tf.LayersModel {
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape, name: 'image' });
  const raw = apply(
    tf.layers.maxPooling2d({ poolSize: 2, strides: 1, name: 'raw_pool' }),
    apply(
      tf.layers.zeroPadding2d({
        padding: [
          [0, 1],
          [1, 0],
        ],
      }),
      input,
    ),
  );
  let x = apply(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), input);
  x = apply(tf.layers.activation({ activation: 'relu' }), apply(tf.layers.batchNormalization({}), x));
  const pre = apply(tf.layers.activation({ activation: 'relu6' }), apply(tf.layers.batchNormalization({ name: 'pre_bn' }), x));
  let s = apply(tf.layers.globalAveragePooling2d({}), pre);
  s = apply(tf.layers.reshape({ targetShape: [1, 1, 16] }), s);
  s = apply(tf.layers.activation({ activation: 'relu' }), apply(tf.layers.conv2d({ filters: 8, kernelSize: 1 }), s));
  s = apply(tf.layers.activation({ activation: 'sigmoid' }), apply(tf.layers.conv2d({ filters: 16, kernelSize: 1 }), s));
  const se = apply(tf.layers.multiply({}), [pre, s]);
  const down = apply(tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }), se);
  const shortcut = apply(tf.layers.conv2d({ filters: 24, kernelSize: 1, activation: 'elu' }), down);
  const main = apply(tf.layers.conv2d({ filters: 24, kernelSize: 3, strides: 2, padding: 'same', dilationRate: 1 }), se);
  const sum = apply(tf.layers.reLU({ name: 'sum_relu' }), apply(tf.layers.add({}), [main, shortcut]));
  const cat = apply(tf.layers.concatenate({ name: 'cat' }), [sum, apply(tf.layers.leakyReLU({ alpha: 0.1 }), sum)]);
  const avg = apply(tf.layers.globalAveragePooling2d({}), cat);
  const max = apply(tf.layers.globalMaxPooling2d({}), cat);
  const probs = apply(tf.layers.dense({ units: 7, activation: 'softmax', name: 'probs' }), apply(tf.layers.concatenate({}), [avg, max]));
  const dropped = apply(tf.layers.dropout({ rate: 0.3, name: 'last_dropout' }), apply(tf.layers.dense({ units: 3, name: 'per_pixel' }), cat));
  return randomizeWeights(tf.model({ inputs: input, outputs: [probs, dropped, raw], name: 'zoo' }));
}

describe('exportOnnx on other layers', () => {
  test('SE, ReLU6, ELU, LeakyReLU, pre-activation BN, concat, avg-pool "same", dense on a map, dropout output, Pad', async () => {
    const fixed = zoo([19, 23, 3]);
    const bytes = exportOnnx(fixed, { opset: 13 });
    expect(graph(bytes).output.map((v) => v.name)).toEqual(['probs', 'last_dropout', 'raw_pool']);
    expect(count(bytes, 'BatchNormalization')).toBe(1); // pre_bn: no conv to fold into
    expect(count(bytes, 'Pad')).toBe(1); // before a max pool of a possibly negative input: not mergeable
    const xs = [randomInput([1, 19, 23, 3], 7), randomInput([3, 19, 23, 3], 8)];
    await checkOnnx(fixed, xs, bytes);
    tf.dispose(xs);
    fixed.dispose();

    const dynamic = zoo([null, null, 3]);
    const x = randomInput([2, 21, 18, 3], 9);
    await checkOnnx(dynamic, [x], exportOnnx(dynamic, { opset: 21 }));
    x.dispose();
    dynamic.dispose();
  });

  test('runOnnx takes bytes or a session and returns tf.Tensors', async () => {
    const model = randomizeWeights(resnet18({ inputShape: [64, 64, 3], classes: 10, classifierActivation: 'linear' }));
    const bytes = exportOnnx(model);
    const x = randomInput([2, 64, 64, 3], 10);
    const ref = model.predict(x) as tf.Tensor;
    const y1 = (await runOnnx(bytes, x, { threads: 2 })) as tf.Tensor;
    const session = await createOnnxSession(bytes);
    const y2 = (await runOnnx(session, x)) as tf.Tensor;
    await session.release();
    expectClose(y1, ref, 1e-4);
    expectClose(y2, ref, 1e-4);
    await expect(runOnnx(bytes, [x, x])).rejects.toThrow(ConfigError);
    await expect(createOnnxSession(bytes, { threads: 0 })).rejects.toThrow(ConfigError);
    tf.dispose([x, ref, y1, y2]);
    model.dispose();
  });

  test('unsupported layers and options are ConfigErrors; a registered rule exports a custom layer', async () => {
    class Scale extends tf.layers.Layer {
      static className = 'ScaleForOnnxTest';
      constructor(args: { name?: string; factor?: number }) {
        super(args);
        this.factor = args.factor ?? 1;
      }
      readonly factor: number;
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.factor));
      }
      override getConfig(): tf.serialization.ConfigDict {
        return { ...super.getConfig(), factor: this.factor };
      }
    }
    const input = tf.input({ shape: [4, 4, 2] });
    const model = tf.model({ inputs: input, outputs: new Scale({ name: 'scale', factor: 3 }).apply(input) as tf.SymbolicTensor });
    expect(() => exportOnnx(model)).toThrow(ConfigError);
    expect(() => exportOnnx(model)).toThrow(/"scale" \(ScaleForOnnxTest\).*registerInferenceRule/);
    expect(() => exportOnnx(model, { opset: 9 })).toThrow(ConfigError);
    expect(() => exportOnnx(model, { batch: 0 })).toThrow(ConfigError);
    registerInferenceRule('ScaleForOnnxTest', {
      onnx: (ctx) => ctx.node('Mul', [ctx.inputs[0].name, ctx.constant([Number(ctx.config.factor)], [])]),
    });
    const x = randomInput([2, 4, 4, 2], 11);
    await checkOnnx(model, [x]);
    x.dispose();
    model.dispose();
  });
});
