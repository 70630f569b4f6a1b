import { RESNET_DEPTHS, type ResNetConfig } from '../resnet.js';
import { configModel, type ModelCatalog } from './define.js';

const [r18, r34, r50, r101] = [18, 34, 50, 101].map((d) => RESNET_DEPTHS[d as 18 | 34 | 50 | 101].layers);

/** timm's ResNet-D recipe: deep stem (timm stem_width 32) and average-pool shortcuts. */
const resnetD = (block: 'basic' | 'bottleneck', layers: number[]): ResNetConfig => ({
  block,
  layers,
  stemType: 'deep',
  blockArgs: { shortcut: 'avgPool' },
});

/** timm's SE-ResNets: `block_args=dict(attn_layer='se')`. */
const se = (block: 'basic' | 'bottleneck', layers: number[], extra: ResNetConfig['blockArgs'] = {}): ResNetConfig => ({
  block,
  layers,
  blockArgs: { attention: 'se', ...extra },
});

/**
 * timm's ResNet variants (`timm.models.resnet`), as registered there; layer
 * names are timm's module paths. Reference figures from timm 1.0.
 * @internal
 */
export const TIMM_MODELS = {
  resnet10t: configModel(
    'timm',
    'ResNet-10-T: basic blocks [1, 1, 1, 1], tiered deep stem (24, 32, 64), average-pool shortcuts',
    { block: 'basic', layers: [1, 1, 1, 1], stemType: 'deep_tiered', blockArgs: { shortcut: 'avgPool' } },
    { trainableParams: 5_435_488, buffers: 5_872 },
  ),
  resnet18d: configModel('timm', 'ResNet-18-D: deep stem, average-pool shortcuts', resnetD('basic', r18), {
    trainableParams: 11_708_744,
    buffers: 9_728,
  }),
  resnet26: configModel(
    'timm',
    'ResNet-26: bottlenecks [2, 2, 2, 2]',
    { block: 'bottleneck', layers: [2, 2, 2, 2] },
    {
      trainableParams: 15_995_176,
      buffers: 30_848,
    },
  ),
  resnet26d: configModel('timm', 'ResNet-26-D', resnetD('bottleneck', [2, 2, 2, 2]), {
    trainableParams: 16_014_408,
    buffers: 30_976,
  }),
  resnet50d: configModel('timm', 'ResNet-50-D', resnetD('bottleneck', r50), { trainableParams: 25_576_264, buffers: 53_248 }),
  resnet101d: configModel('timm', 'ResNet-101-D', resnetD('bottleneck', r101), {
    trainableParams: 44_568_392,
    buffers: 105_472,
  }),
  seresnet18: configModel('timm', 'SE-ResNet-18', se('basic', r18), { trainableParams: 11_779_624, buffers: 9_600 }),
  seresnet34: configModel('timm', 'SE-ResNet-34', se('basic', r34), { trainableParams: 21_960_416, buffers: 17_024 }),
  seresnet50: configModel('timm', 'SE-ResNet-50', se('bottleneck', r50), { trainableParams: 28_088_024, buffers: 53_120 }),
  seresnet101: configModel('timm', 'SE-ResNet-101', se('bottleneck', r101), {
    trainableParams: 49_326_872,
    buffers: 105_344,
  }),
  seresnext50_32x4d: configModel('timm', 'SE-ResNeXt-50 32×4d', se('bottleneck', r50, { groups: 32, widthPerGroup: 4 }), {
    trainableParams: 27_559_896,
    buffers: 68_224,
  }),
} as const satisfies ModelCatalog;
