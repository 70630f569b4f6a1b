// torchvision's ResNet family: parameter counts, state-dict keys and shapes,
// stage shapes — for every torchvision entry of the registry.
import { describe, expect, it } from 'vitest';
import { getModel, listModels } from '../src/models/registry.js';
import { summarize } from '../src/models/summary.js';
import { counts, expectCounts, expectFeatures, expectStageShapes, expectStateDict, TIMM_ARCH, TV_ARCH, TV_STATE, withModel } from './helpers/family-arch.js';

describe('torchvision family', () => {
  it('registers torchvision ResNets, ResNeXts and Wide ResNets', () => {
    expect(listModels({ source: 'torchvision' })).toEqual([
      'resnet18',
      'resnet34',
      'resnet50',
      'resnet101',
      'resnet152',
      'resnext50_32x4d',
      'resnext101_32x8d',
      'resnext101_64x4d',
      'wide_resnet50_2',
      'wide_resnet101_2',
    ]);
  });

  for (const name of Object.keys(TV_STATE)) {
    it(`${name}: parameters, state-dict keys and shapes, stage shapes`, () => {
      withModel(name, (model) => {
        const arch = TV_ARCH[name];
        expectCounts(model, name, arch.trainable_params, arch.bn_running_stats);
        expectStateDict(model, TV_STATE[name]);
        expectStageShapes(model, arch.stage_shapes_nchw);
        // Multiply–adds at 224×224: ours, the registry's reference and torchvision's agree.
        expect(summarize(model).macs, `${name} multiply–adds`).toBe(arch.macs);
        expect(getModel(name).reference?.macs224, `${name} registry reference macs224`).toBe(arch.macs);
        if (TIMM_ARCH[name] !== undefined) expectFeatures(model, TIMM_ARCH[name].feature_info);
      });
    });
  }

  it("resnext101_64x4d: torchvision's documented 83,455,272 parameters", () => {
    withModel('resnext101_64x4d', (model) => {
      expect(counts(model).trainable).toBe(83_455_272);
      // 64 groups of width 4 per 64 filters: the 3×3 of layer1 is 256 wide, 4 channels per group.
      const conv = model.getLayer('layer1.0.conv2');
      expect(conv.getClassName()).toBe('GroupedConv2D');
      expect(conv.getWeights()[0].shape).toEqual([3, 3, 4, 256]);
    });
  });
});
