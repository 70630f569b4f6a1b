import { resnet101v2, resnet152v2, resnet50v2, resnetV2Bottlenecks, resnetV2Preset } from '../resnetv2.js';
import type { ModelCatalog } from './define.js';

/**
 * The pre-activation models of the registry: timm's BatchNorm ResNetV2s
 * (`timm.models.resnetv2`, layer names its module paths, figures from timm
 * 1.0) and Keras Applications' ResNetV2s.
 * @internal
 */
export const RESNETV2_MODELS = {
  resnetv2_50: {
    source: 'timm',
    description: 'Pre-activation ResNet-50 (BatchNorm), timm layout',
    build: (options) => resnetV2Preset('torchvision', resnetV2Bottlenecks(50), 'resnetv2_50', options),
    reference: { trainableParams: 25_549_352, buffers: 45_440 },
  },
  resnetv2_101: {
    source: 'timm',
    description: 'Pre-activation ResNet-101 (BatchNorm), timm layout',
    build: (options) => resnetV2Preset('torchvision', resnetV2Bottlenecks(101), 'resnetv2_101', options),
    reference: { trainableParams: 44_541_480, buffers: 97_664 },
  },
  resnetv2_50d: {
    source: 'timm',
    description: 'Pre-activation ResNet-50-D: deep stem, average-pool shortcuts, timm layout',
    build: (options) => resnetV2Preset('torchvision', { ...resnetV2Bottlenecks(50), stemType: 'deep', shortcut: 'avgPool' }, 'resnetv2_50d', options),
    reference: { trainableParams: 25_568_584, buffers: 45_568 },
  },
  resnet50v2: {
    source: 'keras',
    description: 'keras.applications ResNet50V2',
    build: (options) => resnet50v2(options),
    reference: { totalParams: 25_613_800 },
  },
  resnet101v2: {
    source: 'keras',
    description: 'keras.applications ResNet101V2',
    build: (options) => resnet101v2(options),
    reference: { totalParams: 44_675_560 },
  },
  resnet152v2: {
    source: 'keras',
    description: 'keras.applications ResNet152V2',
    build: (options) => resnet152v2(options),
    reference: { totalParams: 60_380_648 },
  },
} as const satisfies ModelCatalog;
