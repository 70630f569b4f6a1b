/**
 * Published weights by name: the catalog (torchvision, timm, Keras
 * Applications, akamaster's CIFAR-10 nets), a verified cache with offline mode
 * and mirrors, and each weight's own preprocessing.
 *
 * @example
 * ```ts
 * import { createModel, listPretrained } from 'tfjs-resnet';
 * console.log(listPretrained('resnet50').map((w) => w.tag));
 * const model = await createModel('resnet50', { pretrained: true });
 * ```
 * @module
 */
export type { PretrainedOrigin, WeightsFormat, WeightsDigest, WeightsFile, LabelSet, PretrainedDataSpec, PretrainedWeights } from './entry.js';
export { PRETRAINED_ORIGINS } from './entry.js';
export { listPretrained, getPretrained, type PretrainedFilter } from './catalog.js';
export type { PretrainedTag } from './catalog-data.js';
export { mirrorUrl, DEFAULT_DOWNLOAD_TIMEOUT_MS, type PretrainedOptions, type DownloadProgress } from './options.js';
export { downloadPretrained, cacheInfo, clearCache, type CacheInfo, type CacheEntry } from './cache.js';
export { pretrainedInfo, type PretrainedInfo, type ClassifierState } from './info.js';
export { resolveDataConfig, type ResolveDataConfigOptions } from './data-config.js';
export { CIFAR10_CLASSES, labelNames } from './labels.js';
