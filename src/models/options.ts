import type { ResNetStyle } from '../blocks/style.js';
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
}

/** Defaults of {@link ResNetOptions}, stated once. */
export const DEFAULT_OPTIONS = {
  inputShape: [224, 224, 3] as [number | null, number | null, number],
  includeTop: true,
  classes: 1000,
  pooling: null,
  classifierActivation: 'softmax',
  style: 'torchvision',
  init: 'default',
} as const satisfies Omit<Required<ResNetOptions>, 'name'>;
