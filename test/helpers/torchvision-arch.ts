// torchvision's architecture figures for a 224×224 input
// (test/fixtures/torchvision-arch-224.json, copied from the reference data),
// and PyTorch's output-size formula for other input sizes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One model's entry of torchvision-arch-224.json. */
export interface TorchvisionArch {
  trainable_params: number;
  bn_running_stats: number;
  bn_channels: number;
  conv_layers: number;
  blocks_per_stage: number[];
  keras_style_total_params: number;
  stage_shapes_nchw: Record<'pool' | 'layer1' | 'layer2' | 'layer3' | 'layer4', [number, number, number, number]>;
  state_dict_keys: number;
}

const file = fileURLToPath(new URL('../fixtures/torchvision-arch-224.json', import.meta.url));
const arch = JSON.parse(readFileSync(file, 'utf8')) as {
  input_hw: [number, number];
  models: Record<string, TorchvisionArch>;
};

/** The figures of torchvision model `name` (e.g. `'resnet50'`). */
export function torchvisionArch(name: string): TorchvisionArch {
  const a = arch.models[name];
  if (a === undefined) throw new Error(`no torchvision figures for ${name} in ${file}`);
  return a;
}

/** The input size the figures were computed for. */
export const ARCH_INPUT_HW = arch.input_hw;

/**
 * PyTorch's output size of a convolution or pooling along one axis
 * (`torch.nn.Conv2d` / `MaxPool2d` docs, ceil_mode=False, no dilation):
 * floor((size + 2·padding − (kernel − 1) − 1) / stride) + 1.
 */
export function torchOutSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - (kernel - 1) - 1) / stride) + 1;
}

/**
 * The spatial size (one axis) after the stem pool and each of the 4 stages of a
 * torchvision ResNet — conv1 (7, s2, p3), maxpool (3, s2, p1), layer1
 * unstrided, layer2…4 strided by their 3×3 conv (3, s2, p1), whose 1×1
 * stride-2 downsample must agree.
 */
export function torchvisionStageSizes(size: number): { pool: number; layers: [number, number, number, number] } {
  const conv1 = torchOutSize(size, 7, 2, 3);
  const pool = torchOutSize(conv1, 3, 2, 1);
  const layers: number[] = [pool];
  let s = pool;
  for (let i = 1; i < 4; i++) {
    const main = torchOutSize(s, 3, 2, 1);
    const down = torchOutSize(s, 1, 2, 0);
    if (main !== down) throw new Error(`main path ${main} and downsample ${down} disagree for size ${s}`);
    s = main;
    layers.push(s);
  }
  return { pool, layers: layers as [number, number, number, number] };
}
