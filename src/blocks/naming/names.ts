// The types of the naming tables: every layer name a network of a style
// can have, as templates. One table per style: ./torchvision.ts, ./keras.ts.

/**
 * The layer names of a residual network (ResNet v1 and the CIFAR nets) and of
 * the blocks built on its units, as templates of the block, stage or module
 * prefix. A {@link StyleSpec} has them all.
 *
 * @example
 * ```ts
 * const names: LayerNames = styleSpec('torchvision');
 * names.shortcutConv(names.shortcut('layer2.0')); // 'layer2.0.downsample.0'
 * ```
 */
export interface LayerNames {
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
  readonly stem: {
    /** The stem's (last) convolution: `conv1`, `conv1_conv`. */
    conv: string;
    /** Its BatchNorm: `bn1`, `conv1_bn`. */
    bn: string;
    /** Its ReLU (timm's first feature level): `act1`, `conv1_relu`. */
    act: string;
    /** The max pool's zero padding. */
    poolPad: string;
    /** The max pool: `maxpool`, `pool1_pool`. */
    pool: string;
  };
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

/** The names of a pre-activation block's layers. @internal */
export interface PreactNames {
  /** The pre-activation BN. */
  preactBn(block: string): string;
  /** The pre-activation ReLU. */
  preactAct(block: string): string;
  /** The BN after convolution `i` (1-based). */
  bn(block: string, i: number): string;
  /** The ReLU after convolution `i` (1-based). */
  act(block: string, i: number): string;
  /** The shortcut's 1×1 convolution. */
  shortcutConv(block: string): string;
  /** The average pool before the shortcut's convolution (ResNet-D). */
  shortcutPool(block: string): string;
  /** The 1×1 max pool subsampling an unprojected strided shortcut. */
  subsample(block: string): string;
  /** The residual addition. */
  add(block: string): string;
}

/** The names of a pre-activation network's layers outside its blocks. @internal */
export interface ResNetV2Names {
  /** The name of stage `index` (from 0). */
  stageName(index: number): string;
  /** The name of block `index` (from 0) of a stage. */
  blockName(stage: string, index: number): string;
  /** The stem's convolution (`k` undefined) or the k-th convolution of a deep stem. */
  stemConv(k: number | undefined): string;
  /** The BN after the k-th convolution of a deep stem. */
  stemBn(k: number): string;
  /** The ReLU after the k-th convolution of a deep stem. */
  stemAct(k: number): string;
  /** The stem's max pool: its padding, timm's exact −∞-padded window, the pool. */
  readonly pool: { readonly pad: string; readonly window: string; readonly pool: string };
  /** The final BN. */
  readonly postBn: string;
  /** The final ReLU. */
  readonly postAct: string;
  /** The i-th unprojected strided shortcut's 1×1 max pool (counted over the network). */
  subsample(i: number): string;
  /** The head's global average pooling. */
  readonly globalAvgPool: string;
  /** The head's global max pooling. */
  readonly globalMaxPool: string;
  /** The classifier. */
  readonly classifier: string;
}

/** Every layer name of a style: one table per style. @internal */
export interface StyleNames {
  /** ResNet v1 (and every block built on the units of `conv-bn`). */
  readonly resnet: LayerNames;
  /** The CIFAR nets' names where they differ from `resnet`. */
  readonly cifar: Partial<LayerNames>;
  /** Pre-activation blocks. */
  readonly preact: PreactNames;
  /** Pre-activation networks outside their blocks. */
  readonly resnetV2: ResNetV2Names;
}
