// Shared checks of a registry model's architecture against the reference
// figures: parameter counts, state-dict keys and shapes, stage shapes,
// feature levels.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createModel, getModel } from '../../src/models/registry.js';
import { modelInfo } from '../../src/models/model-info.js';
import { pytorchStateDictSpec } from '../../src/weights/state-dict.js';
import { fixtureShapes, stateDictShapes } from './state-dict-keys.js';

export const fixture = (f: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${f}`, import.meta.url), 'utf8'));

type Entries = Array<[string, number[], string]>;
export const TV_STATE = fixture('torchvision-state-dicts.json') as Record<string, Entries>;
export const TIMM_STATE = fixture('timm-state-dicts.json') as Record<string, Entries>;
export const TV_ARCH = (fixture('torchvision-arch-224.json') as { models: Record<string, TvArch> }).models;
export const TIMM_ARCH = fixture('timm-arch.json') as Record<string, TimmArch>;

export interface TvArch {
  trainable_params: number;
  bn_running_stats: number;
  stage_shapes_nchw: Record<string, number[]>;
  macs: number;
}
export interface TimmArch {
  trainable_params: number;
  buffers: number;
  state_dict_keys: number;
  feature_info: { channels: number[]; reduction: number[]; module: string[] };
}

const size = (ws: tf.LayerVariable[]): number => ws.reduce((a, w) => a + (w.shape as number[]).reduce((x, y) => x * y, 1), 0);

/** Trainable parameters and non-trainable values (BN running statistics) of a model. */
export function counts(model: tf.LayersModel): { trainable: number; buffers: number } {
  return { trainable: size(model.trainableWeights), buffers: size(model.nonTrainableWeights) };
}

/** Builds `name` with zeros, runs `check`, disposes. */
export function withModel(name: string, check: (m: tf.LayersModel) => void, inputShape: [number, number, number] = [224, 224, 3]): void {
  const before = tf.memory().numTensors;
  const model = createModel(name, { init: 'zeros', inputShape });
  try {
    check(model);
  } finally {
    model.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
}

/** Parameter counts equal the fixture's and the registry's reference figures. */
export function expectCounts(model: tf.LayersModel, name: string, trainable: number, buffers: number | undefined): void {
  const c = counts(model);
  expect(c.trainable, `${name} trainable`).toBe(trainable);
  if (buffers !== undefined) expect(c.buffers, `${name} buffers`).toBe(buffers);
  const ref = getModel(name).reference;
  expect(ref?.trainableParams, `${name} registry reference`).toBe(trainable);
  if (buffers !== undefined) expect(ref?.buffers, `${name} registry reference buffers`).toBe(buffers);
}

/** The implied state dict (keys and PyTorch shapes) equals the fixture's, num_batches_tracked aside. */
export function expectStateDict(model: tf.LayersModel, entries: Entries): void {
  const ours = stateDictShapes(model);
  const ref = fixtureShapes(entries);
  const missing = [...ref.keys()].filter((k) => !ours.has(k));
  const extra = [...ours.keys()].filter((k) => !ref.has(k));
  expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  const wrong = [...ref].filter(([k, s]) => JSON.stringify(ours.get(k)) !== JSON.stringify(s)).map(([k]) => k);
  expect(wrong).toEqual([]);
  // The library's own spec (src/weights) lists the same entries in the reference's order.
  expect(pytorchStateDictSpec(model).map((e) => `${e.key}:${e.shape.join('x')}`)).toEqual(entries.map(([k, sh]) => `${k}:${sh.join('x')}`));
}

/** Feature levels equal timm's feature_info. */
export function expectFeatures(model: tf.LayersModel, info: TimmArch['feature_info']): void {
  const f = modelInfo(model)!.features;
  expect(f.map((l) => l.name)).toEqual(info.module);
  expect(f.map((l) => l.channels)).toEqual(info.channels);
  expect(f.map((l) => l.reduction)).toEqual(info.reduction);
  // and the layers named there really have those channels
  expect(f.map((l) => model.getLayer(l.layer).outputShape.at(-1))).toEqual(info.channels);
}

/** Stage output shapes (NCHW at 224×224) equal torchvision's. */
export function expectStageShapes(model: tf.LayersModel, shapes: Record<string, number[]>): void {
  const info = modelInfo(model)!;
  for (const [stage, [, c, h, w]] of Object.entries(shapes)) {
    const layer = stage === 'pool' ? 'maxpool' : info.features.find((f) => f.name === stage)!.layer;
    expect(model.getLayer(layer).outputShape, stage).toEqual([null, h, w, c]);
  }
}
