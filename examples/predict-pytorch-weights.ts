/**
 * Predicting with PyTorch weights: a torchvision/timm state dict in
 * safetensors format loads by name into a tfjs-resnet model
 * (`loadPyTorchWeights`), then an image goes through torchvision's eval
 * transform, `preprocessInput` (torch mode), the model and
 * `decodePredictions`.
 *
 * No download here: the weights file is written first from a randomly
 * initialised ResNet-18 with `exportPyTorchWeights` (the same format
 * `safetensors.torch.save_file(torchvision.models.resnet18(weights=...).state_dict(), ...)`
 * writes), and the image is generated. With real weights and a real photo,
 * the same code gives torchvision's predictions.
 *
 *   npx tsx examples/predict-pytorch-weights.ts [--smoke]
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import {
  createModel,
  decodePredictions,
  exportPyTorchWeights,
  imagenetEvalTransform,
  loadImage,
  loadPyTorchWeights,
  preprocessInput,
  useBestBackend,
} from 'tfjs-resnet/node';

const smoke = process.argv.includes('--smoke');
await useBestBackend();
const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-example-'));
try {
  // 1. A state dict file, as PyTorch would write it (random weights stand in for the real ones).
  const original = createModel('resnet18', { classifierActivation: 'linear' });
  const file = path.join(dir, 'resnet18.safetensors');
  writeFileSync(file, await exportPyTorchWeights(original));
  console.log(`wrote ${file}`);

  // 2. Load it by name into a fresh model ('zeros' skips the random initialisation).
  const model = createModel('resnet18', { classifierActivation: 'linear', init: 'zeros' });
  const report = await loadPyTorchWeights(model, file);
  console.log(
    `loaded ${report.loaded.length} tensors (${(report.bytes / 2 ** 20).toFixed(1)} MB) in ${report.ms.toFixed(0)} ms; ignored: ${report.ignored.length} num_batches_tracked`,
  );
  const same = original.weights.every((w, i) => {
    const [a, b] = [w.read().dataSync(), model.weights[i].read().dataSync()];
    return a.every((v, j) => v === b[j]);
  });
  console.log(`every weight equal to the original, bit for bit: ${same ? 'yes ✓' : 'NO ✗'}`);

  // 3. An image file (a generated PNG here), torchvision's eval transform, and the prediction.
  const png = new PNG({ width: smoke ? 240 : 400, height: smoke ? 224 : 300 });
  for (let i = 0; i < png.width * png.height; i++) {
    const [x, y] = [i % png.width, Math.floor(i / png.width)];
    png.data.set([(x * 255) / png.width, (y * 255) / png.height, ((x ^ y) & 32) * 6, 255], 4 * i);
  }
  const imageFile = path.join(dir, 'image.png');
  writeFileSync(imageFile, PNG.sync.write(png));
  const image = await loadImage(imageFile);
  const probs = tf.tidy(() => {
    const x = preprocessInput(tf.expandDims(imagenetEvalTransform(image), 0), { mode: 'torch' }); // resize 256, crop 224
    return tf.softmax(model.predict(x) as tf.Tensor);
  });
  console.log(`${path.basename(imageFile)} (${image.width}×${image.height}):`);
  for (const p of decodePredictions(probs, { top: 5 })[0]) console.log(`  ${p.probability.toFixed(4)}  ${p.label}`);
  probs.dispose();
  original.dispose();
  model.dispose();
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
