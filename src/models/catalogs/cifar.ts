import { CIFAR_DEFAULTS, cifarResnet } from '../cifar.js';
import type { ModelCatalog, ModelDefinition } from './define.js';

/** The registry entry of a paper CIFAR net. */
const cifarModel = (depth: number, plain: boolean, trainableParams: number): ModelDefinition => ({
  source: 'paper',
  description: `${plain ? 'Plain' : 'ResNet'}-${depth} for CIFAR-10 (He et al. 2015, §4.2)${plain ? ': no shortcuts' : ', option-A shortcuts'}`,
  defaults: { inputShape: [...CIFAR_DEFAULTS.inputShape], classes: CIFAR_DEFAULTS.classes },
  build: (options) => cifarResnet(depth, { ...options, plain }),
  reference: { trainableParams },
});

/**
 * The CIFAR-10 nets of He et al. (2015), §4.2: `resnet20` … `resnet110` and
 * the plain counterparts `plain20` … `plain110`, with their trainable
 * parameters, derived from the architecture (they match the paper's 0.27M …
 * 1.7M).
 * @internal
 */
export const CIFAR_MODELS = {
  resnet20: cifarModel(20, false, 269_722),
  resnet32: cifarModel(32, false, 464_154),
  resnet44: cifarModel(44, false, 658_586),
  resnet56: cifarModel(56, false, 853_018),
  resnet110: cifarModel(110, false, 1_727_962),
  plain20: cifarModel(20, true, 269_722),
  plain32: cifarModel(32, true, 464_154),
  plain44: cifarModel(44, true, 658_586),
  plain56: cifarModel(56, true, 853_018),
  plain110: cifarModel(110, true, 1_727_962),
} as const satisfies ModelCatalog;
