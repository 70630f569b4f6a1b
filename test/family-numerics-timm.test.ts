// Exactness against timm: resnet50d, seresnet50 and resnet18d (odd feature
// sizes in its last stages: the average-pool shortcut's partial windows)
// filled with the reference hash init (salt "dev"); golden values in float64.
import { describe, it } from 'vitest';
import { fixture, TIMM_STATE } from './helpers/family-arch.js';
import { expectGolden, timmStage, type Golden } from './helpers/golden.js';

const golden = fixture('timm-golden-dev.json') as Record<string, Golden>;

describe('numerics against timm (hash init, salt "dev")', () => {
  for (const key of ['resnet50d-1x128x128', 'seresnet50-1x96x112', 'resnet18d-2x64x80']) {
    it(`${key}: timm's state dict through loadPyTorchWeights (strict); logits within 1e-4·max|ref|, stage probes within 1e-4·absmax`, async () => {
      await expectGolden(golden[key], timmStage, TIMM_STATE[golden[key].model]);
    });
  }
});
