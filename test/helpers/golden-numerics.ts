// Reference numerics of test/fixtures/<model>-dev-<N>x<H>x<W>.json and the
// pieces to compare a tfjs model with them: the hash-init state dict of a
// torchvision model, the hash input in NHWC, and probe/logit error measures.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashStateDict, hashValue } from './hash-init.js';

/** Path of a fixture file. */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** One stage of a numerics file. */
export interface GoldenStage {
  shape_nchw: number[];
  mean: number;
  std: number;
  absmax: number;
  probe_index_nchw: number[];
  probe_value: number[];
}

/** A numerics file. */
export interface Golden {
  model: string;
  salt: string;
  input_shape_nchw: [number, number, number, number];
  stages: Record<string, GoldenStage>;
  logits: number[][];
}

/** Reads test/fixtures/<name>.json (e.g. `resnet18-dev-1x224x224`). */
export function readGolden(name: string): Golden {
  return JSON.parse(readFileSync(fixturePath(`${name}.json`), 'utf8')) as Golden;
}

/** [key, shape, dtype] of every state-dict entry of a model, in PyTorch's order. */
export type StateDictList = Array<[string, number[], string]>;

let torchvisionStateDicts: Record<string, StateDictList> | undefined;

/** The state-dict key list of a torchvision model (test/fixtures/torchvision-state-dicts.json). */
export function torchvisionStateDict(model: string): StateDictList {
  torchvisionStateDicts ??= JSON.parse(readFileSync(fixturePath('torchvision-state-dicts.json'), 'utf8')) as Record<string, StateDictList>;
  const list = torchvisionStateDicts[model];
  if (list === undefined) throw new Error(`no state dict for ${model} in torchvision-state-dicts.json`);
  return list;
}

/**
 * The hash-init state dict of a key list, as safetensors inputs, with
 * `num_batches_tracked` as the I64 zero PyTorch writes.
 */
export function hashStateDictTensors(salt: string, list: StateDictList): Record<string, { dtype: 'F32' | 'I64'; shape: number[]; data: ArrayLike<number> }> {
  const values = hashStateDict(
    salt,
    list.map(([key, shape]) => ({ key, shape })),
  );
  const out: Record<string, { dtype: 'F32' | 'I64'; shape: number[]; data: ArrayLike<number> }> = {};
  for (const [key, shape, dtype] of list) {
    out[key] = dtype === 'int64' ? { dtype: 'I64', shape, data: [0] } : { dtype: 'F32', ...values[key] };
  }
  return out;
}

/** The hash input of an NCHW shape, transposed to an NHWC tensor. */
export function hashInputNhwc(salt: string, nchw: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(hashValue(salt, 'input', nchw), nchw as [number, number, number, number]), [0, 2, 3, 1]));
}

/** The NHWC flat index of an NCHW flat index, for a stage of NCHW shape `[n, c, h, w]` (or `[n, c]`). */
export function nchwToNhwcIndex(index: number, shape: readonly number[]): number {
  if (shape.length === 2) return index;
  const [, c, h, w] = shape;
  const wi = index % w;
  const hi = Math.floor(index / w) % h;
  const ci = Math.floor(index / (w * h)) % c;
  const ni = Math.floor(index / (w * h * c));
  return ((ni * h + hi) * w + wi) * c + ci;
}

/** max |ours − ref| over a stage's probes, divided by the stage's absmax. */
export function probeError(nhwc: ArrayLike<number>, stage: GoldenStage): number {
  let worst = 0;
  stage.probe_index_nchw.forEach((index, k) => {
    worst = Math.max(worst, Math.abs(nhwc[nchwToNhwcIndex(index, stage.shape_nchw)] - stage.probe_value[k]));
  });
  return worst / stage.absmax;
}

/** max |ours − ref| over all logits, divided by max |ref|. */
export function logitsError(ours: ArrayLike<number>, ref: number[][]): number {
  const flat = ref.flat();
  let worst = 0;
  let scale = 0;
  flat.forEach((r, i) => {
    worst = Math.max(worst, Math.abs(ours[i] - r));
    scale = Math.max(scale, Math.abs(r));
  });
  return worst / scale;
}
