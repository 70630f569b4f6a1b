/**
 * tfjs-resnet: exact, composable residual networks for TensorFlow.js.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { resnet50 } from 'tfjs-resnet';
 * const model = resnet50({ classifierActivation: 'linear' });
 * const logits = model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
 * ```
 * @packageDocumentation
 */
export * from './errors.js';
export type { ResNetStyle } from './blocks/style.js';
export { RESNET_STYLES } from './blocks/style.js';
export type { WeightInit } from './blocks/init.js';
export { defineBlock } from './blocks/block.js';
export type { Block, BlockArgs, BlockFactory } from './blocks/block.js';
export { basicBlock } from './blocks/basic.js';
export type { BasicBlockArgs } from './blocks/basic.js';
export { bottleneckBlock, BOTTLENECK_EXPANSION } from './blocks/bottleneck.js';
export type { BottleneckBlockArgs } from './blocks/bottleneck.js';
export { projectionShortcut } from './blocks/shortcut.js';
export type { ProjectionShortcutArgs } from './blocks/shortcut.js';
export type { BlockKind } from './blocks/kinds.js';
export { stage } from './stages/stage.js';
export type { Stage, StageArgs } from './stages/stage.js';
export { resnet, RESNET_DEPTHS } from './models/resnet.js';
export type { ResNetConfig, ResNetDepth } from './models/resnet.js';
export { resnet18, resnet34, resnet50, resnet101, resnet152 } from './models/presets.js';
export { DEFAULT_OPTIONS } from './models/options.js';
export type { ResNetOptions } from './models/options.js';
export { modelInfo } from './models/model-info.js';
export type { FeatureLevel, ModelInfo } from './models/model-info.js';
export { summarize, layerMacs } from './models/summary.js';
export type { ModelSummary, SummarySection } from './models/summary.js';
export * from './io/index.js';
export * from './backend/index.js';
export * from './imagenet/index.js';
export * from './weights/index.js';
export * from './layers/index.js';
