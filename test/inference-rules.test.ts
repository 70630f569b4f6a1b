import { afterEach, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, resnet18 } from '../src/index.js';
import { layerGraph, optimizeForInference, registerInferenceRule } from '../src/inference/index.js';
import { checkOptimized, layersOfClass as classes, randomInput, randomizeWeights } from './helpers/inference-models.js';
import { saveAndLoad } from './helpers/round-trip.js';

const built: tf.LayersModel[] = [];
afterEach(() => {
  for (const m of built.splice(0)) m.dispose();
});

/** A small functional model from a builder of its body (disposed after the test). */
function small(body: (x: tf.SymbolicTensor) => tf.SymbolicTensor | tf.SymbolicTensor[], shape = [12, 12, 4]): tf.LayersModel {
  const input = tf.input({ shape, name: 'input' });
  const model = randomizeWeights(tf.model({ inputs: input, outputs: body(input), name: 'small' }));
  built.push(model);
  return model;
}
const conv = (filters: number, kernelSize: number, extra: Record<string, unknown> = {}) => tf.layers.conv2d({ filters, kernelSize, useBias: false, ...extra });
const bn = (name?: string) => tf.layers.batchNormalization({ name });
const relu = (name?: string) => tf.layers.activation({ activation: 'relu', name });
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

describe('optimizeForInference folding rules', () => {
  const x = () => randomInput([2, 12, 12, 4], 3);

  test('pre-activation BN → ReLU → conv keeps the BN', async () => {
    const m = small((i) => apply(conv(8, 3, { padding: 'same' }), apply(relu(), apply(bn('pre'), i))));
    const input = x();
    await checkOptimized(m, input, (fast) => expect(classes(fast, 'BatchNormalization')).toEqual(['pre']));
    input.dispose();
  });

  test('BN → unpadded conv folds into the conv after; BN → padded conv is kept', async () => {
    const folded = small((i) => apply(conv(8, 3, { padding: 'valid', useBias: true }), apply(bn('a'), i)));
    const kept = small((i) => apply(conv(8, 3, { padding: 'same' }), apply(bn('b'), i)));
    const pointwise = small((i) => apply(conv(8, 1, { padding: 'same', strides: 2 }), apply(bn('c'), i)));
    const input = x();
    await checkOptimized(folded, input, (fast) => expect(classes(fast, 'BatchNormalization')).toEqual([]));
    await checkOptimized(kept, input, (fast) => expect(classes(fast, 'BatchNormalization')).toEqual(['b']));
    await checkOptimized(pointwise, input, (fast) => expect(classes(fast, 'BatchNormalization')).toEqual([]));
    input.dispose();
  });

  test('a conv output read twice, a BN that is a model output and a shared conv are not folded', async () => {
    const twice = small((i) => {
      const c = apply(conv(4, 3, { padding: 'same' }), i);
      return apply(tf.layers.add(), [apply(bn('kept1'), c), c]);
    });
    const asOutput = small((i) => apply(bn('out_bn'), apply(conv(4, 3, { padding: 'same' }), i)));
    const shared = small((i) => {
      const c = conv(4, 3, { padding: 'same', name: 'shared' });
      return apply(tf.layers.add(), [apply(bn('s1'), apply(c, i)), apply(bn('s2'), apply(c, apply(relu(), i)))]);
    });
    const preActivated = small((i) => apply(bn('after_relu_conv'), apply(conv(4, 3, { padding: 'same', activation: 'relu' }), i)));
    const input = x();
    await checkOptimized(twice, input, (fast) => expect(classes(fast, 'BatchNormalization')).toEqual(['kept1']));
    await checkOptimized(asOutput, input, (fast) => {
      expect(classes(fast, 'BatchNormalization')).toEqual(['out_bn']);
      expect(fast.outputNames).toEqual(['out_bn']);
    });
    await checkOptimized(shared, input, (fast) => expect(classes(fast, 'BatchNormalization').sort()).toEqual(['s1', 's2']), ['shared']);
    await checkOptimized(preActivated, input, (fast) => expect(classes(fast, 'BatchNormalization')).toEqual(['after_relu_conv']));
    input.dispose();
  });

  test('dropout-like layers vanish (except as a model output, to keep its name); custom identity rules too', async () => {
    class MyNoise extends tf.layers.Layer {
      static className = 'MyNoise';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 1));
      }
    }
    registerInferenceRule('MyNoise', { identity: true });
    const m = small((i) => {
      let y = apply(tf.layers.dropout({ rate: 0.5, name: 'drop' }), apply(relu('r'), apply(bn(), apply(conv(8, 3, { padding: 'same' }), i))));
      y = apply(new MyNoise({ name: 'noise' }), y);
      return apply(tf.layers.spatialDropout1d({ rate: 0.2, name: 'sd' }), apply(tf.layers.reshape({ targetShape: [144, 8] }), y));
    });
    const input = x();
    await checkOptimized(m, input, (fast) => {
      expect(fast.layers.map((l) => l.getClassName()).sort()).toEqual(['Conv2D', 'InputLayer', 'Reshape', 'SpatialDropout1D']);
      expect(fast.layers[1].getConfig().activation).toBe('relu');
    });
    input.dispose();
  });

  test('squeeze-excitation, average-pool shortcut, padding, pooling and a dense head are copied exactly', async () => {
    const m = small(
      (i) => {
        const stem = apply(relu(), apply(bn(), apply(conv(16, 3, { strides: 2 }), apply(tf.layers.zeroPadding2d({ padding: 1 }), i))));
        const pooled = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }), apply(tf.layers.zeroPadding2d({ padding: 1 }), stem));
        let s = apply(tf.layers.globalAveragePooling2d({}), pooled);
        s = apply(tf.layers.reshape({ targetShape: [1, 1, 16] }), s);
        s = apply(tf.layers.activation({ activation: 'relu' }), apply(tf.layers.conv2d({ filters: 4, kernelSize: 1 }), s));
        s = apply(tf.layers.activation({ activation: 'sigmoid' }), apply(tf.layers.conv2d({ filters: 16, kernelSize: 1 }), s));
        const se = apply(tf.layers.multiply(), [pooled, s]);
        const short = apply(bn(), apply(conv(16, 1), apply(tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }), stem)));
        const sum = apply(relu(), apply(tf.layers.add(), [se, short]));
        const avg = apply(tf.layers.globalAveragePooling2d({}), sum);
        const max = apply(tf.layers.globalMaxPooling2d({}), sum);
        return [apply(tf.layers.dense({ units: 5, activation: 'softmax', name: 'probs' }), avg), max, sum];
      },
      [13, 11, 4],
    );
    const input = randomInput([2, 13, 11, 4], 5);
    await checkOptimized(m, input, (fast) => {
      expect(classes(fast, 'BatchNormalization')).toEqual([]);
      expect(fast.outputNames).toEqual(m.outputNames);
    });
    input.dispose();
  });

  test('an optimized model saves and loads like any other', async () => {
    const m = small((i) => apply(tf.layers.dense({ units: 3 }), apply(tf.layers.flatten(), apply(relu(), apply(bn(), apply(conv(6, 3), i))))));
    const fast = optimizeForInference(m);
    const loaded = await saveAndLoad(fast);
    const input = x();
    const [a, b] = [fast.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([input, a, b]);
    [fast, loaded].forEach((model) => model.dispose());
  });

  test('the layer graph lists producers before consumers and counts consumers', async () => {
    const m = resnet18({ init: 'zeros' });
    const g = layerGraph(m);
    const seen = new Set<number>(g.inputs.map((t) => t.id));
    for (const n of g.nodes) {
      for (const t of n.inputs) expect(seen.has(t.id)).toBe(true);
      for (const t of n.outputs) seen.add(t.id);
    }
    const conv1 = g.nodes.find((n) => n.layer.name === 'conv1')!;
    expect(g.consumers(conv1.outputs[0]).map((n) => n.layer.name)).toEqual(['bn1']);
    expect(g.isOutput(g.outputs[0])).toBe(true);
    m.dispose();
  });

  test('a layer that cannot be re-created from its config is a ConfigError naming it', async () => {
    class Fragile extends tf.layers.Layer {
      static className = 'Fragile';
      readonly factor: number;
      constructor(args: { name?: string; factor?: number }) {
        super(args);
        if (typeof args.factor !== 'number') throw new Error('factor is required');
        this.factor = args.factor;
      }
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.factor));
      }
    }
    const m = small((i) => apply(new Fragile({ name: 'fragile', factor: 2 }), i));
    expect(() => optimizeForInference(m)).toThrow(ConfigError);
    expect(() => optimizeForInference(m)).toThrow(/"fragile" \(Fragile\)/);
    expect(() => registerInferenceRule('Conv2D', { identity: true })).toThrow(ConfigError);
  });
});
