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
export interface StyleSpec {
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
  /** The name of stage `index` (from 0): `layer1` …, `conv2` …. */
  stageName(index: number): string;
  /** The name of block `index` (from 0) of a stage: `layer1.0`, `conv2_block1`. */
  blockName(stage: string, index: number): string;
  /** The i-th convolution of a block (from 1): `<block>.conv<i>`, `<block>_<i>_conv`. */
  conv(block: string, i: number): string;
  /** The i-th BatchNorm of a block: `<block>.bn<i>`, `<block>_<i>_bn`. */
  bn(block: string, i: number): string;
  /** The i-th ReLU of a block: `<block>.act<i>`, `<block>_<i>_relu`. */
  act(block: string, i: number): string;
  /** The ZeroPadding2D before a convolution or pool of that name: `<conv>_pad`. */
  pad(convName: string): string;
  /** A sub-module name: `<prefix>.<part>` (torchvision) or `<prefix>_<part>` (Keras). */
  sub(prefix: string, part: string): string;
  /** The attention module (SE, ECA, …) of a block: timm's `<block>.se`. */
  attention(block: string): string;
  /** The stochastic-depth layer of a block: timm's `<block>.drop_path`. */
  dropPath(block: string): string;
  /** A block's shortcut: `<block>.downsample`, `<block>_0`. */
  shortcut(block: string): string;
  /** The projection shortcut's convolution: `<shortcut>.0`, `<shortcut>_conv`. */
  shortcutConv(shortcut: string): string;
  /** The projection shortcut's BatchNorm: `<shortcut>.1`, `<shortcut>_bn`. */
  shortcutBn(shortcut: string): string;
  /** ResNet-D average-pool shortcut: pool, conv, BN (timm's `downsample.0/.1/.2`). */
  avgDownPool(shortcut: string): string;
  /** ResNet-D average-pool shortcut's convolution. */
  avgDownConv(shortcut: string): string;
  /** ResNet-D average-pool shortcut's BatchNorm. */
  avgDownBn(shortcut: string): string;
  /** A block's residual addition: `<block>.add`, `<block>_add`. */
  add(block: string): string;
  /** A block's output ReLU: timm's `<block>.act<convCount>`, Keras's `<block>_out`. */
  out(block: string, convCount: number): string;
  /** The stem's layers: convolution, BatchNorm, ReLU, the max pool's padding and the max pool. */
  readonly stem: { conv: string; bn: string; act: string; poolPad: string; pool: string };
  /**
   * The i-th module of a deep stem (timm's `conv1` Sequential: 0 conv, 1 BN,
   * 2 ReLU, 3 conv, 4 BN, 5 ReLU, 6 conv), followed by `stem.bn` and `stem.act`.
   */
  deepStem(i: number): string;
  /** The head's global average pooling. */
  readonly globalAvgPool: string;
  /** The head's global max pooling. */
  readonly globalMaxPool: string;
  /** The classifier: `fc`, `predictions`. */
  readonly classifier: string;
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
  stageName: (i) => `layer${i + 1}`,
  blockName: (stage, i) => `${stage}.${i}`,
  conv: (b, i) => `${b}.conv${i}`,
  bn: (b, i) => `${b}.bn${i}`,
  act: (b, i) => `${b}.act${i}`,
  pad: (conv) => `${conv}_pad`,
  sub: (p, part) => `${p}.${part}`,
  attention: (b) => `${b}.se`,
  dropPath: (b) => `${b}.drop_path`,
  shortcut: (b) => `${b}.downsample`,
  shortcutConv: (s) => `${s}.0`,
  shortcutBn: (s) => `${s}.1`,
  // timm's downsample_avg keeps the indices when the pool is nn.Identity.
  avgDownPool: (s) => `${s}.0`,
  avgDownConv: (s) => `${s}.1`,
  avgDownBn: (s) => `${s}.2`,
  add: (b) => `${b}.add`,
  // timm's names: the activation after the addition is act<number of convs>.
  out: (b, n) => `${b}.act${n}`,
  stem: { conv: 'conv1', bn: 'bn1', act: 'act1', poolPad: 'maxpool_pad', pool: 'maxpool' },
  deepStem: (i) => `conv1.${i}`,
  globalAvgPool: 'global_pool',
  globalMaxPool: 'global_pool',
  classifier: 'fc',
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
  stageName: (i) => `conv${i + 2}`,
  blockName: (stage, i) => `${stage}_block${i + 1}`,
  conv: (b, i) => `${b}_${i}_conv`,
  bn: (b, i) => `${b}_${i}_bn`,
  act: (b, i) => `${b}_${i}_relu`,
  pad: (conv) => `${conv.replace(/_conv$/, '')}_pad`,
  sub: (p, part) => `${p}_${part}`,
  attention: (b) => `${b}_se`,
  dropPath: (b) => `${b}_drop_path`,
  shortcut: (b) => `${b}_0`,
  shortcutConv: (s) => `${s}_conv`,
  shortcutBn: (s) => `${s}_bn`,
  avgDownPool: (s) => `${s}_pool`,
  avgDownConv: (s) => `${s}_conv`,
  avgDownBn: (s) => `${s}_bn`,
  add: (b) => `${b}_add`,
  out: (b) => `${b}_out`,
  stem: { conv: 'conv1_conv', bn: 'conv1_bn', act: 'conv1_relu', poolPad: 'pool1_pad', pool: 'pool1_pool' },
  deepStem: (i) => `conv1_${Math.floor(i / 3) + 1}_${['conv', 'bn', 'relu'][i % 3]}`,
  globalAvgPool: 'avg_pool',
  globalMaxPool: 'max_pool',
  classifier: 'predictions',
};

const SPECS: Record<ResNetStyle, StyleSpec> = { torchvision, keras };

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
