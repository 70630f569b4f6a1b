import { stat } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { optimizeForInference } from '../../inference/optimize.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { choiceOption, requiredOption, sizeOption, type Command } from '../command.js';
import { WEIGHTS_DTYPES, withWeightsDtype } from '../../weights/weights-dtype.js';
import { nodeFileSystem } from '../file-system.js';
import { writeLine } from '../io.js';
import { buildForWeights, inputShapeFor, modelEntry } from '../models.js';
import { formatBytes } from '../progress.js';
import { loadWeightsWithProgress } from '../weights.js';

/** `tfjs-resnet convert`. @internal */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert PyTorch weights into a TensorFlow.js LayersModel directory (model.json + weights.bin).',
  usage: '<model> --weights <file.pth|file.safetensors> --out <dir> [options]',
  details:
    'The directory opens with tf.loadLayersModel in Node (nodeFileSystem from tfjs-resnet/node, or file:// with\n' +
    'tfjs-node) and in browsers (served over http). --optimize folds BatchNorm into the convolutions first\n' +
    "(inference only) and keeps to tfjs's own layer classes, so plain @tensorflow/tfjs loads a ResNet or Wide\n" +
    'ResNet without tfjs-resnet; models with its custom layers (ResNeXt, SE, ResNet-D…) need it imported.\n' +
    "--weights-dtype float16 or uint8 stores the weights in the manifest's quantization format, which\n" +
    'tf.loadLayersModel expands back to float32 (accuracy cost: docs/guides/deployment-paths.md).',
  options: {
    weights: { type: 'string', value: '<file|url>', description: 'PyTorch weights: a torch.save checkpoint (.pth/.pt/.th) or .safetensors (required)' },
    out: { type: 'string', value: '<dir>', description: 'output directory, created if missing (required)' },
    optimize: { type: 'boolean', description: 'fold BatchNorm and fuse activations for inference (optimizeForInference)' },
    logits: { type: 'boolean', description: 'end with logits instead of softmax probabilities' },
    input: { type: 'string', value: '<HxW>', description: "fixed input height×width (default: the model's)" },
    'weights-dtype': {
      type: 'string',
      value: '<dtype>',
      description: `store weights as ${WEIGHTS_DTYPES.join(', ')} (default: float32); float16 halves, uint8 quarters weights.bin`,
    },
    backend: BACKEND_OPTION,
  },
  positionals: { min: 1, max: 1 },
  examples: [
    'convert resnet50 --weights resnet50.safetensors --out web/resnet50',
    'convert resnet20 --weights resnet20-12fca82f.th --out web/resnet20 --logits',
    'convert resnet18 --weights https://example.com/resnet18.safetensors --out out/r18 --optimize --logits',
    'convert resnet50 --weights resnet50.safetensors --out web/resnet50-f16 --optimize --weights-dtype float16',
  ],
  async run({ values, positionals, io }) {
    const name = positionals[0];
    const entry = modelEntry(name, 'convert');
    const weights = requiredOption(values, 'weights', 'convert');
    const out = requiredOption(values, 'out', 'convert');
    const hw = sizeOption(values, 'input', 'convert');
    const dtype = choiceOption(values, 'weights-dtype', WEIGHTS_DTYPES, 'float32', 'convert');
    await selectBackend(values, 'convert');
    let model: tf.LayersModel = buildForWeights(entry, inputShapeFor(entry, hw), values);
    try {
      await loadWeightsWithProgress(model, weights, io.stderr);
      if (values.optimize === true) {
        // A converted directory is meant to load anywhere: tfjs's own layers where there is a choice.
        const optimized = optimizeForInference(model, { builtinLayersOnly: true }); // always a new model
        model.dispose();
        model = optimized;
      }
      await model.save(withWeightsDtype(nodeFileSystem(out), dtype));
      const files = ['model.json', 'weights.bin'];
      const sizes = await Promise.all(files.map(async (f) => (await stat(path.join(out, f))).size));
      writeLine(io.stdout, `wrote ${files.map((f, i) => `${path.join(out, f)} (${formatBytes(sizes[i])})`).join(', ')}`);
      return 0;
    } finally {
      model.dispose();
    }
  },
};
