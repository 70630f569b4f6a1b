// The network skeleton every family shares, in compute order: input, stem,
// stages, an optional pre-head, head, tf.model and what it records
// (modelInfo). ResNet (resnet.ts), ResNetV2 (resnetv2.ts) and the CIFAR nets
// (cifar.ts) each give it their stem and stages.
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, convBn, relu, type UnitContext } from '../blocks/conv-bn.js';
import { denseInits } from '../blocks/init.js';
import type { ResNetStyle } from '../blocks/style.js';
import type { ResNetV2Names } from '../blocks/naming/names.js';
import type { Stage } from '../stages/stage.js';
import { deepStemWidths, type StemType } from './stem.js';
import { setModelInfo, type FeatureLevel } from './model-info.js';

/** What {@link assembleNetwork} puts together. @internal */
export interface NetworkParts {
  /** The model's name, input shape (without batch) and style. */
  readonly model: { readonly name: string; readonly inputShape: [number | null, number | null, number]; readonly style: ResNetStyle };
  /** The head's options. */
  readonly head: HeadArgs;
  /** The units' context of the layers outside the blocks (stem, pre-head, head). */
  readonly ctx: UnitContext;
  /** Builds the stem on the input: its output, and the feature level it records (timm's first `feature_info` entry). */
  stem(input: tf.SymbolicTensor): { readonly output: tf.SymbolicTensor; readonly feature: Omit<FeatureLevel, 'layer'> & { readonly at: tf.SymbolicTensor } };
  /** The stages, in order, with each one's feature name and total stride after it. */
  readonly stages: ReadonlyArray<{ readonly stage: Stage; readonly feature: string; readonly reduction: number }>;
  /** Applied after the last stage, before the head (ResNetV2's final BN → ReLU). */
  preHead?(x: tf.SymbolicTensor): tf.SymbolicTensor;
}

/**
 * Input → stem → stages → pre-head → head as a `tf.LayersModel`, with the
 * feature levels (stem and each stage) recorded for {@link modelInfo}.
 * @internal
 */
export function assembleNetwork(parts: NetworkParts): tf.LayersModel {
  const input = tf.input({ shape: parts.model.inputShape, name: 'input' });
  const s = parts.stem(input);
  const { at, ...stemFeature } = s.feature;
  const features: FeatureLevel[] = [{ ...stemFeature, layer: at.sourceLayer.name }];
  let x = s.output;
  for (const { stage, feature, reduction } of parts.stages) {
    x = stage.apply(x);
    features.push({ name: feature, channels: stage.outChannels, reduction, layer: x.sourceLayer.name });
  }
  if (parts.preHead !== undefined) x = parts.preHead(x);
  const output = head(x, parts.head, parts.ctx);
  const model = tf.model({ inputs: input, outputs: output, name: parts.model.name });
  setModelInfo(model, { style: parts.model.style, features });
  return model;
}

/**
 * The ResNet stem: the convolution(s) of its {@link StemType}, BN, ReLU
 * (`act1`, reduction 2), then 3×3 stride-2 max pooling with padding 1
 * (`maxpool`, reduction 4). Zero padding before the pool is exact because its
 * input is non-negative after the ReLU (Keras does the same).
 * @internal
 */
export function stem(x: tf.SymbolicTensor, a: { width: number; type: StemType }, ctx: UnitContext): { act: tf.SymbolicTensor; pooled: tf.SymbolicTensor } {
  const { spec } = ctx;
  const names = spec.stem;
  let y: tf.SymbolicTensor;
  if (a.type === 'default') {
    y = conv(x, { filters: a.width, kernelSize: 7, stride: 2, padding: 'explicit', conv: names.conv }, ctx);
  } else {
    // timm: conv1 = Sequential(conv s2, bn, relu, conv, bn, relu, conv), then bn1, act1.
    const [w0, w1, w2] = deepStemWidths(a.type, a.width);
    const m = spec.deepStem;
    y = convBn(x, { filters: w0, kernelSize: 3, stride: 2, conv: m(0), bn: m(1), act: m(2) }, ctx);
    y = convBn(y, { filters: w1, kernelSize: 3, conv: m(3), bn: m(4), act: m(5) }, ctx);
    y = conv(y, { filters: w2, kernelSize: 3, conv: m(6) }, ctx);
  }
  const act = relu(batchNorm(y, names.bn, ctx), names.act, ctx);
  return { act, pooled: stemMaxPool(act, { pad: names.poolPad, pool: names.pool }, ctx) };
}

/**
 * The stem's 3×3 stride-2 max pooling with padding 1 (`pad`, then `pool`).
 * Zero padding stands in for PyTorch's −∞ because the input is a ReLU's
 * output (≥ 0) and every window keeps a real element.
 * @internal
 */
export function stemMaxPool(x: tf.SymbolicTensor, names: { readonly pad: string; readonly pool: string }, ctx: UnitContext): tf.SymbolicTensor {
  const { pad, pool } = names;
  const padded = ctx.cache.get(pad, () => tf.layers.zeroPadding2d({ padding: 1, name: pad })).apply(x) as tf.SymbolicTensor;
  return ctx.cache.get(pool, () => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: pool })).apply(padded) as tf.SymbolicTensor;
}

/**
 * The ResNetV2 stem: convolution(s) with no BN after the last (pre-activation), then
 * 3×3 stride-2 max pooling with padding 1. timm pads the pool with −∞
 * (PyTorch's `MaxPool2d(3, 2, padding=1)` on a map that can be negative):
 * built exactly as a stride-1 `'same'` 3×3 max pool (tfjs leaves padding out
 * of a max) subsampled by a stride-2 1×1 pool. Keras pads with zeros
 * (`pool1_pad`), which this reproduces as Keras computes it.
 * @internal
 */
export function preactStem(
  x: tf.SymbolicTensor,
  a: { readonly width: number; readonly type: StemType; readonly names: ResNetV2Names; readonly exactPool: boolean },
  ctx: UnitContext,
): { feature: tf.SymbolicTensor; pooled: tf.SymbolicTensor } {
  const { width, type, names: layout } = a;
  const { cache } = ctx;
  let y: tf.SymbolicTensor;
  if (type === 'default') {
    y = conv(x, { filters: width, kernelSize: 7, stride: 2, padding: 'explicit', conv: layout.stemConv(undefined) }, ctx);
  } else {
    const widths = deepStemWidths(type, width);
    y = x;
    widths.forEach((w, k) => {
      const last = k === widths.length - 1;
      y = conv(y, { filters: w, kernelSize: 3, stride: k === 0 ? 2 : 1, bias: last ? ctx.spec.convBias : false, conv: layout.stemConv(k + 1) }, ctx);
      if (!last) y = relu(batchNorm(y, layout.stemBn(k + 1), ctx), layout.stemAct(k + 1), ctx);
    });
  }
  const feature = y;
  const { pad, window, pool } = layout.pool;
  if (a.exactPool) {
    const windowMax = cache.get(window, () => tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: window })).apply(y) as tf.SymbolicTensor;
    y = cache.get(pool, () => tf.layers.maxPooling2d({ poolSize: 1, strides: 2, padding: 'valid', name: pool })).apply(windowMax) as tf.SymbolicTensor;
  } else {
    y = stemMaxPool(y, { pad, pool }, ctx);
  }
  return { feature, pooled: y };
}

/** What follows the last stage. @internal */
export interface HeadArgs {
  includeTop: boolean;
  classes: number;
  pooling: 'avg' | 'max' | null;
  classifierActivation: 'softmax' | 'linear';
}

/**
 * Global average pooling and the dense classifier (`includeTop`), or the
 * optional global pooling of a backbone — Keras Applications' head.
 * @internal
 */
export function head(x: tf.SymbolicTensor, a: HeadArgs, ctx: UnitContext): tf.SymbolicTensor {
  const { spec } = ctx;
  const pooling = a.includeTop ? 'avg' : a.pooling;
  let y = x;
  if (pooling === 'avg') {
    y = ctx.cache.get(spec.globalAvgPool, () => tf.layers.globalAveragePooling2d({ name: spec.globalAvgPool })).apply(y) as tf.SymbolicTensor;
  } else if (pooling === 'max') {
    y = ctx.cache.get(spec.globalMaxPool, () => tf.layers.globalMaxPooling2d({ name: spec.globalMaxPool })).apply(y) as tf.SymbolicTensor;
  }
  if (!a.includeTop) return y;
  return ctx.cache
    .get(spec.classifier, () =>
      tf.layers.dense({
        units: a.classes,
        activation: a.classifierActivation,
        name: spec.classifier,
        ...denseInits(spec, ctx.init),
      }),
    )
    .apply(y) as tf.SymbolicTensor;
}
