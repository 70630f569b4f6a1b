import * as tf from '@tensorflow/tfjs';
import { optimizeForInference } from '../../inference/optimize.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { integerOption, sizeOption, type Command } from '../command.js';
import { writeLine } from '../io.js';
import { buildModel, inputShapeFor, modelEntry } from '../models.js';

/** What `bench --json` prints. @internal */
export interface BenchReport {
  readonly model: string;
  readonly backend: string;
  readonly input: readonly number[];
  readonly optimized: boolean;
  readonly runs: number;
  /** Milliseconds per forward pass: median, mean, min, max. */
  readonly ms: { readonly median: number; readonly mean: number; readonly min: number; readonly max: number };
  readonly imagesPerSecond: number;
}

/** Times `runs` forward passes of `model` on `x` after `warmup` untimed ones. */
async function timeForward(model: tf.LayersModel, x: tf.Tensor, warmup: number, runs: number): Promise<number[]> {
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return times;
}

/** `tfjs-resnet bench`. @internal */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'Time forward passes of a model on the fastest (or a chosen) backend.',
  usage: '<model> [options]',
  details: 'Weights are zeros (timing does not depend on them); the first passes are warm-up and not timed.',
  options: {
    input: { type: 'string', value: '<HxW>', description: "input height×width (default: the model's)" },
    batch: { type: 'string', value: '<n>', description: 'images per pass (default: 1)' },
    runs: { type: 'string', value: '<n>', description: 'timed passes (default: 10)' },
    warmup: { type: 'string', value: '<n>', description: 'untimed passes first (default: 2)' },
    optimize: { type: 'boolean', description: 'time the optimizeForInference model' },
    json: { type: 'boolean', description: 'print the timings as JSON' },
    backend: BACKEND_OPTION,
  },
  positionals: { min: 1, max: 1 },
  examples: ['bench resnet50', 'bench resnet18 --batch 8 --input 160x160 --optimize --json'],
  async run({ values, positionals, io }) {
    const name = positionals[0];
    const entry = modelEntry(name, 'bench');
    const hw = sizeOption(values, 'input', 'bench');
    const batch = integerOption(values, 'batch', 1, 'bench');
    const runs = integerOption(values, 'runs', 10, 'bench');
    const warmup = integerOption(values, 'warmup', 2, 'bench', 0);
    const backend = await selectBackend(values, 'bench');
    const [h, w, c] = inputShapeFor(entry, hw);
    const shape: [number, number, number] = [h ?? 224, w ?? 224, c]; // a fully convolutional model is timed at 224×224
    let model = buildModel(entry, { init: 'zeros', inputShape: shape });
    const x = tf.randomUniform([batch, ...shape], -1, 1, 'float32', 0);
    try {
      if (values.optimize === true) {
        const optimized = optimizeForInference(model);
        model.dispose();
        model = optimized;
      }
      const times = await timeForward(model, x, warmup, runs);
      const sorted = [...times].sort((a, b) => a - b);
      const median = sorted.length % 2 === 1 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      const report: BenchReport = {
        model: name,
        backend,
        input: [batch, ...shape],
        optimized: values.optimize === true,
        runs,
        ms: { median, mean: times.reduce((a, b) => a + b, 0) / times.length, min: sorted[0], max: sorted[sorted.length - 1] },
        imagesPerSecond: (1000 * batch) / median,
      };
      if (values.json === true) writeLine(io.stdout, JSON.stringify(report, null, 2));
      else {
        writeLine(
          io.stdout,
          `${name}${report.optimized ? ' (optimized)' : ''} on ${backend}, input ${report.input.join('×')}: ` +
            `median ${median.toFixed(1)} ms (min ${report.ms.min.toFixed(1)}, max ${report.ms.max.toFixed(1)}, ${runs} runs), ` +
            `${report.imagesPerSecond.toFixed(1)} images/s`,
        );
      }
      return 0;
    } finally {
      x.dispose();
      model.dispose();
    }
  },
};
