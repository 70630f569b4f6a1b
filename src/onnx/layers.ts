import * as tf from '@tensorflow/tfjs';
import type { GraphNode } from '../inference/graph.js';
import type { InferencePlan } from '../inference/plan.js';
import { activationName, activationOfLayer, batchNormParams, checkChannelsLast, isLastAxisBn, pairOf, type LayerConfig } from '../inference/layer-config.js';
import { isFoldableConv, isIdentityAtInference } from '../inference/rules.js';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';
import { applyActivation } from './activations.js';
import type { OnnxGraphBuilder, Pads2d, Value } from './builder.js';
import { addPads, spatialPads } from './padding.js';
import type { OnnxAttributeValue } from './proto.js';

/** What a built-in lowering is given. @internal */
export interface BuiltinContext {
  readonly b: OnnxGraphBuilder;
  readonly plan: InferencePlan;
  readonly node: GraphNode;
  readonly config: LayerConfig;
  /** Inputs; pending zero paddings only reach lowerings that absorb them. */
  readonly inputs: readonly Value[];
  readonly where: string;
}

/** A built-in lowering of one layer class. @internal */
export interface BuiltinLowering {
  lower(ctx: BuiltinContext): Value[];
  /** Accepts pending zero paddings (and materializes those it cannot merge). */
  readonly absorbsPadding?: boolean;
}

/** Transpose permutations between tfjs's NHWC and ONNX's NCHW. @internal */
export const NHWC_TO_NCHW = [0, 3, 1, 2];
/** @internal */
export const NCHW_TO_NHWC = [0, 2, 3, 1];

/** An NCHW rank-4 value transposed to NHWC (other ranks unchanged). */
function toNhwc(b: OnnxGraphBuilder, v: Value): string {
  return v.shape.length === 4 ? b.node('Transpose', [v.name], { perm: NCHW_TO_NHWC })[0] : v.name;
}

/** An NHWC rank-4 value transposed to NCHW (other ranks unchanged). */
export function fromNhwc(b: OnnxGraphBuilder, name: string, rank: number): string {
  return rank === 4 ? b.node('Transpose', [name], { perm: NHWC_TO_NCHW })[0] : name;
}

function outShape(ctx: BuiltinContext, i = 0): readonly (number | null)[] {
  return ctx.node.outputs[i].shape;
}

/**
 * A convolution kernel from tfjs `[kh, kw, in, out]` to ONNX `[out, in, kh, kw]`
 * (in JS: the wasm backend's Transpose is far slower on these shapes).
 */
function hwioToOihw(k: Float32Array, [kh, kw, ci, co]: readonly number[]): Float32Array {
  const out = new Float32Array(k.length);
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      for (let i = 0; i < ci; i++) {
        const src = ((h * kw + w) * ci + i) * co;
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = k[src + o];
      }
    }
  }
  return out;
}

/**
 * Where the padding of a conv or pool comes from: a pending zero padding it
 * absorbs (when `canAbsorb` accepts the total pads) plus its own `'same'`
 * padding, as explicit pads or `auto_pad` when the size is unknown.
 */
function paddingOf(
  ctx: BuiltinContext,
  padding: 'same' | 'valid',
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number],
  canAbsorb: (pads: Pads2d, source: Value) => boolean,
): { x: Value; attrs: Record<string, OnnxAttributeValue>; absorbed: boolean } {
  const input = ctx.inputs[0];
  const own = spatialPads(padding, ctx.node.inputs[0].shape, kernel, strides, dilation);
  if (input.pad !== undefined && own !== null) {
    const pads = addPads(input.pad.pads, own);
    if (canAbsorb(pads, input.pad.source)) return { x: input.pad.source, attrs: { pads }, absorbed: true };
  }
  const x = ctx.b.materialize(input);
  if (input.pad !== undefined) {
    // Right after a Pad node, write `auto_pad` instead of `pads`: onnxruntime's
    // PadFusion (1.30) would otherwise fold the zero Pad into a MaxPool (whose
    // padding is −∞) or an AveragePool that excludes padding — changing the
    // result. It leaves nodes with an `auto_pad` alone.
    return { x, attrs: { auto_pad: own !== null && own.every((p) => p === 0) ? 'VALID' : 'SAME_UPPER' }, absorbed: false };
  }
  return { x, attrs: own === null ? { auto_pad: 'SAME_UPPER' } : { pads: own }, absorbed: false };
}

const conv: BuiltinLowering = {
  absorbsPadding: true,
  lower(ctx) {
    const spec = ctx.plan.convSpec(ctx.node);
    const { x, attrs } = paddingOf(ctx, spec.padding, spec.kernelSize, spec.strides, spec.dilation, () => true);
    const w = ctx.plan.convWeights(ctx.node);
    const [kh, kw, ci, co] = w.kernel.shape;
    const oihw = hwioToOihw(w.kernel.dataSync() as Float32Array, [kh, kw, ci, co]);
    const bias = w.bias.dataSync() as Float32Array;
    tf.dispose([w.kernel, w.bias]);
    const inputs = [x.name, ctx.b.constant(oihw, [co, ci, kh, kw], 'float32', 'W')];
    if (spec.useBias) inputs.push(ctx.b.constant(bias, [co], 'float32', 'B'));
    const [y] = ctx.b.node('Conv', inputs, {
      kernel_shape: spec.kernelSize,
      strides: spec.strides,
      dilations: spec.dilation,
      group: spec.groups,
      ...attrs,
    });
    return [applyActivation(ctx.b, { name: y, shape: outShape(ctx) }, spec.activation, ctx.where)];
  },
};

function pool(kind: 'max' | 'avg'): BuiltinLowering {
  return {
    absorbsPadding: true,
    lower(ctx) {
      const c = ctx.config;
      checkChannelsLast(c, ctx.where);
      const kernel = pairOf(c.poolSize, 2, ctx.where, 'poolSize');
      const strides = pairOf(c.strides ?? kernel, 1, ctx.where, 'strides');
      const padding = c.padding === 'same' ? 'same' : 'valid';
      // Zero padding merges into a max pool when its input is ≥ 0 (padded zeros
      // never win over a real element) and every window keeps a real element;
      // into a 'valid' average pool, whose count then includes it.
      const canAbsorb = (pads: Pads2d, source: Value): boolean =>
        kind === 'avg' ? padding === 'valid' : source.nonNegative === true && pads.every((p, i) => p < kernel[i % 2]);
      const { x, attrs, absorbed } = paddingOf(ctx, padding, kernel, strides, [1, 1], canAbsorb);
      const extra: Record<string, OnnxAttributeValue> = kind === 'avg' ? { count_include_pad: absorbed ? 1 : 0 } : {};
      const [y] = ctx.b.node(kind === 'max' ? 'MaxPool' : 'AveragePool', [x.name], {
        kernel_shape: kernel,
        strides,
        ...attrs,
        ...extra,
      });
      return [{ name: y, shape: outShape(ctx), nonNegative: x.nonNegative }];
    },
  };
}

function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool'): BuiltinLowering {
  return {
    lower(ctx) {
      checkChannelsLast(ctx.config, ctx.where);
      const x = ctx.inputs[0];
      let [y] = ctx.b.node(op, [x.name]);
      if (ctx.config.keepDims !== true) [y] = ctx.b.node('Flatten', [y], { axis: 1 });
      return [{ name: y, shape: outShape(ctx), nonNegative: x.nonNegative }];
    },
  };
}

const dense: BuiltinLowering = {
  lower(ctx) {
    const weights = ctx.node.layer.getWeights();
    const kernel = weights.find((t) => t.rank === 2);
    const bias = weights.find((t) => t.rank === 1);
    if (kernel === undefined) throw new ConfigError(`exportOnnx: ${ctx.where}: no rank-2 kernel`);
    const [units_in, units] = kernel.shape;
    const b = ctx.b;
    const K = b.constant(kernel.dataSync() as Float32Array, [units_in, units], 'float32', 'W');
    const B = bias === undefined ? undefined : b.constant(bias.dataSync() as Float32Array, [units], 'float32', 'B');
    const x = ctx.inputs[0];
    const rank = x.shape.length;
    let y: string;
    if (rank === 2) {
      [y] = b.node('Gemm', B === undefined ? [x.name, K] : [x.name, K, B]);
    } else {
      [y] = b.node('MatMul', [toNhwc(b, x), K]);
      if (B !== undefined) [y] = b.node('Add', [y, B]);
      y = fromNhwc(b, y, rank);
    }
    return [applyActivation(b, { name: y, shape: outShape(ctx) }, activationName(ctx.config.activation), ctx.where)];
  },
};

function merge(op: 'Add' | 'Mul' | 'Sub' | 'Max' | 'Min' | 'Mean', variadic: boolean): BuiltinLowering {
  return {
    lower(ctx) {
      const xs = ctx.inputs;
      const rank = xs[0].shape.length;
      if (xs.some((x) => x.shape.length !== rank)) {
        throw new ConfigError(`exportOnnx: ${ctx.where}: inputs of different ranks (${xs.map((x) => x.shape.length).join(', ')}) are not supported`);
      }
      let y: string;
      if (variadic || xs.length === 2) {
        [y] = ctx.b.node(
          op,
          xs.map((x) => x.name),
        );
      } else {
        y = xs.slice(1).reduce((acc, x) => ctx.b.node(op, [acc, x.name])[0], xs[0].name);
      }
      const nonNegative = op === 'Max' ? xs.some((x) => x.nonNegative) : op !== 'Sub' && op !== 'Min' ? xs.every((x) => x.nonNegative) : false;
      return [{ name: y, shape: outShape(ctx), nonNegative }];
    },
  };
}

const sumOf = merge('Add', false);

/**
 * `Add`, with the activation the plan fused into it, and `AddActivation`
 * (the optimizer's form of the same pair): a sum, then the activation.
 */
const add: BuiltinLowering = {
  lower(ctx) {
    const [sum] = sumOf.lower(ctx);
    const activation = ctx.node.className === 'AddActivation' ? activationName(ctx.config.activation) : ctx.plan.addActivation(ctx.node);
    return [applyActivation(ctx.b, sum, activation, ctx.where)];
  },
};

const concatenate: BuiltinLowering = {
  lower(ctx) {
    const rank = ctx.inputs[0].shape.length;
    const raw = Number(ctx.config.axis ?? -1);
    const axis = raw < 0 ? raw + rank : raw;
    const onnxAxis = rank === 4 ? NHWC_TO_NCHW.indexOf(axis) : axis;
    const [y] = ctx.b.node(
      'Concat',
      ctx.inputs.map((x) => x.name),
      { axis: onnxAxis },
    );
    return [{ name: y, shape: outShape(ctx), nonNegative: ctx.inputs.every((x) => x.nonNegative) }];
  },
};

const batchNorm: BuiltinLowering = {
  lower(ctx) {
    const x = ctx.inputs[0];
    const rank = x.shape.length;
    if ((rank !== 2 && rank !== 4) || !isLastAxisBn(ctx.node.layer, rank)) {
      throw new ConfigError(`exportOnnx: ${ctx.where}: only BatchNormalization over the channel (last) axis of rank-2 or rank-4 data is supported`);
    }
    const p = batchNormParams(ctx.node.layer);
    const n = p.mean.length;
    const b = ctx.b;
    const [y] = b.node(
      'BatchNormalization',
      [
        x.name,
        b.constant(p.gamma, [n], 'float32', 'scale'),
        b.constant(p.beta, [n], 'float32', 'B'),
        b.constant(p.mean, [n], 'float32', 'mean'),
        b.constant(p.variance, [n], 'float32', 'var'),
      ],
      { epsilon: { float: p.epsilon } },
    );
    return [{ name: y, shape: outShape(ctx) }];
  },
};

const zeroPadding: BuiltinLowering = {
  absorbsPadding: true,
  lower(ctx) {
    checkChannelsLast(ctx.config, ctx.where);
    const p = ctx.config.padding as [[number, number], [number, number]];
    const pads: Pads2d = [p[0][0], p[1][0], p[0][1], p[1][1]];
    const x = ctx.inputs[0];
    // Nothing is written until a consumer absorbs or materializes it.
    const pad = x.pad === undefined ? { source: x, pads } : { source: x.pad.source, pads: addPads(x.pad.pads, pads) };
    return [{ name: '', shape: outShape(ctx), nonNegative: x.nonNegative, pad }];
  },
};

const flatten: BuiltinLowering = {
  lower(ctx) {
    const x = ctx.inputs[0];
    const rank = x.shape.length;
    if (rank <= 2) return [x];
    // NCHW with a 1×1 map flattens in the same order as NHWC.
    const src = rank === 4 && x.shape[1] === 1 && x.shape[2] === 1 ? x.name : toNhwc(ctx.b, x);
    const [y] = ctx.b.node('Flatten', [src], { axis: 1 });
    return [{ name: y, shape: outShape(ctx), nonNegative: x.nonNegative }];
  },
};

const reshape: BuiltinLowering = {
  lower(ctx) {
    const x = ctx.inputs[0];
    const target = ctx.config.targetShape as number[];
    const outRank = target.length + 1;
    const b = ctx.b;
    const unitMap = (shape: readonly (number | null)[]): boolean => shape.length === 4 && shape[1] === 1 && shape[2] === 1;
    const src = x.shape.length === 4 && !unitMap(x.shape) ? toNhwc(b, x) : x.name;
    let y: string;
    if (outRank === 4 && target[0] === 1 && target[1] === 1) {
      [y] = b.node('Reshape', [src, b.constant([0, target[2], 1, 1], [4], 'int64', 'shape')]);
    } else {
      [y] = b.node('Reshape', [src, b.constant([0, ...target], [outRank], 'int64', 'shape')]);
      y = fromNhwc(b, y, outRank);
    }
    return [{ name: y, shape: outShape(ctx), nonNegative: x.nonNegative }];
  },
};

const activation: BuiltinLowering = {
  lower(ctx) {
    const x = ctx.inputs[0];
    const cls = ctx.node.className;
    const c = ctx.config;
    const plain = activationOfLayer(ctx.node.layer); // Activation, or ReLU without a cap
    if (plain !== undefined) return [applyActivation(ctx.b, x, plain, ctx.where)];
    if (cls === 'ReLU') {
      const [y] = ctx.b.node('Clip', [x.name, ctx.b.constant([0], []), ctx.b.constant([Number(c.maxValue)], [])]);
      return [{ name: y, shape: x.shape, nonNegative: true }];
    }
    if (cls === 'LeakyReLU') {
      const [y] = ctx.b.node('LeakyRelu', [x.name], { alpha: { float: Number(c.alpha ?? 0.3) } });
      return [{ name: y, shape: x.shape }];
    }
    // Softmax layer.
    const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : (c.axis ?? -1);
    if (axis !== -1 && axis !== x.shape.length - 1) {
      throw new ConfigError(`exportOnnx: ${ctx.where}: only softmax over the last axis is supported, got axis ${describe(c.axis)}`);
    }
    return [applyActivation(ctx.b, x, 'softmax', ctx.where)];
  },
};

/** The option-A shortcut: every s-th row and column, then zero channels (before/after). */
const shortcutPadChannels: BuiltinLowering = {
  lower(ctx) {
    const c = ctx.config;
    const x = ctx.inputs[0];
    const [sh, sw] = pairOf(c.strides, 1, ctx.where, 'strides');
    const cin = ctx.node.inputs[0].shape[3];
    const filters = Number(c.filters);
    if (cin == null || !(filters >= cin)) {
      throw new ConfigError(`exportOnnx: ${ctx.where}: filters ${describe(c.filters)} must be at least the input channels ${describe(cin)}`);
    }
    const b = ctx.b;
    let y = x.name;
    if (sh > 1 || sw > 1) {
      const big = Number.MAX_SAFE_INTEGER;
      [y] = b.node('Slice', [
        y,
        b.constant([0, 0], [2], 'int64', 'starts'),
        b.constant([big, big], [2], 'int64', 'ends'),
        b.constant([2, 3], [2], 'int64', 'axes'),
        b.constant([sh, sw], [2], 'int64', 'steps'),
      ]);
    }
    const extra = filters - cin;
    if (extra > 0) {
      const before = c.channelPadding === 'end' ? 0 : Math.floor(extra / 2);
      [y] = b.node('Pad', [y, b.constant([0, before, 0, 0, 0, extra - before, 0, 0], [8], 'int64', 'pads')], { mode: 'constant' });
    }
    return [{ name: y, shape: outShape(ctx), nonNegative: x.nonNegative }];
  },
};

const BUILTIN: Record<string, BuiltinLowering> = {
  MaxPooling2D: pool('max'),
  AveragePooling2D: pool('avg'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPool'),
  Dense: dense,
  Add: add,
  AddActivation: add,
  Multiply: merge('Mul', false),
  Subtract: merge('Sub', false),
  Maximum: merge('Max', true),
  Minimum: merge('Min', true),
  Average: merge('Mean', true),
  Concatenate: concatenate,
  BatchNormalization: batchNorm,
  ZeroPadding2D: zeroPadding,
  Flatten: flatten,
  Reshape: reshape,
  Activation: activation,
  ReLU: activation,
  LeakyReLU: activation,
  Softmax: activation,
  ShortcutPadChannels: shortcutPadChannels,
};

/** A layer that is the identity at inference but was kept (its output is a model output). */
const passThrough: BuiltinLowering = { lower: (ctx) => [ctx.inputs[0]] };

/** The built-in lowering of a layer class, if any. @internal */
export function builtinLowering(className: string): BuiltinLowering | undefined {
  if (isFoldableConv(className)) return conv;
  if (isIdentityAtInference(className)) return passThrough;
  return Object.prototype.hasOwnProperty.call(BUILTIN, className) ? BUILTIN[className] : undefined;
}

/** Every layer class the exporter writes without a registered rule. @internal */
export function builtinClasses(): string[] {
  return ['Conv2D', 'GroupedConv2D', ...Object.keys(BUILTIN)];
}
