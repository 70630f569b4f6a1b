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
// Errors
export * from './errors.js';

// Blocks: the residual building blocks and the small pieces they share
export type { ResNetStyle } from './blocks/style.js';
export { RESNET_STYLES } from './blocks/style.js';
export type { WeightInit } from './blocks/init.js';
export { defineBlock, BaseBlock, resolveBlockArgs } from './blocks/block.js';
export type { Block, BlockArgs, BlockFactory, ResolvedBlockArgs } from './blocks/block.js';
export type { ResidualBlockArgs, ResidualFrameArgs, ResolvedResidual } from './blocks/residual.js';
export { RESIDUAL_BLOCK_DEFAULTS, residualFrame, resolveResidual } from './blocks/residual.js';
// The extension kit: units named and padded by a style, built through a block's layer cache
export { conv, batchNorm, relu, convBn, add, addRelu, dropPathIf } from './blocks/conv-bn.js';
export type { ConvArgs, ConvBnArgs, UnitContext } from './blocks/conv-bn.js';
export { LayerCache } from './blocks/layer-cache.js';
export { styleSpec } from './blocks/style.js';
export type { StyleSpec } from './blocks/style.js';
export type { LayerNames } from './blocks/naming/names.js';
export { basicBlock } from './blocks/basic.js';
export type { BasicBlockArgs } from './blocks/basic.js';
export { bottleneckBlock, BOTTLENECK_EXPANSION, BOTTLENECK_DEFAULTS } from './blocks/bottleneck.js';
export type { BottleneckBlockArgs } from './blocks/bottleneck.js';
export { preactBottleneckBlock, preactBasicBlock, PREACT_BOTTLENECK_EXPANSION, PREACT_SHORTCUTS, PREACT_BLOCK_DEFAULTS } from './blocks/preact.js';
export type { PreactBlockArgs, PreactShortcut } from './blocks/preact.js';
export { projectionShortcut, SHORTCUT_TYPES } from './blocks/residual.js';
export type { ProjectionShortcutArgs, ShortcutType } from './blocks/residual.js';
export type { AttentionContext, BlockAttention } from './blocks/attention.js';
export { squeezeExcite, makeDivisible, SQUEEZE_EXCITE_DEFAULTS } from './blocks/squeeze-excite.js';
export type { SqueezeExciteArgs } from './blocks/squeeze-excite.js';
export type { BlockKind } from './blocks/kinds.js';

// Stages
export { stage } from './stages/stage.js';
export type { Stage, StageArgs } from './stages/stage.js';

// Models: the general builders, presets, the registry, what was built
export { resnet, RESNET_DEPTHS } from './models/resnet.js';
export type { ResNetConfig, ResNetDepth } from './models/resnet.js';
export { resnet18, resnet34, resnet50, resnet101, resnet152 } from './models/resnet.js';
export type { TorchvisionWeightsName, PresetWeightsOptions } from './models/preset-weights.js';
export { resnetV2, resnet50v2, resnet101v2, resnet152v2, RESNETV2_DEPTHS } from './models/resnetv2.js';
export type { ResNetV2Config, PreactBlockKind } from './models/resnetv2.js';
export { cifarResnet, CIFAR_DEFAULTS } from './models/cifar.js';
export type { CifarResNetOptions } from './models/cifar.js';
export { STEM_TYPES } from './models/stem.js';
export type { StemType } from './models/stem.js';
export { DEFAULT_OPTIONS } from './models/options.js';
export type { ResNetOptions } from './models/options.js';
export { createModel, listModels, getModel, registerModel, unregisterModel, MODEL_SOURCES } from './models/registry.js';
export type { BuiltinModelName } from './models/catalogs/index.js';
export type {
  ModelName,
  CreateModelOptions,
  CreateModelWithWeightsOptions,
  CreatePretrainedOptions,
  ModelSource,
  ModelDefinition,
  RegisteredModel,
  ModelReference,
  ModelFilter,
  RegisterModelOptions,
} from './models/registry.js';
export { modelInfo } from './models/model-info.js';
export type { FeatureLevel, ModelInfo } from './models/model-info.js';
export { summarize, layerMacs } from './models/summary.js';
export type { ModelSummary, SummarySection } from './models/summary.js';

// Custom layers (registered for serialization at import)
export * from './layers/index.js';

// Weights, bytes, backends
export * from './weights/index.js';
export * from './pretrained/index.js';
export * from './io/index.js';
export * from './backend/index.js';

// Applications
export * from './imagenet/index.js';
export * from './features/index.js';
export * from './transfer/index.js';
export * from './experiments/index.js';

// Fast inference
export * from './inference/index.js';
export * from './onnx/index.js';
