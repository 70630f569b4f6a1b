import { RESNET_STYLES, type ResNetStyle } from '../blocks/style.js';
import { ConfigError } from '../errors.js';
import { checkBoolean, checkInteger, checkOneOf, checkRate, describe } from '../validate.js';
import type { WeightInit } from '../blocks/init.js';

/**
 * Options of every model builder, named as in Keras Applications.
 *
 * @example
 * ```ts
 * const options: ResNetOptions = { includeTop: false, pooling: 'avg', inputShape: [null, null, 3] };
 * const backbone = resnet50(options);
 * ```
 */
export interface ResNetOptions {
  /**
   * Input shape without the batch axis, `[height, width, channels]`; height
   * and width may be `null` for fully-convolutional use.
   * @defaultValue `[224, 224, 3]`
   */
  inputShape?: [number | null, number | null, number];
  /**
   * Whether to end with global average pooling and the dense classifier.
   * @defaultValue true
   */
  includeTop?: boolean;
  /**
   * Number of classes of the classifier.
   * @defaultValue 1000
   */
  classes?: number;
  /**
   * With `includeTop: false`: `'avg'` or `'max'` global pooling to a vector,
   * or `null` to return the last feature map.
   * @defaultValue null
   */
  pooling?: 'avg' | 'max' | null;
  /**
   * Activation of the classifier: `'softmax'` (Keras) or `'linear'`
   * (logits, as torchvision returns).
   * @defaultValue `'softmax'`
   */
  classifierActivation?: 'softmax' | 'linear';
  /**
   * Build and naming rules: torchvision's ResNet v1.5 or Keras Applications'.
   * @defaultValue `'torchvision'`
   */
  style?: ResNetStyle;
  /**
   * The model's name.
   * @defaultValue `'resnet50'` etc. for presets, `'resnet'` for custom configs
   */
  name?: string;
  /**
   * Weight initialisation; `'zeros'` builds fast for weights about to be loaded.
   * @defaultValue `'default'`
   */
  init?: WeightInit;
  /**
   * Output stride of the last feature map: 32 (the standard network), 16 or
   * 8 — the last one or two strided stages keep their resolution and dilate
   * their convolutions instead (timm's `output_stride`, the same as
   * torchvision's `replace_stride_with_dilation` `[false, false, true]` /
   * `[false, true, true]`). Weights are unchanged.
   * @defaultValue 32
   */
  outputStride?: 8 | 16 | 32;
  /**
   * Stochastic depth (Huang et al. 2016) as timm's `drop_path_rate`: block i
   * of n drops its residual branch with probability `dropPathRate · i/(n−1)`
   * in training; identity at inference; no layers when 0.
   * @defaultValue 0
   */
  dropPathRate?: number;
  /**
   * Initialise the last BN scale of every block to zero, so each block
   * starts as the identity (torchvision's `zero_init_residual`, timm's
   * `zero_init_last`). Irrelevant once weights are loaded.
   * @defaultValue false
   */
  zeroInitLastBn?: boolean;
}

/** Defaults of {@link ResNetOptions}, stated once. */
export const DEFAULT_OPTIONS = {
  /** Default of {@link ResNetOptions.inputShape}: ImageNet's 224×224 RGB. */
  inputShape: [224, 224, 3] as [number | null, number | null, number],
  /** Default of {@link ResNetOptions.includeTop}: with the classifier. */
  includeTop: true,
  /** Default of {@link ResNetOptions.classes}: ImageNet's 1000. */
  classes: 1000,
  /** Default of {@link ResNetOptions.pooling}: no pooling without the top. */
  pooling: null,
  /** Default of {@link ResNetOptions.classifierActivation}. */
  classifierActivation: 'softmax',
  /** Default of {@link ResNetOptions.style}. */
  style: 'torchvision',
  /** Default of {@link ResNetOptions.init}: random initialisation. */
  init: 'default',
  /** Default of {@link ResNetOptions.outputStride}: no dilation. */
  outputStride: 32,
  /** Default of {@link ResNetOptions.dropPathRate}: no stochastic depth. */
  dropPathRate: 0,
  /** Default of {@link ResNetOptions.zeroInitLastBn}. */
  zeroInitLastBn: false,
} as const satisfies Omit<Required<ResNetOptions>, 'name'>;

/** Validates builder options and fills in their defaults; throws a {@link ConfigError}. @internal */
export function resolveOptions(options: ResNetOptions) {
  const where = `resnet "${options.name ?? 'resnet'}"`;
  const o = { ...DEFAULT_OPTIONS, name: 'resnet', ...options };
  if (typeof o.name !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9._/]*$/.test(o.name)) {
    throw new ConfigError(
      `${where}: name must be a string of letters, digits and - . _ / starting with a letter or digit (a valid tfjs name), got ${describe(o.name)}`,
    );
  }
  const shape = o.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d, i) => (d === null && i < 2) || (typeof d === 'number' && Number.isInteger(d) && d > 0))) {
    throw new ConfigError(
      `${where}: inputShape must be [height, width, channels] with positive integers (height and width may be null), got ${describe(shape)}`,
    );
  }
  checkBoolean(o.includeTop, where, 'includeTop');
  checkInteger(o.classes, where, 'classes');
  checkOneOf(o.pooling, ['avg', 'max', null], where, 'pooling');
  checkOneOf(o.classifierActivation, ['softmax', 'linear'], where, 'classifierActivation');
  checkOneOf(o.style, RESNET_STYLES, where, 'style');
  checkOneOf(o.init, ['default', 'zeros'], where, 'init');
  checkOneOf(o.outputStride, [8, 16, 32], where, 'outputStride');
  checkRate(o.dropPathRate, where, 'dropPathRate');
  checkBoolean(o.zeroInitLastBn, where, 'zeroInitLastBn');
  return o;
}
