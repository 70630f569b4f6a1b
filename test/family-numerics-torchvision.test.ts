// Exactness against torchvision: resnext50_32x4d and wide_resnet50_2 filled
// with the reference hash init (salt "dev"), on the reference inputs.
import { describe, it } from 'vitest';
import { fixture } from './helpers/family-arch.js';
import { expectGolden, torchvisionStage, type Golden } from './helpers/golden.js';

describe('numerics against torchvision (hash init, salt "dev")', () => {
  for (const f of ['resnext50_32x4d-dev-1x112x112.json', 'wide_resnet50_2-dev-1x96x128.json']) {
    const golden = fixture(f) as Golden;
    const [n, , h, w] = golden.input_shape_nchw;
    it(`${golden.model} ${n}×3×${h}×${w}: logits within 1e-4·max|ref|, stage probes within 1e-4·absmax`, async () => {
      await expectGolden(golden, torchvisionStage);
    });
  }
});
