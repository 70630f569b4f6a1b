/**
 * Custom serializable tfjs layers of tfjs-resnet: {@link GroupedConv2D}
 * (PyTorch's grouped convolution), {@link DropPath} (timm's stochastic depth),
 * {@link ShortcutPadChannels} (the CIFAR ResNets' "option A" shortcut) and
 * {@link AddActivation} (a residual sum and its activation in one layer).
 * Importing this module registers them with `tf.serialization`, so
 * `tf.loadLayersModel` reads saved models that contain them.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { groupedConv2d } from 'tfjs-resnet';
 * const x = tf.input({ shape: [56, 56, 128] });
 * const y = groupedConv2d({ filters: 128, kernelSize: 3, padding: 'same', groups: 32 }).apply(x) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: x, outputs: y });
 * await model.save('indexeddb://grouped');
 * const again = await tf.loadLayersModel('indexeddb://grouped'); // GroupedConv2D is known to tfjs
 * ```
 * @module
 */
export { GroupedConv2D, groupedConv2d } from './grouped-conv2d.js';
export type { GroupedConv2DArgs, GroupedConv2DPadding } from './grouped-conv2d.js';
export { AddActivation, addActivation } from './add-activation.js';
export type { AddActivationArgs } from './add-activation.js';
export { DropPath, dropPath } from './drop-path.js';
export type { DropPathArgs } from './drop-path.js';
export { ShortcutPadChannels, shortcutPadChannels } from './shortcut-pad-channels.js';
export type { ChannelPadding, ShortcutPadChannelsArgs } from './shortcut-pad-channels.js';
export { LAYER_ACTIVATIONS, LAYER_INITIALIZERS } from './layer-utils.js';
export type { LayerActivation, LayerInitializer } from './layer-utils.js';
