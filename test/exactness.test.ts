// Exactness against torchvision: hash-init state dicts written as safetensors,
// loaded through the public API, run on the hash input, compared with the
// numbers torchvision produced (test/fixtures/<model>-dev-*.json).
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resnet } from '../src/models/resnet.js';
import { modelInfo } from '../src/models/model-info.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { writeSafetensors } from '../src/weights/safetensors.js';
import { hashInputNhwc, hashStateDictTensors, logitsError, probeError, readGolden, torchvisionStateDict } from './helpers/golden-numerics.js';

const TOLERANCE = 1e-4;
const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-exactness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Via = 'bytes' | 'path' | 'file-url';

const CASES: Array<{ depth: 18 | 34 | 50; golden: string; via: Via }> = [
  { depth: 18, golden: 'resnet18-dev-1x224x224', via: 'bytes' },
  { depth: 34, golden: 'resnet34-dev-2x97x131', via: 'file-url' },
  { depth: 50, golden: 'resnet50-dev-1x224x224', via: 'path' },
];

describe('exactness against torchvision (hash init, salt "dev")', () => {
  for (const { depth, golden: goldenName, via } of CASES) {
    it(`resnet${depth} at ${goldenName.split('-').pop()} loaded from ${via}: logits and stage probes within 1e-4`, async () => {
      const golden = readGolden(goldenName);
      const [n, , h, w] = golden.input_shape_nchw;
      const list = torchvisionStateDict(`resnet${depth}`);
      let bytes: Uint8Array | undefined = writeSafetensors(hashStateDictTensors(golden.salt, list));
      let source: Uint8Array | string | URL = bytes;
      if (via !== 'bytes') {
        const file = path.join(dir, `resnet${depth}.safetensors`);
        writeFileSync(file, bytes);
        source = via === 'path' ? file : pathToFileURL(file);
        bytes = undefined;
      }

      const model = resnet(depth, { init: 'zeros', classifierActivation: 'linear', inputShape: [h, w, 3] });
      const before = tf.memory().numTensors;
      const report = await loadPyTorchWeights(model, source);
      expect(tf.memory().numTensors).toBe(before);
      const bnCount = list.filter(([key]) => key.endsWith('.num_batches_tracked')).length;
      expect(report.loaded).toHaveLength(list.length - bnCount);
      expect(report.ignored).toHaveLength(bnCount);
      expect(report.missing).toEqual([]);
      expect(report.unexpected).toEqual([]);

      // One model with every probed stage as an output (the layers are shared).
      const info = modelInfo(model)!;
      const stageLayers: Record<string, string> = { stem: 'act1', pool: 'maxpool', pooled: 'global_pool' };
      for (const f of info.features.slice(1)) stageLayers[f.name] = f.layer;
      const stageNames = Object.keys(golden.stages);
      expect(stageNames.sort()).toEqual(Object.keys(stageLayers).sort());
      const probe = tf.model({
        inputs: model.inputs,
        outputs: [...stageNames.map((s) => model.getLayer(stageLayers[s]).output as tf.SymbolicTensor), model.outputs[0]],
      });
      const x = hashInputNhwc(golden.salt, golden.input_shape_nchw);
      const outputs = probe.predict(x) as tf.Tensor[];
      const values = await Promise.all(outputs.map((t) => t.data()));
      tf.dispose([x, ...outputs]);

      const errors: Record<string, number> = {};
      stageNames.forEach((s, i) => {
        errors[s] = probeError(values[i], golden.stages[s]);
      });
      errors.logits = logitsError(values[stageNames.length], golden.logits);
      expect(values[stageNames.length]).toHaveLength(n * 1000);
      console.log(
        `resnet${depth} ${goldenName} max relative errors:`,
        Object.entries(errors)
          .map(([k, e]) => `${k} ${e.toExponential(2)}`)
          .join(', '),
      );
      for (const [stageName, error] of Object.entries(errors)) {
        expect(error, `${stageName} relative error`).toBeLessThan(TOLERANCE);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
