import type * as tf from '@tensorflow/tfjs';
import { cifarBlocks, cifarResnet } from '../models/cifar.js';
import { checkInteger } from '../validate.js';
import { ConfigError } from '../errors.js';
import { stageGradientNorms, type GradientNormsOptions, type StageGradientNorm } from './gradient-norms.js';

/**
 * The two kinds of network the degradation experiment compares: `plain`
 * (the same layers without shortcuts) and `resnet`.
 *
 * @example
 * ```ts
 * const kinds: NetworkKind[] = ['plain', 'resnet'];
 * ```
 */
export type NetworkKind = 'plain' | 'resnet';

/**
 * Options of {@link degradationExperiment}.
 *
 * @example
 * ```ts
 * const options: DegradationOptions = { depths: [20, 56], batchSize: 16, onResult: (r) => console.log(r.model) };
 * ```
 */
export interface DegradationOptions extends GradientNormsOptions {
  /**
   * Depths of the CIFAR nets (6n + 2).
   * @defaultValue `[20, 56, 110]`
   */
  depths?: readonly number[];
  /**
   * Builds a network by name (`plain20`, `resnet20`, …); it must end with a
   * linear classifier.
   * @defaultValue `cifarResnet(depth, { plain, classifierActivation: 'linear' })`: any depth 6n + 2
   */
  build?: (name: string) => tf.LayersModel;
  /** Called after each network, e.g. to print progress. */
  onResult?: (result: DegradationResult) => void;
}

/**
 * What {@link degradationExperiment} measured for one network.
 *
 * @example
 * ```ts
 * const r: DegradationResult = results[0];
 * console.log(r.model, r.norms.map((n) => n.norm));
 * ```
 */
export interface DegradationResult {
  /** The network's name: `plain56`, `resnet56`. */
  readonly model: string;
  /** Whether it is the plain net or its residual twin. */
  readonly kind: NetworkKind;
  /** Its depth (layers with weights): 20, 56, 110, … */
  readonly depth: number;
  /** The loss of the batch. */
  readonly loss: number;
  /** The gradient norm at the first convolution of each stage. */
  readonly norms: readonly StageGradientNorm[];
  /** Milliseconds the forward and backward pass took (building excluded). */
  readonly ms: number;
}

/**
 * Default depths of the degradation experiment, the range of the paper's Fig. 6.
 *
 * @example
 * ```ts
 * await degradationExperiment({ depths: [...DEGRADATION_DEPTHS, 164] });
 * ```
 */
export const DEGRADATION_DEPTHS: readonly number[] = [20, 56, 110];

const KINDS: readonly NetworkKind[] = ['plain', 'resnet'];

/**
 * The degradation experiment of He et al. (2015), as gradients: for each
 * depth, the plain CIFAR net and its residual twin (the same layers plus
 * identity shortcuts) get one forward/backward pass on the same fixed batch
 * ({@link stageGradientNorms}), and the gradient norm at the first
 * convolution of each stage is recorded. Deep plain nets pass the gradient
 * back poorly; the shortcuts carry it to the early stages.
 *
 * @param options - depths, batch, seed, builder; see {@link DegradationOptions}.
 * @returns one result per network: plain and resnet for each depth, in that order.
 * @throws {@link ConfigError} for a depth that is not a positive integer, a depth that is not 6n + 2 with the
 *   default builder (before any network runs), or a name a custom builder does not know.
 *
 * @example
 * ```ts
 * const results = await degradationExperiment({ depths: [20, 56, 110] });
 * console.log(degradationTable(results));
 * writeFileSync('degradation.svg', degradationSvg(results));
 * ```
 */
export async function degradationExperiment(options: DegradationOptions = {}): Promise<DegradationResult[]> {
  const { depths = DEGRADATION_DEPTHS, build, onResult, ...gradientOptions } = options;
  if (!Array.isArray(depths) || depths.length === 0) {
    throw new ConfigError(`degradationExperiment: depths must be a non-empty array of CIFAR depths (6n + 2: 20, 32, 44, 56, 110), got ${String(depths)}`);
  }
  depths.forEach((d, i) => checkInteger(d, 'degradationExperiment', `depths[${i}]`));
  // The default builder takes every CIFAR depth: check them all before the first network runs.
  if (build === undefined) depths.forEach((d) => cifarBlocks(d, 'degradationExperiment'));
  const results: DegradationResult[] = [];
  for (const depth of depths) {
    for (const kind of KINDS) {
      const name = `${kind}${depth}`;
      const model = build?.(name) ?? cifarResnet(depth, { plain: kind === 'plain', classifierActivation: 'linear' });
      try {
        const t0 = performance.now();
        const { norms, loss } = await stageGradientNorms(model, gradientOptions);
        const result = { model: name, kind, depth, loss, norms, ms: performance.now() - t0 };
        results.push(result);
        onResult?.(result);
      } finally {
        model.dispose();
      }
    }
  }
  return results;
}

const sci = (x: number): string => x.toExponential(2);

/**
 * The results as a markdown table: one row per network, the gradient norm
 * at each stage's first convolution, and the ratio of the first stage's to
 * the last stage's.
 *
 * @example
 * ```ts
 * console.log(degradationTable(await degradationExperiment()));
 * // | network | layer1.0.conv1 | layer2.0.conv1 | layer3.0.conv1 | layer1 / layer3 | loss |
 * ```
 */
export function degradationTable(results: readonly DegradationResult[]): string {
  if (results.length === 0) return '';
  const layers = results[0].norms.map((n) => n.layer);
  const header = `| network | ${layers.join(' | ')} | ${results[0].norms[0].stage} / ${results[0].norms[layers.length - 1].stage} | loss |`;
  const rule = `|---|${layers.map(() => '---:').join('|')}|---:|---:|`;
  const rows = results.map((r) => {
    const first = r.norms[0].norm;
    const last = r.norms[r.norms.length - 1].norm;
    return `| ${r.model} | ${r.norms.map((n) => sci(n.norm)).join(' | ')} | ${Number((first / last).toPrecision(3)).toLocaleString('en-US')} | ${r.loss.toFixed(3)} |`;
  });
  return [header, rule, ...rows].join('\n');
}
