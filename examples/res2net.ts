/**
 * A new block type written only from the library's public exports: Res2Net's
 * `Bottle2neck` (Gao et al. 2019, "Res2Net: A New Multi-scale Backbone
 * Architecture"), exactly as timm's `res2net50_26w_4s` builds it — its
 * state-dict keys (`layer1.0.convs.0.weight`, `layer1.0.bns.2.running_var`,
 * …), its 25,699,120 parameters and its outputs.
 *
 *   npx tsx examples/res2net.ts
 *
 * In an application, import these names from 'tfjs-resnet'; the example
 * imports the library's entry point so the test suite can run it unbuilt.
 * See docs/guides/new-block-type.md.
 */
import * as tf from '@tensorflow/tfjs';
import {
  BaseBlock,
  batchNorm,
  conv,
  convBn,
  createModel,
  defineBlock,
  listModels,
  registerModel,
  relu,
  residualFrame,
  resnet,
  resolveBlockArgs,
  resolveResidual,
  summarize,
  ConfigError,
  type ResidualBlockArgs,
  type ResNetConfig,
  type ResNetOptions,
  type ResolvedBlockArgs,
  type ResolvedResidual,
  type UnitContext,
} from '../src/index.js';

/** Configuration of {@link ChannelSlice}. */
export interface ChannelSliceArgs {
  /** First channel taken. */
  begin: number;
  /** How many channels are taken. */
  size: number;
  /** The layer's name. */
  name?: string;
}

/**
 * Channels `[begin, begin + size)` of an NHWC tensor: one part of
 * `torch.split(out, width, 1)`. A small serializable layer (no weights), so
 * the model saves, loads and optimizes like any other.
 */
export class ChannelSlice extends tf.layers.Layer {
  static className = 'Res2NetChannelSlice';
  readonly begin: number;
  readonly size: number;

  constructor(args: ChannelSliceArgs) {
    super({ name: args.name });
    this.begin = args.begin;
    this.size = args.size;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.size];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.slice(x, [0, 0, 0, this.begin], [-1, -1, -1, this.size]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), begin: this.begin, size: this.size };
  }
}
tf.serialization.registerClass(ChannelSlice);

/** Arguments of {@link res2netBlock}: those of every residual block, plus Res2Net's. */
export interface Res2NetBlockArgs extends ResidualBlockArgs {
  /**
   * How many channel groups the 3×3 stage is split into (timm's `scale`).
   * @defaultValue 4
   */
  scale?: number;
  /**
   * Width of each group per 64 of `filters` (timm's `base_width`): each
   * group has `floor(filters · baseWidth / 64)` channels.
   * @defaultValue 26
   */
  baseWidth?: number;
}

/** Output channels per unit of `filters`, as timm's `Bottle2neck.expansion`. */
export const RES2NET_EXPANSION = 4;

class Bottle2neck extends BaseBlock {
  constructor(
    args: ResolvedBlockArgs,
    private readonly residual: ResolvedResidual,
    private readonly split: { readonly width: number; readonly scale: number },
  ) {
    super('res2net_bottleneck', args, args.filters * RES2NET_EXPANSION);
  }

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const inChannels = this.inputChannels(x);
    const { spec, name, init, stride, firstDilation } = this.args;
    const { width, scale } = this.split;
    const ctx: UnitContext = { spec, init, cache: this.cache };
    const part = (what: string, i: number): string => spec.sub(spec.sub(name, what), String(i));
    const layer = <L extends tf.layers.Layer>(layerName: string, create: () => L): L => this.cache.get(layerName, create);
    // timm's is_first: a strided block or one with a downsample (projection)
    // shortcut. Its groups do not chain, and the last group is average-pooled.
    const isFirst = stride > 1 || inChannels !== this.outChannels;

    const main = (input: tf.SymbolicTensor): tf.SymbolicTensor => {
      // 1×1 to width · scale channels, BN, ReLU.
      const out = convBn(input, { filters: width * scale, kernelSize: 1, conv: spec.conv(name, 1), bn: spec.bn(name, 1), act: spec.act(name, 1) }, ctx);
      const groups = Array.from(
        { length: scale },
        (_, i) => layer(part('split', i), () => new ChannelSlice({ begin: i * width, size: width, name: part('split', i) })).apply(out) as tf.SymbolicTensor,
      );
      // scale − 1 chained 3×3 convs: sp = conv(sp + x_i) (sp = x_i in the first block of a stage).
      const outs: tf.SymbolicTensor[] = [];
      let sp: tf.SymbolicTensor | undefined;
      for (let i = 0; i < Math.max(1, scale - 1); i++) {
        const inputI: tf.SymbolicTensor =
          sp === undefined || isFirst
            ? groups[i]
            : (layer(part('add', i), () => tf.layers.add({ name: part('add', i) })).apply([sp, groups[i]]) as tf.SymbolicTensor);
        const y = conv(inputI, { filters: width, kernelSize: 3, stride, dilation: firstDilation, conv: part('convs', i) }, ctx);
        sp = relu(batchNorm(y, part('bns', i), ctx), part('acts', i), ctx);
        outs.push(sp);
      }
      if (scale > 1) {
        const last = groups[scale - 1];
        // AvgPool2d(3, stride, padding=1), count_include_pad=True: the zeros
        // of the padding count in every average.
        if (isFirst) {
          const poolName = spec.sub(name, 'pool');
          const padded = layer(spec.pad(poolName), () => tf.layers.zeroPadding2d({ padding: 1, name: spec.pad(poolName) })).apply(last) as tf.SymbolicTensor;
          outs.push(
            layer(poolName, () => tf.layers.averagePooling2d({ poolSize: 3, strides: stride, padding: 'valid', name: poolName })).apply(
              padded,
            ) as tf.SymbolicTensor,
          );
        } else {
          outs.push(last);
        }
      }
      const catName = spec.sub(name, 'cat');
      const cat = outs.length === 1 ? outs[0] : (layer(catName, () => tf.layers.concatenate({ axis: -1, name: catName })).apply(outs) as tf.SymbolicTensor);
      // 1×1 to filters · 4, BN (zero-initialised with zeroInitLastBn).
      return convBn(
        cat,
        { filters: this.outChannels, kernelSize: 1, conv: spec.conv(name, 3), bn: spec.bn(name, 3), zeroGamma: this.residual.zeroInitLastBn },
        ctx,
      );
    };
    // Attention, drop path, the shortcut (timm's downsample.0/.1), add, ReLU.
    return residualFrame(x, { inChannels, outChannels: this.outChannels, convCount: 3, block: this.args, residual: this.residual, main }, ctx);
  }
}

/**
 * timm's `Bottle2neck` as a block type: usable in `stage()`, `resnet(config)`
 * and a registered model like the built-in blocks.
 */
export const res2netBlock = defineBlock('res2net_bottleneck', RES2NET_EXPANSION, (args: Res2NetBlockArgs) => {
  const resolved = resolveBlockArgs('res2net_bottleneck', args);
  const where = `res2net_bottleneck block "${resolved.name}"`;
  const residual = resolveResidual(args, where);
  const scale = args.scale ?? 4;
  const baseWidth = args.baseWidth ?? 26;
  for (const [what, value] of [
    ['scale', scale],
    ['baseWidth', baseWidth],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${where}: ${what} must be a positive integer, got ${String(value)}`);
  }
  const width = Math.floor((resolved.filters * baseWidth) / 64);
  if (width < 1) throw new ConfigError(`${where}: floor(filters · baseWidth / 64) is 0 for filters ${resolved.filters} and baseWidth ${baseWidth}`);
  return new Bottle2neck(resolved, residual, { width, scale });
});

/** timm's `res2net50_26w_4s`: ResNet-50's stages of `Bottle2neck`, scale 4, base width 26. */
export const RES2NET50_26W_4S: ResNetConfig<Res2NetBlockArgs> = {
  block: res2netBlock,
  layers: [3, 4, 6, 3],
  blockArgs: { scale: 4, baseWidth: 26 },
};

/**
 * Res2Net-50 26w×4s (timm's `res2net50_26w_4s`): layer names are timm's
 * module paths, so its state dict loads with `loadPyTorchWeights`.
 */
export function res2net50_26w_4s(options: ResNetOptions = {}): tf.LayersModel {
  return resnet(RES2NET50_26W_4S, { name: 'res2net50_26w_4s', ...options });
}

/** Registers `res2net50_26w_4s` for `createModel` (once). */
export function registerRes2Net(): void {
  if (listModels({ source: 'user' }).includes('res2net50_26w_4s')) return;
  registerModel('res2net50_26w_4s', {
    source: 'user',
    description: "timm's Res2Net-50 26w×4s",
    build: (options) => res2net50_26w_4s(options),
    reference: { trainableParams: 25_699_120 },
  });
}

// Run as a script: build the model and show what it declares.
if (import.meta.url === `file://${process.argv[1]}`) {
  registerRes2Net();
  const model = createModel('res2net50_26w_4s', { init: 'zeros' });
  console.log(`res2net50_26w_4s: ${summarize(model).trainableParams.toLocaleString('en-US')} trainable parameters (timm: 25,699,120)`);
  for (const name of ['layer1.0.convs.0', 'layer2.0.pool', 'layer4.2.bns.2']) {
    console.log(`${name}: ${model.getLayer(name).getClassName()}`);
  }
  model.dispose();
}
