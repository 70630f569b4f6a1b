// The extension point, end to end: the ECA block type of
// examples/new-block-type.ts builds timm's ecaresnet50d through
// resnet(config) and a registered name, with timm's parameters, keys and
// feature levels; its attention computes ECA exactly; its new layer class
// loads PyTorch weights through the registered mapping; it saves and loads.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ecaAttention, ecaBottleneckBlock, ecaKernelSize, ECARESNET50D, registerEca } from '../examples/new-block-type.js';
import { createModel, getModel, listModels } from '../src/models/registry.js';
import { resnet } from '../src/models/resnet.js';
import { stage } from '../src/stages/stage.js';
import { bottleneckBlock } from '../src/blocks/bottleneck.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { pytorchStateDictSpec } from '../src/weights/state-dict.js';
import { hashValue } from './helpers/hash-init.js';
import { expectFeatures, expectStateDict, counts, TIMM_ARCH, TIMM_STATE } from './helpers/family-arch.js';
import { saveAndLoad } from './helpers/round-trip.js';

beforeAll(() => registerEca());

describe('a new block type: ECA (examples/new-block-type.ts)', () => {
  it("adaptive kernel sizes as timm's EcaModule (gamma 2, beta 1)", () => {
    expect([64, 256, 512, 1024, 2048].map((c) => ecaKernelSize(c))).toEqual([3, 5, 5, 5, 7]);
  });

  it("createModel('ecaresnet50d') after registering it: timm's parameters, buffers, keys and shapes, feature_info", () => {
    expect(listModels({ source: 'user' })).toContain('ecaresnet50d');
    const model = createModel('ecaresnet50d', { init: 'zeros' });
    const ref = TIMM_ARCH.ecaresnet50d;
    expect(counts(model)).toEqual({ trainable: ref.trainable_params, buffers: ref.buffers });
    expect(getModel('ecaresnet50d').reference?.trainableParams).toBe(ref.trainable_params);
    expectStateDict(model, TIMM_STATE.ecaresnet50d);
    expectFeatures(model, ref.feature_info);
    // the library's own state-dict spec (src/weights) agrees, through the registered Conv1D mapping
    const spec = new Map(pytorchStateDictSpec(model).map((e) => [e.key, e.shape]));
    expect(spec.get('layer1.0.se.conv.weight')).toEqual([1, 1, 5]);
    expect(spec.get('layer4.2.se.conv.weight')).toEqual([1, 1, 7]);
    model.dispose();
  });

  it('the block type works in stage() and resnet(config) unchanged', () => {
    const x = tf.input({ shape: [16, 16, 64] });
    const s = stage({ block: ecaBottleneckBlock, filters: 32, blocks: 2, stride: 2, name: 'layer2' });
    expect(s.apply(x).shape).toEqual([null, 8, 8, 128]);
    expect(s.outChannels).toBe(128);
    expect(ecaBottleneckBlock.expansion).toBe(4);
    const m = resnet({ ...ECARESNET50D, layers: [1, 1] }, { init: 'zeros', inputShape: [32, 32, 3], classes: 5 });
    expect(m.getLayer('layer2.0.se.conv').getClassName()).toBe('Conv1D');
    m.dispose();
  });

  it('computes ECA exactly: sigmoid(conv1d over the channel means) · x', () => {
    const input = tf.input({ shape: [5, 6, 64] });
    const block = bottleneckBlock({ filters: 16, name: 'b', attention: ecaAttention() });
    block.apply(input);
    const get = (n: string): tf.layers.Layer => block.layers.find((l) => l.name === n)!;
    const kernel = tf.tensor3d([0.3, -0.7, 1.1], [3, 1, 1]);
    get('b.se.conv').setWeights([kernel]);
    const probe = tf.model({ inputs: input, outputs: [get('b.bn3').output as tf.SymbolicTensor, get('b.se.mul').output as tf.SymbolicTensor] });
    const x = tf.randomUniform([2, 5, 6, 64], -1, 1, 'float32', 11);
    const [pre, out] = probe.predict(x) as tf.Tensor[];
    const p = pre.arraySync() as number[][][][];
    const o = out.arraySync() as number[][][][];
    const w = [0.3, -0.7, 1.1];
    for (let n = 0; n < 2; n++) {
      const mean = Array.from({ length: 64 }, (_, c) => p[n].flat().reduce((s, px) => s + px[c], 0) / 30);
      const gate = mean.map((_, c) => 1 / (1 + Math.exp(-w.reduce((s, wi, i) => s + wi * (mean[c + i - 1] ?? 0), 0))));
      for (const [h, ww, c] of [
        [0, 0, 0],
        [4, 5, 63],
        [2, 3, 31],
      ])
        expect(o[n][h][ww][c]).toBeCloseTo(p[n][h][ww][c] * gate[c], 5);
    }
    tf.dispose([kernel, x, pre, out]);
  });

  it('loads PyTorch weights through the registered Conv1D mapping ([1, 1, k] → [k, 1, 1])', async () => {
    const model = resnet({ ...ECARESNET50D, layers: [1, 1] }, { init: 'zeros', inputShape: [32, 32, 3], classes: 5 });
    const tensors = new Map(
      pytorchStateDictSpec(model)
        .filter((e) => e.dtype === 'float32')
        .map((e) => [e.key, tf.tensor(hashValue('eca', e.key, e.shape), e.shape)]),
    );
    const report = await loadPyTorchWeights(model, tensors);
    expect(report.missing).toEqual([]);
    expect(report.loaded).toContain('layer1.0.se.conv.weight');
    const k = model.getLayer('layer1.0.se.conv').getWeights()[0];
    expect(k.shape).toEqual([5, 1, 1]);
    expect(Array.from(k.dataSync())).toEqual(Array.from(hashValue('eca', 'layer1.0.se.conv.weight', [1, 1, 5])));
    tf.dispose([...tensors.values()]);
    model.dispose();
  });

  it('saves and loads (memory handler) exactly, with stock layers only', async () => {
    const model = resnet({ ...ECARESNET50D, layers: [1, 1] }, { inputShape: [32, 32, 3], classes: 5, classifierActivation: 'linear' });
    const loaded = await saveAndLoad(model);
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
