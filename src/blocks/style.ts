import type { LayerNames, StyleNames } from './naming/names.js';
import { TORCHVISION_NAMES } from './naming/torchvision.js';
import { KERAS_NAMES } from './naming/keras.js';

/**
 * How a network is built and named: `'torchvision'` (ResNet v1.5 as torchvision
 * and timm build it, layers named by their PyTorch module path) or `'keras'`
 * (an exact replica of `keras.applications` ResNet, layers named as Keras names
 * them).
 *
 * @example
 * ```ts
 * const style: ResNetStyle = 'keras';
 * const model = resnet50({ style });
 * model.getLayer('conv2_block1_1_conv');
 * ```
 */
export type ResNetStyle = 'torchvision' | 'keras';

/** Every style, in documentation order. */
export const RESNET_STYLES: readonly ResNetStyle[] = ['torchvision', 'keras'];

/** The default style: torchvision's ResNet v1.5. */
export const DEFAULT_STYLE: ResNetStyle = 'torchvision';

/**
 * The names of the layers of one residual block (given its prefix), of the
 * stem and of the head, in a style. Layer names are how weights are matched:
 * torchvision-style names are PyTorch module paths (`layer1.0.conv1`), so a
 * state-dict key is `<layer name>.<parameter>`. A new block type names its
 * layers through it (`spec.conv(name, 1)`, `spec.sub(name, 'convs')`), so it
 * follows the style chosen for the network.
 *
 * @example
 * ```ts
 * const spec = styleSpec('torchvision');
 * spec.conv('layer1.0', 2); // 'layer1.0.conv2'
 * styleSpec('keras').conv('conv2_block1', 2); // 'conv2_block1_2_conv'
 * ```
 */
export interface StyleSpec extends LayerNames {
  /** The style. */
  readonly name: ResNetStyle;
  /** Convolutions carry a bias (Keras) or not (torchvision: BN follows). */
  readonly convBias: boolean;
  /** BatchNormalization epsilon: 1e-5 in PyTorch, 1.001e-5 in Keras ResNet. */
  readonly epsilon: number;
  /** BatchNormalization momentum in Keras terms (PyTorch's 0.1 is Keras's 0.9). */
  readonly momentum: number;
  /**
   * `'symmetric'`: PyTorch's explicit padding of `dilation·(k−1)/2` on every
   * side; `'same'`: tfjs/Keras `'same'` (asymmetric at stride 2).
   */
  readonly padding: 'symmetric' | 'same';
  /** Where a bottleneck block puts its stride: on the 3×3 (v1.5) or the first 1×1 (v1). */
  readonly bottleneckStride: 'conv2' | 'conv1';
  /** Blocks create their shortcut before their main path (Keras's layer order). */
  readonly shortcutFirst: boolean;
  /** Initializer of convolution kernels. */
  readonly convInit: 'kaimingFanOut' | 'glorotUniform';
}

const torchvision: StyleSpec = {
  name: 'torchvision',
  convBias: false,
  epsilon: 1e-5,
  momentum: 0.9,
  padding: 'symmetric',
  bottleneckStride: 'conv2',
  shortcutFirst: false,
  convInit: 'kaimingFanOut',
  ...TORCHVISION_NAMES.resnet,
};

const keras: StyleSpec = {
  name: 'keras',
  convBias: true,
  epsilon: 1.001e-5,
  momentum: 0.99,
  padding: 'same',
  bottleneckStride: 'conv1',
  shortcutFirst: true,
  convInit: 'glorotUniform',
  ...KERAS_NAMES.resnet,
};

const SPECS: Record<ResNetStyle, StyleSpec> = { torchvision, keras };
const NAMES: Record<ResNetStyle, StyleNames> = { torchvision: TORCHVISION_NAMES, keras: KERAS_NAMES };

/**
 * The build and naming rules of a style.
 *
 * @example
 * ```ts
 * styleSpec('keras').epsilon; // 1.001e-5
 * ```
 */
export function styleSpec(style: ResNetStyle): StyleSpec {
  return SPECS[style];
}

/** Every layer name of a style (its naming table: ./naming/torchvision.ts, ./naming/keras.ts). @internal */
export function styleNames(style: ResNetStyle): StyleNames {
  return NAMES[style];
}
