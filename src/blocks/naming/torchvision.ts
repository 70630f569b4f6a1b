// Every layer name of torchvision style: PyTorch module paths of
// torchvision's and timm's ResNets, timm's ResNetV2 and the CIFAR ResNets'
// PyTorch reimplementation — so a state-dict key is `<layer name>.<parameter>`.
// Names of layers without weights (ReLUs, additions, paddings) follow timm's
// module names where it has them.
import type { StyleNames } from './names.js';

/** The torchvision-style naming table. @internal */
export const TORCHVISION_NAMES: StyleNames = {
  resnet: {
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
  },
  // The CIFAR ResNets' PyTorch reimplementation names its classifier `linear`.
  cifar: { classifier: 'linear' },
  preact: {
    preactBn: (b) => `${b}.norm1`,
    preactAct: (b) => `${b}.norm1.act`,
    bn: (b, i) => `${b}.norm${i + 1}`,
    act: (b, i) => `${b}.norm${i + 1}.act`,
    shortcutConv: (b) => `${b}.downsample.conv`,
    shortcutPool: (b) => `${b}.downsample.pool`,
    subsample: (b) => `${b}.downsample.pool`,
    add: (b) => `${b}.add`,
  },
  // timm's ResNetV2 module paths (a Dense `head.fc` holds its 1×1-conv classifier).
  resnetV2: {
    stageName: (i) => `stages.${i}`,
    blockName: (s, j) => `${s}.blocks.${j}`,
    stemConv: (k) => (k === undefined ? 'stem.conv' : `stem.conv${k}`),
    stemBn: (k) => `stem.norm${k}`,
    stemAct: (k) => `stem.norm${k}.act`,
    pool: { pad: 'stem.pool_pad', window: 'stem.pool_window', pool: 'stem.pool' },
    postBn: 'norm',
    postAct: 'norm.act',
    subsample: (i) => `subsample_${i}`,
    globalAvgPool: 'head.global_pool',
    globalMaxPool: 'head.global_pool',
    classifier: 'head.fc',
  },
};
