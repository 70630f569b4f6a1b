/**
 * Feature extraction: multi-output feature-map models (timm's
 * `features_only`) and their description (timm's `feature_info`).
 *
 * @example
 * ```ts
 * import { resnet18, featuresOnly, featureInfo } from 'tfjs-resnet';
 * const backbone = featuresOnly(resnet18(), { outIndices: [2, 3, 4] });
 * featureInfo(backbone); // [{ name: 'layer2', channels: 128, reduction: 8 }, …]
 * ```
 * @module
 */
export { featuresOnly, type FeaturesOnlyOptions } from './features-only.js';
export { featureInfo, type FeatureInfo } from './feature-info.js';
