// akamaster's published CIFAR-10 ResNet-32/44 checkpoints (legacy .th files,
// weights under "state_dict" with "module." prefixes), read directly, on
// 2,000 real CIFAR-10 test images: PyTorch's logits on PIL's pixels
// (test/fixtures/realworld, see summary.json), and the same JPEGs decoded by
// the library's own loadImage.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from '../src/imagenet/load-image.js';
import { preprocessInput } from '../src/imagenet/preprocess-input.js';
import { createModel } from '../src/models/registry.js';
import { fixturePath } from './helpers/golden-numerics.js';
import { expectNoTensorLeaks } from './helpers/leaks.js';
import { CIFAR_NETS, cifarLabels, cifarPixels, torchLogits } from './helpers/cifar-realworld.js';
import { argmax, compareLogits } from './helpers/logits.js';

expectNoTensorLeaks();

const SUMMARY = JSON.parse(readFileSync(fixturePath('realworld/summary.json'), 'utf8')) as {
  images: number;
  files: string[];
  nets: Record<string, { torch_accuracy_on_jpegs: number }>;
};
const N = SUMMARY.images;
const SIDE = 32;
const PIXELS = cifarPixels();
const LABELS = cifarLabels();
const BATCH = 250;

/** Logits of `model` on count×32×32×3 uint8 pixels normalised as torchvision does (ImageNet mean/std on x/255). */
function logitsOf(model: tf.LayersModel, pixels: Uint8Array, count = N): Float32Array {
  const out = new Float32Array(count * 10);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const batch = pixels.subarray(start * SIDE * SIDE * 3, (start + n) * SIDE * SIDE * 3);
    const y = tf.tidy(() => model.predict(preprocessInput(tf.tensor4d(batch, [n, SIDE, SIDE, 3], 'int32'), { mode: 'torch' })) as tf.Tensor);
    out.set(y.dataSync(), start * 10);
    y.dispose();
  }
  return out;
}

async function loadNet(net: string): Promise<tf.LayersModel> {
  return createModel(net, { weights: fixturePath(`realworld/${net}.th`), classifierActivation: 'linear' });
}

describe("akamaster's CIFAR-10 checkpoints on 2,000 real images", () => {
  const NETS = CIFAR_NETS;
  const models = new Map<string, tf.LayersModel>();
  const pilLogits = new Map<string, Float32Array>();
  beforeAll(async () => {
    expect(PIXELS.length).toBe(N * SIDE * SIDE * 3);
    expect(LABELS.length).toBe(N);
    for (const net of NETS) {
      const model = await loadNet(net);
      models.set(net, model);
      pilLogits.set(net, logitsOf(model, PIXELS));
    }
  });
  afterAll(() => {
    for (const m of models.values()) m.dispose();
  });

  for (const net of NETS) {
    it(`${net}: PyTorch's top-1 on every image, logits within 1e-5 of the largest`, () => {
      const ref = torchLogits(net);
      expect(ref.length).toBe(N * 10);
      const { agree: sameTop1, correct, maxRelError } = compareLogits(pilLogits.get(net)!, ref, 10, LABELS);
      console.log(
        `${net}: top-1 equal to PyTorch's on ${sameTop1}/${N}; accuracy ${(correct / N).toFixed(4)} ` +
          `(PyTorch ${SUMMARY.nets[net].torch_accuracy_on_jpegs}); max |logit error| ${maxRelError.toExponential(2)} of the largest |logit|`,
      );
      expect(sameTop1).toBe(N);
      expect(maxRelError).toBeLessThanOrEqual(1e-5);
      expect(correct / N).toBeCloseTo(SUMMARY.nets[net].torch_accuracy_on_jpegs, 4);
    });
  }

  it("the JPEGs decoded by loadImage give PIL's top-1 on at least 99.5 % of the images", async () => {
    const IMAGE = SIDE * SIDE * 3;
    // Images whose decoded pixels differ from PIL's, and those pixels; an identical image gives identical logits.
    const differing: number[] = [];
    const decoded: Uint8Array[] = [];
    let maxPixelDiff = 0;
    let differingPixels = 0;
    for (let i = 0; i < N; i++) {
      const image = await loadImage(fixturePath(`realworld/${SUMMARY.files[i]}`));
      expect([image.height, image.width]).toEqual([SIDE, SIDE]);
      let count = 0;
      for (let k = 0; k < IMAGE; k++) {
        const d = Math.abs(image.data[k] - PIXELS[i * IMAGE + k]);
        if (d > 0) count++;
        maxPixelDiff = Math.max(maxPixelDiff, d);
      }
      if (count > 0) {
        differing.push(i);
        decoded.push(image.data);
      }
      differingPixels += count;
    }
    console.log(
      `loadImage: ${differingPixels} of ${N * IMAGE} pixel values differ from PIL's (by at most ${maxPixelDiff}), ` + `in ${differing.length} of ${N} images`,
    );
    const pixels = new Uint8Array(differing.length * IMAGE);
    decoded.forEach((d, j) => pixels.set(d, j * IMAGE));
    for (const net of NETS) {
      const pil = pilLogits.get(net)!;
      const ours = logitsOf(models.get(net)!, pixels, differing.length);
      let same = N - differing.length;
      differing.forEach((i, j) => {
        if (argmax(pil, i * 10, 10) === argmax(ours, j * 10, 10)) same++;
      });
      console.log(`${net}: loadImage's pixels give PIL's top-1 on ${same}/${N} = ${((100 * same) / N).toFixed(2)} %`);
      expect(same / N).toBeGreaterThanOrEqual(0.995);
    }
  });
});
