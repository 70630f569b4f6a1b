// Fills a PyTorch-named tfjs model with the reference hash init: each weight
// gets the values of its PyTorch key, generated in PyTorch layout and
// transposed to tfjs layout.
import * as tf from '@tensorflow/tfjs';
import { hashValue } from './hash-init.js';
import { nchwToNhwcIndex } from './golden-numerics.js';
import { torchParams } from './state-dict-keys.js';

/** Permutation from PyTorch layout to tfjs layout, by tfjs rank and class. */
function toTfjs(t: tf.Tensor, className: string): tf.Tensor {
  if (t.rank === 4) return tf.transpose(t, [2, 3, 1, 0]); // [o, i, kh, kw] → [kh, kw, i, o]
  if (t.rank === 3) return tf.transpose(t, [2, 1, 0]); // Conv1D [o, i, k] → [k, i, o]
  if (t.rank === 2 && className === 'Dense') return tf.transpose(t); // [o, i] → [i, o]
  return t;
}

/** Sets every weight of `model` to the hash init of its PyTorch key. Returns the keys set. */
export function setHashWeights(model: tf.LayersModel, salt: string): string[] {
  const params = torchParams(model);
  const byLayer = new Map<tf.layers.Layer, tf.Tensor[]>();
  const keys: string[] = [];
  tf.tidy(() => {
    for (const p of params) {
      const values = hashValue(salt, p.key, p.shape);
      const tensor = toTfjs(tf.tensor(values, p.shape), p.className);
      let list = byLayer.get(p.layer);
      if (list === undefined) byLayer.set(p.layer, (list = []));
      list[p.index] = tensor;
      keys.push(p.key);
    }
    for (const [layer, tensors] of byLayer) layer.setWeights(tensors);
  });
  return keys;
}

/** The hash input of shape NCHW, as an NHWC tensor. */
export { hashInputNhwc as hashInputNHWC } from './golden-numerics.js';

/** Reads the NCHW-flat-index probes from an NHWC tensor. */
export function readProbesNHWC(t: tf.Tensor, nchw: readonly number[], indices: readonly number[]): number[] {
  const data = t.dataSync();
  return indices.map((index) => data[nchwToNhwcIndex(index, nchw)]);
}
