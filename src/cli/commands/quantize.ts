import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { exportOnnx } from '../../onnx/export.js';
import { CALIBRATION_METHODS, DEFAULT_QUANTIZE_OPTIONS, type CalibrationMethod } from '../../onnx/quantize.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { choiceOption, integerOption, requiredOption, stringOption, type Command } from '../command.js';
import { IMAGE_INPUT_OPTIONS, imageFiles, imageInput, imageInputOptions } from '../images.js';
import { writeLine } from '../io.js';
import { buildForWeights, modelEntry } from '../models.js';
import { formatBytes } from '../progress.js';
import { loadWeightsWithProgress } from '../weights.js';

/** `tfjs-resnet quantize`. @internal */
export const quantizeCommand: Command = {
  name: 'quantize',
  summary: 'Write an int8-quantized ONNX model (static QDQ), calibrated on a folder of images.',
  usage: '<model> --weights <file|url> --calibration <folder> [--out file.onnx] [options]',
  details:
    'Every JPEG and PNG in the folder (and its subfolders; at most --max-images, default 100) is prepared as\n' +
    '`predict` prepares images and run through the fp32 model in onnxruntime-node to calibrate the activation\n' +
    'ranges. Use images like the ones the model will see, not the ones you evaluate it on. The file runs in\n' +
    'onnxruntime (runOnnx, or any ONNX runtime) with int8 kernels; see docs/guides/deployment-paths.md for the\n' +
    'measured speed and accuracy. CIFAR models: --resize 32 (their images are not resized).',
  options: {
    weights: { type: 'string', value: '<file|url>', description: 'PyTorch weights (.safetensors, .pth/.th) (required)' },
    calibration: { type: 'string', value: '<folder>', description: 'folder of calibration images (required)' },
    out: { type: 'string', value: '<file>', description: 'output file (default: <model>-int8.onnx)' },
    'max-images': { type: 'string', value: '<n>', description: 'calibration images to use, the first n in name order (default: 100)' },
    method: { type: 'string', value: '<method>', description: `calibration: ${CALIBRATION_METHODS.join(', ')} (default: ${DEFAULT_QUANTIZE_OPTIONS.method})` },
    'reduce-range': { type: 'boolean', description: '7-bit weights: no int16 saturation on x86 CPUs without VNNI in any runtime' },
    logits: { type: 'boolean', description: 'end with logits instead of softmax probabilities' },
    ...IMAGE_INPUT_OPTIONS,
    backend: BACKEND_OPTION,
  },
  positionals: { min: 1, max: 1 },
  examples: [
    'quantize resnet50 --weights resnet50.safetensors --calibration calib/ --out resnet50-int8.onnx',
    'quantize resnet32 --weights resnet32.th --calibration cifar-calib/ --resize 32 --logits',
  ],
  async run({ values, positionals, io }) {
    const name = positionals[0];
    const entry = modelEntry(name, 'quantize');
    const weights = requiredOption(values, 'weights', 'quantize');
    const folder = requiredOption(values, 'calibration', 'quantize');
    const out = stringOption(values, 'out') ?? `${name}-int8.onnx`;
    const maxImages = integerOption(values, 'max-images', 100, 'quantize');
    const method = choiceOption<CalibrationMethod>(values, 'method', CALIBRATION_METHODS, DEFAULT_QUANTIZE_OPTIONS.method, 'quantize');
    const input = imageInputOptions(values, entry, 'quantize');
    const files = (await imageFiles(folder, 'quantize')).slice(0, maxImages);
    await selectBackend(values, 'quantize');

    const model = buildForWeights(entry, [input.crop, input.crop, 3], values);
    const images: tf.Tensor4D[] = [];
    let calibration: tf.Tensor | undefined;
    try {
      await loadWeightsWithProgress(model, weights, io.stderr);
      for (const file of files) images.push(await imageInput(file, input));
      calibration = tf.concat(images, 0);
      const bytes = await exportOnnx(model, { quantize: 'int8', calibration, method, reduceRange: values['reduce-range'] === true });
      await writeFile(out, bytes);
      writeLine(
        io.stdout,
        `wrote ${out} (${formatBytes(bytes.length)}), int8, calibrated on ${files.length} image${files.length === 1 ? '' : 's'} (${method})`,
      );
      return 0;
    } finally {
      tf.dispose([...images, ...(calibration ? [calibration] : [])]);
      model.dispose();
    }
  },
};
