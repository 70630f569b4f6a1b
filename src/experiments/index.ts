/**
 * The degradation experiment (He et al. 2015): gradient norms at each
 * stage of deep plain and residual nets, as a table and a plot.
 *
 * @example
 * ```ts
 * import { degradationExperiment, degradationTable } from 'tfjs-resnet';
 * console.log(degradationTable(await degradationExperiment({ depths: [20, 56] })));
 * ```
 * @module
 */
export { stageGradientNorms, DEFAULT_GRADIENT_NORMS_OPTIONS, type GradientNormsOptions, type StageGradientNorm } from './gradient-norms.js';
export {
  degradationExperiment,
  degradationTable,
  DEGRADATION_DEPTHS,
  type DegradationOptions,
  type DegradationResult,
  type NetworkKind,
} from './degradation.js';
export { degradationSvg, type DegradationSvgOptions } from './degradation-svg.js';
