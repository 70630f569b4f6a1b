import * as tf from '@tensorflow/tfjs';
import { access } from 'node:fs/promises';
import { classifySource } from '../../io/source.js';
import { ConfigError } from '../../errors.js';
import { decodePredictions, topScores } from '../../imagenet/decode-predictions.js';
import { IMAGENET_CLASSES } from '../../imagenet/classes.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { integerOption, PROGRAM, requiredOption, type Command } from '../command.js';
import { IMAGE_INPUT_OPTIONS, imageInput, imageInputOptions } from '../images.js';
import { writeLine } from '../io.js';
import { buildModel, modelEntry } from '../models.js';
import { loadWeightsWithProgress } from '../weights.js';

/** One image's predictions, as `predict --json` prints them. @internal */
export interface ImagePredictions {
  readonly image: string;
  readonly predictions: ReadonlyArray<{ index: number; label: string; probability: number }>;
}

/** Fails early, before any weights are read, for image files that do not exist (paths and file: URLs; others are fetched later). */
async function checkImages(images: readonly string[]): Promise<void> {
  for (const image of images) {
    const source = classifySource(image, true);
    if (source.kind !== 'file') continue;
    try {
      await access(source.file);
    } catch {
      throw new ConfigError(`${PROGRAM} predict: image file "${image}" does not exist; give JPEG or PNG file paths or http(s) URLs`);
    }
  }
}

/** The top `k` classes of each row of `probs`; ImageNet labels for 1000 classes, `class <i>` otherwise. */
function topClasses(probs: tf.Tensor2D, k: number): Array<ImagePredictions['predictions']> {
  const classes = probs.shape[1];
  if (classes === IMAGENET_CLASSES.length) return decodePredictions(probs, { top: k });
  return (probs.arraySync() as number[][]).map((row) => topScores(row, k, (index) => `class ${index}`));
}

/** `tfjs-resnet predict`. @internal */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'Classify images with a model and PyTorch (torchvision/timm) weights.',
  usage: '<model> <image...> --weights <file|url> [options]',
  details:
    "Each image is decoded (JPEG or PNG), resized on its shorter side and center-cropped as torchvision's eval\n" +
    'transform does, normalized (torch mode: ÷255, ImageNet mean/std), run through the model and a softmax.',
  options: {
    weights: { type: 'string', value: '<file|url>', description: 'PyTorch weights: a torch.save checkpoint (.pth/.pt/.th) or .safetensors (required)' },
    top: { type: 'string', value: '<k>', description: 'classes to print per image (default: 5)' },
    ...IMAGE_INPUT_OPTIONS,
    json: { type: 'boolean', description: 'print the predictions as JSON' },
    backend: BACKEND_OPTION,
  },
  positionals: { min: 2, max: Infinity },
  examples: [
    'predict resnet50 cat.jpg --weights resnet50.safetensors',
    'predict resnet18 a.png b.jpg --weights https://example.com/resnet18.safetensors --top 3 --json',
  ],
  async run({ values, positionals, io }) {
    const [name, ...images] = positionals;
    const entry = modelEntry(name, 'predict');
    const weights = requiredOption(values, 'weights', 'predict');
    const top = integerOption(values, 'top', 5, 'predict');
    const input = imageInputOptions(values, entry, 'predict');
    await checkImages(images);
    await selectBackend(values, 'predict');

    const model = buildModel(entry, { init: 'zeros', classifierActivation: 'linear', inputShape: [input.crop, input.crop, 3] });
    try {
      await loadWeightsWithProgress(model, weights, io.stderr);
      const results: ImagePredictions[] = [];
      for (const image of images) {
        const x = await imageInput(image, input);
        const probs = tf.tidy(() => tf.softmax(model.predict(x) as tf.Tensor2D) as tf.Tensor2D);
        x.dispose();
        try {
          results.push({ image, predictions: topClasses(probs, top)[0] });
        } finally {
          probs.dispose();
        }
      }
      if (values.json === true) writeLine(io.stdout, JSON.stringify(results, null, 2));
      else {
        for (const r of results) {
          writeLine(io.stdout, r.image);
          r.predictions.forEach((p, i) => writeLine(io.stdout, `  ${String(i + 1).padStart(2)}. ${p.probability.toFixed(4)}  ${p.label} (${p.index})`));
        }
      }
      return 0;
    } finally {
      model.dispose();
    }
  },
};
