// A new block type written only from the public exports (examples/res2net.ts):
// timm's res2net50_26w_4s — its state-dict keys and parameter count
// (test/fixtures/res2net50_26w_4s-arch.json), and its logits under the hash
// init, salt "dev" (test/fixtures/res2net50_26w_4s-dev-1x64x80.json), within
// 1e-5 of the largest; registrable by name; featuresOnly, optimizeForInference
// and save/load work on it.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { registerRes2Net, res2net50_26w_4s, res2netBlock, ChannelSlice } from '../examples/res2net.js';
import { createModel, getModel, listModels } from '../src/models/registry.js';
import { modelInfo } from '../src/models/model-info.js';
import { stage } from '../src/stages/stage.js';
import { optimizeForInference } from '../src/inference/optimize.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { pytorchStateDictSpec } from '../src/weights/state-dict.js';
import { ConfigError } from '../src/errors.js';
import { hashValue } from './helpers/hash-init.js';
import { hashInputNHWC } from './helpers/torch-hash-weights.js';
import { counts } from './helpers/family-arch.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';
import { saveAndLoad } from './helpers/round-trip.js';

type Entry = [string, number[], string];
const ARCH = JSON.parse(readFileSync(new URL('./fixtures/res2net50_26w_4s-arch.json', import.meta.url), 'utf8')) as {
  trainable_params: number;
  state_dict: Entry[];
};
const GOLDEN = JSON.parse(readFileSync(new URL('./fixtures/res2net50_26w_4s-dev-1x64x80.json', import.meta.url), 'utf8')) as {
  salt: string;
  input_shape_nchw: [number, number, number, number];
  logits: number[][];
};

beforeAll(() => registerRes2Net());
expectNoTensorLeaks();

/** The model with timm's hash-init state dict loaded (strictly) through the library's loader. */
async function hashLoaded(options: Parameters<typeof res2net50_26w_4s>[0] = {}): Promise<tf.LayersModel> {
  const [, , h, w] = GOLDEN.input_shape_nchw;
  const model = res2net50_26w_4s({ inputShape: [h, w, 3], classifierActivation: 'linear', init: 'zeros', ...options });
  const tensors = new Map(
    ARCH.state_dict.filter(([, , dtype]) => dtype === 'float32').map(([key, shape]) => [key, tf.tensor(hashValue(GOLDEN.salt, key, shape), shape)]),
  );
  try {
    const report = await loadPyTorchWeights(model, tensors);
    expect(report.loaded.length).toBe(tensors.size);
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return model;
}

/** max |ours − ref| / max |ref| over the logits. */
function logitsError(logits: tf.Tensor): number {
  const ours = logits.dataSync();
  const ref = GOLDEN.logits.flat();
  const scale = Math.max(...ref.map(Math.abs));
  return Math.max(...ref.map((r, i) => Math.abs(ours[i] - r))) / scale;
}

describe('Res2Net from the public kit (examples/res2net.ts)', () => {
  it("timm's state-dict keys and shapes; 25,699,120 parameters", () => {
    const model = res2net50_26w_4s({ init: 'zeros' });
    try {
      expect(counts(model).trainable).toBe(ARCH.trainable_params);
      expect(counts(model).trainable).toBe(25_699_120);
      const ref = ARCH.state_dict;
      const ours = pytorchStateDictSpec(model).map((e) => `${e.key}:${e.shape.join('x')}`);
      expect([...ours].sort()).toEqual(ref.map(([k, s]) => `${k}:${s.join('x')}`).sort());
      // The order is the graph's: a non-first block's convs.i and bns.i alternate
      // (each 3×3 feeds the next), where timm lists its ModuleLists convs, then bns.
      expect(ours.filter((k) => !/\.(convs|bns)\./.test(k))).toEqual(ref.map(([k, s]) => `${k}:${s.join('x')}`).filter((k) => !/\.(convs|bns)\./.test(k)));
    } finally {
      model.dispose();
    }
  });

  it("logits equal timm's within 1e-5 of the largest (hash init, salt 'dev', 1×3×64×80)", async () => {
    const model = await hashLoaded();
    const x = hashInputNHWC(GOLDEN.salt, GOLDEN.input_shape_nchw);
    const logits = model.predict(x) as tf.Tensor;
    const error = logitsError(logits);
    console.log(`res2net50_26w_4s: max|ours − ref| / max|ref| = ${error.toExponential(2)}`);
    expect(logits.shape).toEqual([1, 1000]);
    expect(error).toBeLessThanOrEqual(1e-5);
    // optimizeForInference (BatchNorms folded) keeps the logits.
    const fast = optimizeForInference(model);
    const fastLogits = fast.predict(x) as tf.Tensor;
    const fastError = logitsError(fastLogits);
    console.log(`res2net50_26w_4s optimized: ${fastError.toExponential(2)}; layers ${model.layers.length} → ${fast.layers.length}`);
    expect(fastError).toBeLessThanOrEqual(1e-5);
    expect(fast.layers.length).toBeLessThan(model.layers.length);
    tf.dispose([x, logits, fastLogits]);
    fast.dispose();
    model.dispose();
  });

  it('registrable by name; featuresOnly gives the stem and stage outputs with their reductions', () => {
    expect(listModels({ source: 'user' })).toContain('res2net50_26w_4s');
    expect(getModel('res2net50_26w_4s').reference?.trainableParams).toBe(25_699_120);
    const features = createModel('res2net50_26w_4s', { init: 'zeros', featuresOnly: true, inputShape: [64, 64, 3] });
    try {
      expect(features.outputs.map((o) => o.shape)).toEqual([
        [null, 32, 32, 64],
        [null, 16, 16, 256],
        [null, 8, 8, 512],
        [null, 4, 4, 1024],
        [null, 2, 2, 2048],
      ]);
      expect(modelInfo(features)!.features.map((f) => f.reduction)).toEqual([2, 4, 8, 16, 32]);
    } finally {
      features.dispose();
    }
  });

  it('output stride 8: the strided groups dilate, the pooled group keeps its 3×3 window', () => {
    const model = res2net50_26w_4s({ init: 'zeros', includeTop: false, outputStride: 8, inputShape: [64, 64, 3] });
    try {
      expect(model.outputs[0].shape).toEqual([null, 8, 8, 2048]);
      expect(model.getLayer('layer4.0.convs.0').getConfig().dilationRate).toEqual([2, 2]);
      expect(model.getLayer('layer4.1.convs.0').getConfig().dilationRate).toEqual([4, 4]);
    } finally {
      model.dispose();
    }
  });

  it('saves and loads (its ChannelSlice layer is serializable)', async () => {
    const model = await hashLoaded();
    const again = await saveAndLoad(model);
    const x = hashInputNHWC(GOLDEN.salt, GOLDEN.input_shape_nchw);
    const [a, b] = [model.predict(x) as tf.Tensor, again.predict(x) as tf.Tensor];
    expect(again.getLayer('layer1.0.split.0')).toBeInstanceOf(ChannelSlice);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBe(0);
    tf.dispose([x, a, b]);
    again.dispose();
    model.dispose();
  });

  it('the block works in stage() and checks its arguments', () => {
    const x = tf.input({ shape: [16, 16, 64] });
    const s = stage({ block: res2netBlock, filters: 32, blocks: 2, stride: 2, name: 'layer2', blockArgs: { scale: 4, baseWidth: 26 } });
    const y = s.apply(x);
    expect(y.shape).toEqual([null, 8, 8, 128]);
    expect(s.outChannels).toBe(128);
    expect(s.blocks[0].layers.map((l) => l.name)).toContain('layer2.0.pool');
    expect(s.blocks[1].layers.map((l) => l.name)).toContain('layer2.1.add.1');
    tf.model({ inputs: x, outputs: y }).dispose();
    expect(() => res2netBlock({ filters: 64, scale: 0 })).toThrow(ConfigError);
    expect(() => res2netBlock({ filters: 1, baseWidth: 26 })).toThrow(/floor\(filters · baseWidth \/ 64\) is 0/);
  });
});
