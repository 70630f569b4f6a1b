// Every layer name of Keras style: the layer names of keras.applications
// ResNet (v1) and ResNetV2, so their weights load by name.
import type { StyleNames } from './names.js';

/** The Keras-style naming table. @internal */
export const KERAS_NAMES: StyleNames = {
  resnet: {
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
  },
  cifar: {},
  preact: {
    preactBn: (b) => `${b}_preact_bn`,
    preactAct: (b) => `${b}_preact_relu`,
    bn: (b, i) => `${b}_${i}_bn`,
    act: (b, i) => `${b}_${i}_relu`,
    shortcutConv: (b) => `${b}_0_conv`,
    shortcutPool: (b) => `${b}_0_pool`,
    subsample: (b) => `${b}_0_pool`,
    add: (b) => `${b}_out`,
  },
  resnetV2: {
    stageName: (i) => `conv${i + 2}`,
    blockName: (stage, i) => `${stage}_block${i + 1}`,
    stemConv: (k) => (k === undefined ? 'conv1_conv' : `conv1_${k}_conv`),
    stemBn: (k) => `conv1_${k}_bn`,
    stemAct: (k) => `conv1_${k}_relu`,
    pool: { pad: 'pool1_pad', window: 'pool1_window', pool: 'pool1_pool' },
    postBn: 'post_bn',
    postAct: 'post_relu',
    // Keras auto-names them in a fresh session: max_pooling2d, max_pooling2d_1, …
    subsample: (i) => (i === 0 ? 'max_pooling2d' : `max_pooling2d_${i}`),
    globalAvgPool: 'avg_pool',
    globalMaxPool: 'max_pool',
    classifier: 'predictions',
  },
};
