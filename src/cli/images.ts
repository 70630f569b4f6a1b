import * as tf from '@tensorflow/tfjs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { imagenetEvalTransform } from '../imagenet/eval-transform.js';
import { loadImage } from '../imagenet/load-image.js';
import { PREPROCESS_MODES, preprocessInput, type PreprocessMode } from '../imagenet/preprocess-input.js';
import type { RegisteredModel } from '../models/registry.js';
import type { ImageTransform } from '../imagenet/transform.js';
import { choiceOption, integerOption, PROGRAM, type OptionSpec, type OptionValues } from './command.js';

/** How the CLI turns an image into a model input. @internal */
export interface ImageInputOptions {
  readonly mode: PreprocessMode;
  readonly crop: number;
  readonly resize: number;
}

/** The options of {@link imageInputOptions}, shared by the commands that read images. @internal */
export const IMAGE_INPUT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  preprocess: { type: 'string', value: '<mode>', description: `input normalization: ${PREPROCESS_MODES.join(', ')} (default: torch)` },
  crop: { type: 'string', value: '<n>', description: "center-crop side (default: the model's input size, 224)" },
  resize: { type: 'string', value: '<n>', description: 'shorter side before cropping (default: crop·256/224, 256)' },
};

/** `--preprocess`, `--crop` and `--resize`, checked. @internal */
export function imageInputOptions(values: OptionValues, entry: RegisteredModel, command: string): ImageInputOptions {
  const mode = choiceOption<PreprocessMode>(values, 'preprocess', PREPROCESS_MODES, 'torch', command);
  const crop = integerOption(values, 'crop', entry.defaults.inputShape?.[0] ?? 224, command);
  const resize = integerOption(values, 'resize', Math.floor((crop * 256) / 224), command);
  if (resize < crop) throw new ConfigError(`${PROGRAM} ${command}: --resize (${resize}) must be at least --crop (${crop})`);
  return { mode, crop, resize };
}

/**
 * The `--preprocess`/`--crop`/`--resize` transform of an image: resized on its
 * shorter side and center-cropped as torchvision's eval transform does, then
 * normalized.
 * @internal
 */
export function imageTransform(o: ImageInputOptions): ImageTransform {
  return (pixels) => tf.tidy(() => preprocessInput(imagenetEvalTransform(pixels, { resize: o.resize, crop: o.crop }), { mode: o.mode }) as tf.Tensor3D);
}

/** An image file or URL (JPEG or PNG) as a model input `[1, crop, crop, 3]` ({@link imageTransform}). @internal */
export async function imageInput(image: string, o: ImageInputOptions): Promise<tf.Tensor4D> {
  const pixels = await loadImage(image);
  return tf.tidy(() => tf.expandDims(imageTransform(o)(pixels), 0) as tf.Tensor4D);
}

const IMAGE_FILE = /\.(jpe?g|png)$/i;

/** The JPEG and PNG files in a folder and its subfolders, sorted. @internal */
export async function imageFiles(folder: string, command: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(folder, { recursive: true })) as string[];
  } catch {
    throw new ConfigError(`${PROGRAM} ${command}: "${folder}" is not a readable folder; give a folder of JPEG or PNG images`);
  }
  const files = entries
    .filter((f) => IMAGE_FILE.test(f))
    .sort()
    .map((f) => path.join(folder, f));
  if (files.length === 0) throw new ConfigError(`${PROGRAM} ${command}: no JPEG or PNG images in "${folder}"`);
  return files;
}
