import * as tf from '@tensorflow/tfjs';
import { access } from 'node:fs/promises';
import { classifySource } from '../../io/source.js';
import { ConfigError } from '../../errors.js';
import { decodePredictions, topScores } from '../../imagenet/decode-predictions.js';
import { loadImage } from '../../imagenet/load-image.js';
import { PREPROCESS_MODES } from '../../imagenet/preprocess-input.js';
import { IMAGENET_CLASSES } from '../../imagenet/classes.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { integerOption, PROGRAM, stringOption, type Command, type OptionValues } from '../command.js';
import { writeLine, type CliIo } from '../io.js';
import { imageInputOptions, imageTransform } from '../images.js';
import { buildModel, modelEntry } from '../models.js';
import { loadWeightsWithProgress } from '../weights.js';
import { createModel } from '../../models/registry.js';
import { findPretrained } from '../../pretrained/catalog.js';
import { resolveDataConfig } from '../../pretrained/data-config.js';
import { labelNames } from '../../pretrained/labels.js';
import { createTransform, type ImageTransform } from '../../imagenet/transform.js';
import { FETCH_OPTIONS, fetchOptions } from './download.js';

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

/** The top `k` classes of each row of `probs`: `labels` when given, ImageNet labels for 1000 classes, `class <i>` otherwise. */
function topClasses(probs: tf.Tensor2D, k: number, labels?: readonly string[]): Array<ImagePredictions['predictions']> {
  const classes = probs.shape[1];
  if (labels === undefined && classes === IMAGENET_CLASSES.length) return decodePredictions(probs, { top: k });
  return (probs.arraySync() as number[][]).map((row) => topScores(row, k, (index) => labels?.[index] ?? `class ${index}`));
}

/** A model to predict with, its input transform and class names. */
interface Predictor {
  model: tf.LayersModel;
  transform: ImageTransform;
  labels?: readonly string[];
}

/** `tfjs-resnet predict`. @internal */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'Classify images with published weights (a tag), or a model and your PyTorch weights.',
  usage: '<tag|model> <image...> [--weights <file|url>] [options]',
  details:
    'Without --weights the first argument is published weights (`pretrained` lists the tags; a model name means its\n' +
    'default): downloaded once into the cache, evaluated with their own preprocessing (resize, crop, mean/std) and labels.\n' +
    "With --weights, each image is resized on its shorter side and center-cropped as torchvision's eval transform does,\n" +
    'normalized (--preprocess, torch by default), run through the model and a softmax.',
  options: {
    weights: {
      type: 'string',
      value: '<file|url>',
      description: 'your PyTorch weights instead of published ones: a torch.save checkpoint (.pth/.pt/.th) or .safetensors',
    },
    top: { type: 'string', value: '<k>', description: 'classes to print per image (default: 5)' },
    preprocess: { type: 'string', value: '<mode>', description: `with --weights: input normalization: ${PREPROCESS_MODES.join(', ')} (default: torch)` },
    crop: { type: 'string', value: '<n>', description: "with --weights: center-crop side (default: the model's input size, 224)" },
    resize: { type: 'string', value: '<n>', description: 'with --weights: shorter side before cropping (default: crop·256/224, 256)' },
    json: { type: 'boolean', description: 'print the predictions as JSON' },
    backend: BACKEND_OPTION,
    ...FETCH_OPTIONS,
  },
  positionals: { min: 2, max: Infinity },
  examples: [
    'predict resnet50.tv2_in1k cat.jpg',
    'predict resnet32.akamaster_cifar10 frog.png --top 3',
    'predict resnet50 cat.jpg --weights resnet50.safetensors',
    'predict resnet18 a.png b.jpg --weights https://example.com/resnet18.safetensors --top 3 --json',
  ],
  async run({ values, positionals, io }) {
    const [name, ...images] = positionals;
    const top = integerOption(values, 'top', 5, 'predict');
    const weights = stringOption(values, 'weights');
    const predictor =
      weights === undefined ? await pretrainedPredictor(name, values, io, images) : await ownWeightsPredictor({ name, weights, values, io, images });
    const { model, transform, labels } = predictor;
    try {
      const results: ImagePredictions[] = [];
      for (const image of images) {
        const pixels = await loadImage(image);
        const probs = tf.tidy(() => tf.softmax(model.predict(tf.expandDims(transform(pixels), 0)) as tf.Tensor2D) as tf.Tensor2D);
        try {
          results.push({ image, predictions: topClasses(probs, top, labels)[0] });
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

/** Published weights by tag: the cache, the weights' own transform and labels. */
async function pretrainedPredictor(name: string, values: OptionValues, io: CliIo, images: readonly string[]): Promise<Predictor> {
  for (const flag of ['preprocess', 'crop', 'resize'] as const) {
    if (values[flag] !== undefined) {
      throw new ConfigError(`${PROGRAM} predict: --${flag} applies with --weights only; published weights bring their own preprocessing`);
    }
  }
  const entry = findPretrained(name, `${PROGRAM} predict`);
  await checkImages(images);
  await selectBackend(values, 'predict');
  const fetch = fetchOptions(values, io.stderr);
  const model = await createModel(entry.tag, { pretrained: true, classifierActivation: 'linear', ...fetch.options });
  fetch.done('verified');
  return { model, transform: createTransform(resolveDataConfig(model)), labels: labelNames(entry.labels) };
}

/** A registered model with the user's weights file and torchvision's eval transform. */
async function ownWeightsPredictor(args: { name: string; weights: string; values: OptionValues; io: CliIo; images: readonly string[] }): Promise<Predictor> {
  const { name, weights, values, io, images } = args;
  const entry = modelEntry(name, 'predict');
  const input = imageInputOptions(values, entry, 'predict');
  await checkImages(images);
  await selectBackend(values, 'predict');
  const model = buildModel(entry, { init: 'zeros', classifierActivation: 'linear', inputShape: [input.crop, input.crop, 3] });
  try {
    await loadWeightsWithProgress(model, weights, io.stderr);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {
    model,
    transform: imageTransform(input),
  };
}
