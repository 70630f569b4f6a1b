// Refactoring guard: every registered model's structure — layer names,
// classes, configs and inbound connections, weight order (names and shapes)
// and model info — hashed per model and style, plus a few option variants
// that exercise the stage plan (output stride, drop path, dilation by
// replaceStrideWithDilation). The expected hashes were computed on the code
// before the builder refactor (issue #14) and must not change.
//
// Regenerate (only for an intended structural change, and say so in the
// commit): UPDATE_STRUCTURE_HASHES=1 npx vitest run test/model-structure-hash.test.ts
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createModel, listModels } from '../src/models/registry.js';
import { modelInfo } from '../src/models/model-info.js';
import { resnet } from '../src/models/resnet.js';
import { resnetV2 } from '../src/models/resnetv2.js';
import type { ResNetOptions } from '../src/models/options.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/model-structure-hashes.json', import.meta.url));
const UPDATE = process.env.UPDATE_STRUCTURE_HASHES === '1';

/** A canonical description of a model's structure. */
function structure(model: tf.LayersModel): unknown {
  return {
    name: model.name,
    layers: model.layers.map((l) => ({
      name: l.name,
      className: l.getClassName(),
      config: l.getConfig(),
      inbound: l.inboundNodes.map((n) => n.inboundLayers.map((p, i) => [p.name, n.nodeIndices[i], n.tensorIndices[i]])),
    })),
    weights: model.weights.map((w) => [w.originalName, w.shape, w.trainable]),
    outputs: model.outputs.map((o) => [o.name, o.shape]),
    info: modelInfo(model) ?? null,
  };
}

function hashOf(model: tf.LayersModel): string {
  return createHash('sha256')
    .update(JSON.stringify(structure(model)))
    .digest('hex')
    .slice(0, 32);
}

/** Models and variants, by a stable key. */
function cases(): Array<[string, () => tf.LayersModel]> {
  const zeros: ResNetOptions = { init: 'zeros' };
  const out: Array<[string, () => tf.LayersModel]> = [];
  for (const name of listModels()) {
    out.push([`${name}`, () => createModel(name, zeros)]);
    out.push([`${name} keras`, () => createModel(name, { ...zeros, style: 'keras' })]);
  }
  // Random initialisation's configs (kernel initialisers), on small nets.
  out.push(['resnet18 default-init', () => createModel('resnet18')]);
  out.push(['resnet18 keras default-init', () => createModel('resnet18', { style: 'keras' })]);
  out.push(['resnet20 default-init', () => createModel('resnet20')]);
  // The stage plan: output stride, drop path, dilation, featuresOnly.
  for (const os of [8, 16] as const) {
    for (const name of ['resnet50d', 'resnet18', 'resnet50v2', 'resnetv2_50d', 'resnet20']) {
      if (!listModels().includes(name)) continue;
      out.push([`${name} os${os}`, () => createModel(name, { ...zeros, outputStride: os })]);
      out.push([`${name} keras os${os}`, () => createModel(name, { ...zeros, style: 'keras', outputStride: os })]);
    }
  }
  out.push(['resnet50d drop0.1', () => createModel('resnet50d', { ...zeros, dropPathRate: 0.1 })]);
  out.push(['resnet50v2 drop0.1', () => createModel('resnet50v2', { ...zeros, dropPathRate: 0.1 })]);
  out.push(['resnet20 drop0.1', () => createModel('resnet20', { ...zeros, dropPathRate: 0.1 })]);
  out.push(['resnet18 features', () => createModel('resnet18', { ...zeros, featuresOnly: true, outIndices: [1, 3] })]);
  out.push(['resnet50 replace [F,T,T]', () => resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], replaceStrideWithDilation: [false, true, true] }, zeros)]);
  out.push([
    'resnet custom 3-stage',
    () => resnet({ block: 'basic', layers: [1, 2, 1], widths: [16, 32, 64] }, { ...zeros, inputShape: [64, 64, 3], classes: 7 }),
  ]);
  out.push(['resnetV2 basic 3-stage', () => resnetV2({ block: 'basic', layers: [1, 1, 1] }, { ...zeros, inputShape: [64, 64, 3], classes: 7 })]);
  // Five stages: output strides 16 and 8 (v1 and v2 agreed there); v2 also at 32.
  const five = { layers: [1, 1, 1, 1, 1], widths: [8, 16, 32, 64, 128] };
  for (const os of [8, 16] as const) {
    out.push([`resnet 5-stage os${os}`, () => resnet({ block: 'basic', ...five }, { ...zeros, outputStride: os, inputShape: [64, 64, 3] })]);
  }
  for (const os of [8, 16, 32] as const) {
    out.push([`resnetV2 5-stage os${os}`, () => resnetV2({ block: 'basic', ...five }, { ...zeros, outputStride: os, inputShape: [64, 64, 3] })]);
  }
  out.push(['resnet no-top max', () => resnet(18, { ...zeros, includeTop: false, pooling: 'max' })]);
  return out;
}

describe('model structure hashes (unchanged by refactoring)', () => {
  const expected: Record<string, string> = UPDATE ? {} : JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const actual: Record<string, string> = {};
  const all = cases();

  it('covers every registered model in both styles', () => {
    const names = listModels();
    expect(names.length).toBeGreaterThan(30);
    if (!UPDATE) for (const name of names) expect(Object.keys(expected)).toContain(name);
  });

  it.each(all.map(([key]) => key))('%s', (key) => {
    const build = all.find(([k]) => k === key)![1];
    // A model that refuses a style refuses it the same way before and after.
    let model: tf.LayersModel | undefined;
    try {
      model = build();
    } catch (error) {
      actual[key] = `${(error as Error).name}: ${(error as Error).message}`;
    }
    if (model !== undefined) {
      try {
        actual[key] = hashOf(model);
      } finally {
        model.dispose();
      }
    }
    if (UPDATE) {
      writeFileSync(FIXTURE, JSON.stringify({ ...JSON.parse(safeRead()), ...actual }, null, 2) + '\n');
    } else {
      expect(actual[key], key).toBe(expected[key]);
    }
  });
});

function safeRead(): string {
  try {
    return readFileSync(FIXTURE, 'utf8');
  } catch {
    return '{}';
  }
}
