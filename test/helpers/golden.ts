// Runs a model filled with the reference hash init on the reference input and
// compares stage probes and logits with a golden numerics file.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../../src/models/registry.js';
import { modelInfo } from '../../src/models/model-info.js';
import { loadPyTorchWeights } from '../../src/weights/load-pytorch.js';
import { hashValue } from './hash-init.js';
import { hashInputNHWC, readProbesNHWC, setHashWeights } from './torch-hash-weights.js';
import type { Golden } from './golden-numerics.js';

export type { Golden } from './golden-numerics.js';

/** torchvision numerics files name the stem `stem`, the max pool `pool`. */
export const torchvisionStage = (name: string, model: tf.LayersModel): string => {
  if (name === 'stem') return 'act1';
  if (name === 'pool') return 'maxpool';
  if (name === 'pooled') return 'global_pool';
  return modelInfo(model)!.features.find((f) => f.name === name)!.layer;
};
/** timm numerics files name stages by timm's feature modules. */
export const timmStage = (name: string, model: tf.LayersModel): string =>
  name === 'pooled' ? 'global_pool' : modelInfo(model)!.features.find((f) => f.name === name)!.layer;

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Checks the registry model of the golden file: logits within 1e-4·max|ref|,
 * stage probes within 1e-4·absmax; returns the relative errors per stage.
 * Weights: the hash init set layer by layer (test/helpers), or — given the
 * reference's state-dict key list — loaded with `loadPyTorchWeights`.
 */
export async function expectGolden(
  golden: Golden,
  stageLayer: (name: string, model: tf.LayersModel) => string,
  stateDict?: ReadonlyArray<readonly [string, number[], string]>,
): Promise<Record<string, number>> {
  const [n, , h, w] = golden.input_shape_nchw;
  const before = tf.memory().numTensors;
  const model = createModel(golden.model, { inputShape: [h, w, 3], classifierActivation: 'linear', init: 'zeros' });
  if (stateDict === undefined) {
    setHashWeights(model, golden.salt);
  } else {
    // Through the library's loader, strict: the reference's full key list, hash-filled.
    const tensors = new Map(
      stateDict.filter(([, , dtype]) => dtype === 'float32').map(([key, shape]) => [key, tf.tensor(hashValue(golden.salt, key, shape), shape)]),
    );
    const report = await loadPyTorchWeights(model, tensors);
    expect(report.loaded.length).toBe(tensors.size);
    tf.dispose([...tensors.values()]);
  }
  const stageNames = Object.keys(golden.stages);
  const probe = tf.model({
    inputs: model.inputs,
    outputs: [...stageNames.map((s) => model.getLayer(stageLayer(s, model)).output as tf.SymbolicTensor), model.outputs[0]],
  });
  const x = hashInputNHWC(golden.salt, golden.input_shape_nchw);
  const outs = probe.predict(x) as tf.Tensor[];
  const report: Record<string, number> = {};
  stageNames.forEach((s, i) => {
    const ref = golden.stages[s];
    const t = outs[i];
    const nhwc = ref.shape_nchw.length === 4 ? [ref.shape_nchw[0], ref.shape_nchw[2], ref.shape_nchw[3], ref.shape_nchw[1]] : ref.shape_nchw;
    expect(t.shape, s).toEqual(nhwc);
    const ours = ref.shape_nchw.length === 4 ? readProbesNHWC(t, ref.shape_nchw, ref.probe_index_nchw) : ref.probe_index_nchw.map((j) => t.dataSync()[j]);
    const err = Math.max(...ours.map((v, j) => Math.abs(v - ref.probe_value[j])));
    report[s] = err / ref.absmax;
    expect(err, `stage ${s}`).toBeLessThanOrEqual(1e-4 * ref.absmax);
  });
  const logits = outs[outs.length - 1];
  expect(logits.shape).toEqual([n, 1000]);
  const data = logits.dataSync();
  const ref = golden.logits.flat();
  const refMax = maxAbs(ref);
  const err = maxAbs(ref.map((v, j) => v - data[j]));
  report.logits = err / refMax;
  console.log(
    `${golden.model}: max|ours − ref| / max|ref|`,
    JSON.stringify(Object.fromEntries(Object.entries(report).map(([k, v]) => [k, Number(v.toExponential(2))]))),
  );
  expect(err).toBeLessThanOrEqual(1e-4 * refMax);
  tf.dispose([x, ...outs]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return report;
}
