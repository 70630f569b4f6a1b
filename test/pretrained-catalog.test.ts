// Every catalog entry's architecture builds at its data config's input size,
// and its state-dict keys are the ones the source's model has (the reference
// key lists of test/fixtures/{torchvision,timm}-state-dicts.json, where we
// have them; timm's ResNets of torchvision's names share torchvision's keys).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '../src/models/registry.js';
import { listPretrained } from '../src/pretrained/catalog.js';
import type { PretrainedWeights } from '../src/pretrained/entry.js';
import { fixtureShapes, stateDictShapes } from './helpers/state-dict-keys.js';

type KeyList = Record<string, Array<[string, number[], string]>>;
const read = (f: string): KeyList => JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', f), 'utf8')) as KeyList;
const references: KeyList = { ...read('torchvision-state-dicts.json'), ...read('timm-state-dicts.json') };

/** One build per architecture, style and input size. */
const groups = new Map<string, PretrainedWeights[]>();
for (const w of listPretrained()) {
  const key = `${w.model} ${w.style ?? ''} ${w.data.inputSize.join('x')}`;
  groups.set(key, [...(groups.get(key) ?? []), w]);
}

describe('the generated catalog', () => {
  it('src/pretrained/catalog-data.ts is what scripts/pretrained-catalog.ts makes of published-weights.json', () => {
    const root = path.join(import.meta.dirname, '..');
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/pretrained-catalog.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr + run.stdout).toContain('is up to date (101 entries)');
    expect(run.status).toBe(0);
  });
});

describe('catalog entries build exactly', () => {
  it(`covers every entry (${listPretrained().length} tags in ${groups.size} builds)`, () => {
    expect([...groups.values()].flat().length).toBe(listPretrained().length);
  });

  for (const [key, entries] of groups) {
    const [first] = entries;
    it(`${key}: ${entries.map((e) => e.tag).join(', ')}`, () => {
      const [h, w] = first.data.inputSize;
      const model = createModel(first.model, { init: 'zeros', inputShape: [h, w, 3], classes: first.classes, ...(first.style ? { style: first.style } : {}) });
      try {
        expect(model.outputs[0].shape).toEqual([null, first.classes]);
        if (first.origin === 'keras') return; // Keras names, no PyTorch state dict
        const ours = stateDictShapes(model);
        for (const e of entries) {
          expect(ours.get(`${e.classifier}.weight`), e.tag).toEqual([e.classes, expect.any(Number)]);
          expect(ours.has(`${e.classifier}.bias`), e.tag).toBe(true);
        }
        const reference = references[first.model];
        if (reference === undefined) return;
        const ref = fixtureShapes(reference);
        expect([...ours.keys()].sort()).toEqual([...ref.keys()].sort());
        // timm's ResNetV2 head is a 1×1 conv ([classes, C, 1, 1]); ours is a Dense, which the loader accepts it into.
        const squeeze = (shape: number[]): number[] => (shape.length === 4 && shape[2] === 1 && shape[3] === 1 ? shape.slice(0, 2) : shape);
        for (const [key, shape] of ref) expect(ours.get(key), key).toEqual(key.startsWith('head.fc.') ? squeeze(shape) : shape);
      } finally {
        model.dispose();
      }
    });
  }

  it('reference key lists cover every PyTorch architecture but resnext101_64x4d and the CIFAR nets', () => {
    const pytorch = listPretrained().filter((w) => w.origin !== 'keras');
    const uncovered = [...new Set(pytorch.filter((w) => references[w.model] === undefined).map((w) => w.model))];
    expect(uncovered.sort()).toEqual(['resnet110', 'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnext101_64x4d']);
    expect(pytorch.filter((w) => references[w.model] !== undefined).length).toBe(87);
  });
});
