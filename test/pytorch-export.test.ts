// pytorchStateDictSpec and exportPyTorchWeights: the key list equals
// torchvision's state_dict(), exports load back in PyTorch's layout, bit-exact.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { WeightsError } from '../src/errors.js';
import { resnet } from '../src/models/resnet.js';
import { exportPyTorchWeights } from '../src/weights/export-pytorch.js';
import { loadPyTorchWeights } from '../src/weights/load-pytorch.js';
import { readSafetensors, writeSafetensors } from '../src/weights/safetensors.js';
import { pytorchStateDictSpec } from '../src/weights/state-dict.js';
import { hashStateDictTensors, torchvisionStateDict } from './helpers/golden-numerics.js';
import { expectSameWeights, sameBytes } from './helpers/weight-compare.js';

describe('pytorchStateDictSpec', () => {
  for (const depth of [18, 34, 50, 101, 152] as const) {
    it(`resnet${depth}: keys, shapes, dtypes and order equal torchvision's state_dict()`, () => {
      const spec = pytorchStateDictSpec(resnet(depth, { init: 'zeros' }));
      expect(spec.map((e) => [e.key, e.shape, e.dtype])).toEqual(torchvisionStateDict(`resnet${depth}`));
    });
  }

  it('refuses Keras-style models, pointing to loadKerasWeights', () => {
    const keras = resnet({ block: 'basic', layers: [1] }, { style: 'keras', inputShape: [32, 32, 3], init: 'zeros' });
    expect(() => pytorchStateDictSpec(keras)).toThrow(WeightsError);
    expect(() => pytorchStateDictSpec(keras)).toThrow(/loadKerasWeights/);
  });
});

describe('exportPyTorchWeights', () => {
  it('writes torchvision keys, shapes and I64 num_batches_tracked; export → load is bit-exact', async () => {
    const model = resnet(18, { classifierActivation: 'linear' }); // random init
    const before = tf.memory().numTensors;
    const bytes = await exportPyTorchWeights(model);
    expect(tf.memory().numTensors).toBe(before);
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    const expected = torchvisionStateDict('resnet18');
    expect(Object.keys(tensors).sort()).toEqual(expected.map(([k]) => k).sort());
    for (const [key, shape, dtype] of expected) {
      expect(tensors[key].shape, key).toEqual(shape);
      expect(tensors[key].dtype, key).toBe(dtype === 'int64' ? 'I64' : 'F32');
    }
    expect(Array.from(tensors['bn1.num_batches_tracked'].data)).toEqual([0]);

    const copy = resnet(18, { classifierActivation: 'linear', init: 'zeros' });
    await loadPyTorchWeights(copy, bytes);
    expectSameWeights(model, copy);
    expect(sameBytes(await exportPyTorchWeights(copy), bytes)).toBe(true);
  });

  it('round-trips the hash-init state dict byte for byte', async () => {
    const list = torchvisionStateDict('resnet50');
    const bytes = writeSafetensors(hashStateDictTensors('dev', list), { format: 'pt' });
    const model = resnet(50, { init: 'zeros' });
    await loadPyTorchWeights(model, bytes);
    expect(sameBytes(await exportPyTorchWeights(model), bytes)).toBe(true);
  });
});
