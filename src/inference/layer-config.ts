import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';

/** A layer's serialized configuration, as `layer.getConfig()` returns it. @internal */
export type LayerConfig = Record<string, unknown>;

/** `layer.getConfig()` as a plain record. @internal */
export function configOf(layer: tf.layers.Layer): LayerConfig {
  return layer.getConfig() as LayerConfig;
}

/** `'name' (ClassName)`, for error messages. @internal */
export function layerLabel(layer: tf.layers.Layer): string {
  return `layer "${layer.name}" (${layer.getClassName()})`;
}

/** A number or `[a, b]` config field as a pair; `fallback` when absent. @internal */
export function pairOf(value: unknown, fallback: number, where: string, what: string): [number, number] {
  const v = value ?? fallback;
  if (typeof v === 'number' && Number.isInteger(v)) return [v, v];
  if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return [v[0] as number, v[0] as number];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x))) return [v[0] as number, v[1] as number];
  throw new ConfigError(`${where}: ${what} must be an integer or a pair of integers, got ${describe(v)}`);
}

/** Throws unless the layer works on channels-last (NHWC) data. @internal */
export function checkChannelsLast(config: LayerConfig, where: string): void {
  const format = config.dataFormat ?? 'channelsLast';
  if (format !== 'channelsLast') {
    throw new ConfigError(`${where}: only dataFormat 'channelsLast' (NHWC) is supported, got ${describe(format)}`);
  }
}

/** The serialized activation identifier of a config field (`'linear'` when absent). @internal */
export function activationName(value: unknown): string {
  if (value == null) return 'linear';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as { className?: unknown }).className === 'string') {
    return (value as { className: string }).className;
  }
  return String(value);
}

/** Spatial padding of a convolution or pooling layer. @internal */
export type PaddingMode = 'same' | 'valid';

/** What inference needs to know of a 2-D convolution (Conv2D, GroupedConv2D). @internal */
export interface ConvSpec {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilation: [number, number];
  readonly padding: PaddingMode;
  readonly groups: number;
  readonly useBias: boolean;
  /** The serialized activation identifier, `'linear'` for none. */
  readonly activation: string;
}

/** Reads a Conv2D-like layer's configuration. @internal */
export function convSpec(layer: tf.layers.Layer): ConvSpec {
  const c = configOf(layer);
  const where = layerLabel(layer);
  checkChannelsLast(c, where);
  const padding = c.padding ?? 'valid';
  if (padding !== 'same' && padding !== 'valid') {
    throw new ConfigError(`${where}: padding must be 'same' or 'valid', got ${describe(padding)}`);
  }
  const kernelSize = pairOf(c.kernelSize, 1, where, 'kernelSize');
  const groups = c.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    throw new ConfigError(`${where}: groups must be a positive integer, got ${describe(groups)}`);
  }
  return {
    filters: Number(c.filters),
    kernelSize,
    strides: pairOf(c.strides, 1, where, 'strides'),
    dilation: pairOf(c.dilationRate, 1, where, 'dilationRate'),
    padding,
    groups,
    useBias: c.useBias !== false,
    activation: activationName(c.activation),
  };
}

/** Whether a convolution reads no padding: `'valid'`, or a 1×1 kernel (whose `'same'` never pads). @internal */
export function isPadFree(spec: ConvSpec): boolean {
  return spec.padding === 'valid' || (spec.kernelSize[0] === 1 && spec.kernelSize[1] === 1);
}

/**
 * Per-channel affine form `y = x·scale + shift` of an inference-mode
 * BatchNormalization over the last axis, computed in double precision.
 * @internal
 */
export interface ChannelAffine {
  readonly scale: Float64Array;
  readonly shift: Float64Array;
}

/** The raw parameters of a BatchNormalization layer (γ = 1, β = 0 when absent). @internal */
export interface BatchNormParams {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly epsilon: number;
}

/** Whether a BatchNormalization normalises the last axis of a rank-`rank` input. @internal */
export function isLastAxisBn(layer: tf.layers.Layer, rank: number): boolean {
  const axis = configOf(layer).axis ?? -1;
  return axis === -1 || axis === rank - 1;
}

/** γ, β, moving mean and variance and ε of a BatchNormalization layer. @internal */
export function batchNormParams(layer: tf.layers.Layer): BatchNormParams {
  const c = configOf(layer);
  const values = layer.getWeights().map((w) => w.dataSync() as Float32Array);
  const scale = c.scale !== false;
  const center = c.center !== false;
  if (values.length !== Number(scale) + Number(center) + 2) {
    throw new ConfigError(`${layerLabel(layer)}: expected ${Number(scale) + Number(center) + 2} weights, got ${values.length}`);
  }
  let i = 0;
  const n = values[values.length - 1].length;
  const gamma = scale ? values[i++] : new Float32Array(n).fill(1);
  const beta = center ? values[i++] : new Float32Array(n);
  return { gamma, beta, mean: values[i], variance: values[i + 1], epsilon: Number(c.epsilon ?? 1e-3) };
}

/** The affine form of a BatchNormalization: scale = γ/√(var+ε), shift = β − μ·scale. @internal */
export function batchNormAffine(layer: tf.layers.Layer): ChannelAffine {
  const p = batchNormParams(layer);
  const n = p.mean.length;
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    scale[c] = p.gamma[c] / Math.sqrt(p.variance[c] + p.epsilon);
    shift[c] = p.beta[c] - p.mean[c] * scale[c];
  }
  return { scale, shift };
}

/**
 * The activation an `Activation` layer (or a `ReLU` layer without a cap)
 * applies, or `undefined` for any other layer.
 * @internal
 */
export function activationOfLayer(layer: tf.layers.Layer): string | undefined {
  const cls = layer.getClassName();
  const c = configOf(layer);
  if (cls === 'Activation') return activationName(c.activation);
  if (cls === 'ReLU' && c.maxValue == null) return 'relu';
  return undefined;
}
