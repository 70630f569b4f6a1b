/**
 * Transfer learning: freezing and unfreezing by stage, a new classifier on
 * a backbone, and BatchNorm layers that stay in inference mode while frozen.
 *
 * @example
 * ```ts
 * import { resnet18, replaceHead, freezeUpTo } from 'tfjs-resnet';
 * const model = replaceHead(resnet18(), 4);
 * freezeUpTo(model, 'layer3');
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * ```
 * @module
 */
export { freezeUpTo, freezeStages, unfreeze, type FreezeResult } from './freeze.js';
export { guardFrozenBatchNorm } from './frozen-batch-norm.js';
export { replaceHead, DEFAULT_REPLACE_HEAD_OPTIONS, type ReplaceHeadOptions, type HeadActivation } from './replace-head.js';
