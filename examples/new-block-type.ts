/**
 * A new block type end to end: ECA attention (Wang et al. 2020, "ECA-Net")
 * exactly as timm's `EcaModule`, a bottleneck block that uses it, the
 * PyTorch key mapping of its one new layer class, and a registered model
 * name — timm's `ecaresnet50d`, whose 25,576,350 parameters and state-dict
 * keys (`layer1.0.se.conv.weight`, …) it reproduces.
 *
 *   npx tsx examples/new-block-type.ts
 *
 * In an application, import these names from 'tfjs-resnet'; the example
 * imports the library's entry point (only its public exports) so the test suite can run it unbuilt.
 * See docs/guides/new-block-type.md.
 */
import * as tf from '@tensorflow/tfjs';
import {
  bottleneckBlock,
  BOTTLENECK_EXPANSION,
  createModel,
  defineBlock,
  listModels,
  registerModel,
  registerWeightMapping,
  resnet,
  summarize,
  type AttentionContext,
  type BlockAttention,
  type BottleneckBlockArgs,
  type ResNetConfig,
  type WeightLayout,
} from '../src/index.js';

/**
 * ECA's adaptive kernel size for `channels` channels (timm's `EcaModule`):
 * `t = int(|log2(C) + beta| / gamma)`, made odd, at least 3.
 */
export function ecaKernelSize(channels: number, gamma = 2, beta = 1): number {
  const t = Math.trunc(Math.abs(Math.log2(channels) + beta) / gamma);
  return Math.max(t % 2 === 1 ? t : t + 1, 3);
}

/**
 * ECA channel attention as a {@link BlockAttention}: global average pool, a
 * 1-D convolution of `ecaKernelSize(C)` taps across the channel axis (zero
 * padding `(k − 1)/2`, no bias), sigmoid gate. The 1-D convolution is a
 * stock `Conv1D` over the pooled vector seen as a length-C sequence of one
 * channel, so the model saves and loads without custom classes. Its layers
 * are `<block>.se.conv` etc. — timm names the attention module `se`
 * whatever its kind — so the PyTorch key is `layer1.0.se.conv.weight`.
 */
export function ecaAttention(gamma = 2, beta = 1): BlockAttention {
  return {
    kind: 'eca',
    apply(x: tf.SymbolicTensor, ctx: AttentionContext): tf.SymbolicTensor {
      const channels = x.shape[3] as number;
      const k = ecaKernelSize(channels, gamma, beta);
      const layer = <L extends tf.layers.Layer>(part: string, create: (name: string) => L): L => ctx.layer(ctx.sub(part), () => create(ctx.sub(part)));
      let y = layer('pool', (name) => tf.layers.globalAveragePooling2d({ name })).apply(x) as tf.SymbolicTensor;
      y = layer('to_sequence', (name) => tf.layers.reshape({ targetShape: [channels, 1], name })).apply(y) as tf.SymbolicTensor;
      y = layer('conv', (name) =>
        tf.layers.conv1d({
          name,
          filters: 1,
          kernelSize: k,
          padding: 'same', // stride 1, odd k: (k − 1)/2 on each side, as PyTorch
          useBias: false,
          kernelInitializer: ctx.init === 'zeros' ? 'zeros' : 'glorotUniform',
        }),
      ).apply(y) as tf.SymbolicTensor;
      y = layer('to_map', (name) => tf.layers.reshape({ targetShape: [1, 1, channels], name })).apply(y) as tf.SymbolicTensor;
      y = layer('gate', (name) => tf.layers.activation({ activation: 'sigmoid', name })).apply(y) as tf.SymbolicTensor;
      return layer('mul', (name) => tf.layers.multiply({ name })).apply([x, y]) as tf.SymbolicTensor;
    },
  };
}

/**
 * The new block type: timm's `Bottleneck` with `attn_layer='eca'`. It
 * declares what every block type declares —
 * - its kind and channel expansion (4: output channels are `filters · 4`,
 *   which is what `stage` reports as the stage's feature channels);
 * - its layer names, which are PyTorch module paths (here those of the
 *   bottleneck: `<block>.conv1`, …, plus the attention's `<block>.se.conv`).
 */
export const ecaBottleneckBlock = defineBlock('eca_bottleneck', BOTTLENECK_EXPANSION, (args: BottleneckBlockArgs) =>
  bottleneckBlock({ ...args, attention: ecaAttention() }),
);

/** PyTorch's `Conv1d` weight `[out, in, k]` ↔ tfjs `Conv1D` kernel `[k, in, out]`. */
export const CONV1D_LAYOUT: WeightLayout = {
  torchShape: ([k, i, o]) => [o, i, k],
  toTfjs: (t) => tf.transpose(t, [2, 1, 0]),
  toTorch: (t) => tf.transpose(t, [2, 1, 0]),
};

/** timm's `ecaresnet50d`: ResNet-50-D (deep stem, average-pool shortcuts) with ECA blocks. */
export const ECARESNET50D: ResNetConfig<BottleneckBlockArgs> = {
  block: ecaBottleneckBlock,
  layers: [3, 4, 6, 3],
  stemType: 'deep',
  blockArgs: { shortcut: 'avgPool' },
};

/**
 * Makes the block type usable everywhere: the PyTorch key mapping of its new
 * layer class (so `loadPyTorchWeights` and `exportPyTorchWeights` handle
 * `se.conv.weight`) and a model name for `createModel`.
 */
export function registerEca(): void {
  registerWeightMapping('Conv1D', {
    params: [
      { tfjs: 'kernel', torch: 'weight', layout: CONV1D_LAYOUT },
      { tfjs: 'bias', torch: 'bias' },
    ],
  });
  if (!listModels({ source: 'user' }).includes('ecaresnet50d')) {
    registerModel('ecaresnet50d', {
      source: 'user',
      description: "timm's ECA-ResNet-50-D",
      config: ECARESNET50D as ResNetConfig,
      build: (options) => resnet(ECARESNET50D, options),
      reference: { trainableParams: 25_576_350, buffers: 53_248 },
    });
  }
}

// Run as a script: build the model and show what it declares.
if (import.meta.url === `file://${process.argv[1]}`) {
  registerEca();
  const model = createModel('ecaresnet50d', { init: 'zeros' });
  console.log(`ecaresnet50d: ${summarize(model).trainableParams.toLocaleString('en-US')} trainable parameters (timm: 25,576,350)`);
  for (const name of ['layer1.0.se.conv', 'layer4.2.se.conv']) {
    console.log(`${name}: kernel ${JSON.stringify(model.getLayer(name).getWeights()[0].shape)} ↔ PyTorch ${name}.weight`);
  }
  model.dispose();
}
