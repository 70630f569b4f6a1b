import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../errors.js';
import { degradationExperiment, degradationTable, DEGRADATION_DEPTHS } from '../../experiments/degradation.js';
import { degradationSvg } from '../../experiments/degradation-svg.js';
import { DEFAULT_GRADIENT_NORMS_OPTIONS } from '../../experiments/gradient-norms.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { integerOption, PROGRAM, stringOption, type Command } from '../command.js';
import { writeLine } from '../io.js';

/** `--depths 20,56,110` → `[20, 56, 110]`. */
function depthsOption(value: string | undefined): number[] {
  if (value === undefined) return [...DEGRADATION_DEPTHS];
  const depths = value.split(',').map((s) => Number(s.trim()));
  if (depths.length === 0 || depths.some((d) => !Number.isInteger(d) || d < 8 || (d - 2) % 6 !== 0)) {
    throw new ConfigError(`${PROGRAM} gradients: --depths must be comma-separated CIFAR depths 6n + 2 (20, 32, 44, 56, 110), got "${value}"`);
  }
  return depths;
}

/** `tfjs-resnet gradients`. @internal */
export const gradientsCommand: Command = {
  name: 'gradients',
  summary: 'The degradation experiment: gradient norms at each stage of plain and residual CIFAR nets.',
  usage: '[options]',
  details:
    'For each depth, plainN and resnetN (He et al. 2015, §4.2) get one forward/backward pass in training mode on\n' +
    'the same seeded batch (32×32 images, softmax cross-entropy); the L2 norm of the gradient at the first\n' +
    'convolution of each stage is printed as a markdown table (and plotted with --svg).',
  options: {
    depths: { type: 'string', value: '<list>', description: `comma-separated depths (default: ${DEGRADATION_DEPTHS.join(',')})` },
    batch: { type: 'string', value: '<n>', description: `images in the batch (default: ${DEFAULT_GRADIENT_NORMS_OPTIONS.batchSize})` },
    seed: { type: 'string', value: '<n>', description: `seed of the batch and the weights (default: ${DEFAULT_GRADIENT_NORMS_OPTIONS.seed})` },
    svg: { type: 'string', value: '<file>', description: 'also write the plot as an SVG file' },
    json: { type: 'boolean', description: 'print the results as JSON' },
    backend: BACKEND_OPTION,
  },
  positionals: { min: 0, max: 0 },
  examples: ['gradients', 'gradients --depths 20,56 --batch 16 --svg degradation.svg'],
  async run({ values, io }) {
    const depths = depthsOption(stringOption(values, 'depths'));
    const batchSize = integerOption(values, 'batch', DEFAULT_GRADIENT_NORMS_OPTIONS.batchSize, 'gradients');
    const seed = integerOption(values, 'seed', DEFAULT_GRADIENT_NORMS_OPTIONS.seed, 'gradients', 0);
    const svg = stringOption(values, 'svg');
    await selectBackend(values, 'gradients'); // on wasm, with the training kernels (useBestBackend)
    const results = await degradationExperiment({
      depths,
      batchSize,
      seed,
      onResult: (r) => writeLine(io.stderr, `${r.model}: ${r.norms.map((n) => n.norm.toExponential(2)).join(' ')} (${(r.ms / 1000).toFixed(1)} s)`),
    });
    if (svg !== undefined) {
      await mkdir(path.dirname(path.resolve(svg)), { recursive: true });
      await writeFile(svg, degradationSvg(results));
    }
    writeLine(io.stdout, values.json === true ? JSON.stringify(results, null, 2) : degradationTable(results));
    return 0;
  },
};
