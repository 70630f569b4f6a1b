// Opt-in, for machines with internet: TFJS_RESNET_NETWORK_TESTS=1 npx vitest run test/pretrained-network.test.ts
// Downloads torchvision's resnet18 weights (resnet18.tv_in1k: the .pth from
// download.pytorch.org, verified against the sha256 prefix in its name) into
// a temporary cache and classifies PyTorch Hub's dog photo, as torchvision's
// documentation does (Samoyed). Skipped by default: no other test reaches the internet.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePredictions } from '../src/imagenet/decode-predictions.js';
import { loadImage } from '../src/imagenet/load-image.js';
import { createTransform } from '../src/imagenet/transform.js';
import { createModel } from '../src/models/registry.js';
import { resolveDataConfig } from '../src/pretrained/data-config.js';
import { pretrainedInfo } from '../src/pretrained/info.js';
import { skipAllUnless } from './helpers/skip.js';

const ENABLED = process.env.TFJS_RESNET_NETWORK_TESTS === '1';
const DOG = 'https://github.com/pytorch/hub/raw/master/images/dog.jpg';

describe('published weights from the internet (TFJS_RESNET_NETWORK_TESTS=1)', () => {
  skipAllUnless(ENABLED ? undefined : 'reaches the internet; opt in with TFJS_RESNET_NETWORK_TESTS=1');
  it('resnet18.tv_in1k classifies a real photo: Samoyed', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-resnet-network-'));
    try {
      const model = await createModel('resnet18.tv_in1k', { pretrained: true, cacheDir });
      expect(pretrainedInfo(model)?.downloaded).toBe(true);
      const transform = createTransform(resolveDataConfig(model));
      const image = await loadImage(DOG);
      const probs = tf.tidy(() => model.predict(tf.expandDims(transform(image), 0)) as tf.Tensor);
      const [top] = decodePredictions(probs, { top: 1 })[0];
      console.log(`resnet18.tv_in1k on ${DOG}: ${top.label} (${top.index}) ${top.probability.toFixed(4)}`);
      expect(top.index).toBe(258); // Samoyed
      probs.dispose();
      model.dispose();
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }, 600_000);
});
