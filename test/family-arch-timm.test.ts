// timm's ResNet variants: parameter counts (trainable and buffers), state-dict
// keys and shapes, feature_info — for every timm entry of the registry.
import { describe, expect, it } from 'vitest';
import { listModels } from '../src/models/registry.js';
import { expectCounts, expectFeatures, expectStateDict, TIMM_ARCH, TIMM_STATE, withModel } from './helpers/family-arch.js';

const TIMM_NAMES = [
  'resnet10t',
  'resnet18d',
  'resnet26',
  'resnet26d',
  'resnet50d',
  'resnet101d',
  'seresnet18',
  'seresnet34',
  'seresnet50',
  'seresnet101',
  'seresnext50_32x4d',
];

describe('timm family', () => {
  it('registers the timm ResNet variants', () => {
    for (const name of TIMM_NAMES) expect(listModels({ source: 'timm' })).toContain(name);
  });

  for (const name of TIMM_NAMES) {
    it(`${name}: parameters and buffers, state-dict keys and shapes, feature_info`, () => {
      withModel(name, (model) => {
        const arch = TIMM_ARCH[name];
        expectCounts(model, name, arch.trainable_params, arch.buffers);
        expectStateDict(model, TIMM_STATE[name]);
        expectFeatures(model, arch.feature_info);
      });
    });
  }

  it("the torchvision names are timm's too: same counts and feature_info in timm-arch.json", () => {
    for (const name of ['resnet18', 'resnet34', 'resnet50', 'resnext50_32x4d']) {
      withModel(name, (model) => {
        expectCounts(model, name, TIMM_ARCH[name].trainable_params, TIMM_ARCH[name].buffers);
        expectFeatures(model, TIMM_ARCH[name].feature_info);
      });
    }
  });
});
