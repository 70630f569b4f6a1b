import { RESNET_DEPTHS } from '../resnet.js';
import { configModel, type ModelCatalog } from './define.js';

const r50 = RESNET_DEPTHS[50].layers;
const r101 = RESNET_DEPTHS[101].layers;

/**
 * torchvision's ResNets, ResNeXts and Wide ResNets (`torchvision.models`),
 * with torchvision's parameter counts (trainable; BN running statistics).
 * timm's models of the same names are the same networks with the same keys.
 * @internal
 */
export const TORCHVISION_MODELS = {
  resnet18: configModel('torchvision', 'ResNet-18', RESNET_DEPTHS[18], { trainableParams: 11_689_512, buffers: 9_600, macs224: 1_814_073_344 }),
  resnet34: configModel('torchvision', 'ResNet-34', RESNET_DEPTHS[34], { trainableParams: 21_797_672, buffers: 17_024, macs224: 3_663_761_408 }),
  resnet50: configModel('torchvision', 'ResNet-50 (v1.5)', RESNET_DEPTHS[50], { trainableParams: 25_557_032, buffers: 53_120, macs224: 4_089_184_256 }),
  resnet101: configModel('torchvision', 'ResNet-101 (v1.5)', RESNET_DEPTHS[101], { trainableParams: 44_549_160, buffers: 105_344, macs224: 7_801_405_440 }),
  resnet152: configModel('torchvision', 'ResNet-152 (v1.5)', RESNET_DEPTHS[152], { trainableParams: 60_192_808, buffers: 151_424, macs224: 11_513_626_624 }),
  resnext50_32x4d: configModel(
    'torchvision',
    'ResNeXt-50 32×4d: 32 groups of width 4 per 64 filters',
    { block: 'bottleneck', layers: r50, blockArgs: { groups: 32, widthPerGroup: 4 } },
    { trainableParams: 25_028_904, buffers: 68_224, macs224: 4_230_479_872 },
  ),
  resnext101_32x8d: configModel(
    'torchvision',
    'ResNeXt-101 32×8d',
    { block: 'bottleneck', layers: r101, blockArgs: { groups: 32, widthPerGroup: 8 } },
    { trainableParams: 88_791_336, buffers: 202_880, macs224: 16_414_015_488 },
  ),
  resnext101_64x4d: configModel(
    'torchvision',
    'ResNeXt-101 64×4d',
    { block: 'bottleneck', layers: r101, blockArgs: { groups: 64, widthPerGroup: 4 } },
    // torchvision's documented num_params (ResNeXt101_64X4D_Weights).
    { trainableParams: 83_455_272 },
  ),
  wide_resnet50_2: configModel(
    'torchvision',
    'Wide ResNet-50-2: bottlenecks twice as wide',
    { block: 'bottleneck', layers: r50, blockArgs: { widthPerGroup: 128 } },
    { trainableParams: 68_883_240, buffers: 68_224, macs224: 11_398_021_120 },
  ),
  wide_resnet101_2: configModel(
    'torchvision',
    'Wide ResNet-101-2',
    { block: 'bottleneck', layers: r101, blockArgs: { widthPerGroup: 128 } },
    { trainableParams: 126_886_696, buffers: 137_856, macs224: 22_753_050_624 },
  ),
} as const satisfies ModelCatalog;
