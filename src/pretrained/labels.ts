/**
 * Class names of the label sets of published weights.
 * @module
 */
import { IMAGENET_CLASSES } from '../imagenet/classes.js';
import type { LabelSet } from './entry.js';

/**
 * The ten CIFAR-10 classes, in the dataset's label order.
 *
 * @example
 * ```ts
 * CIFAR10_CLASSES[3]; // 'cat'
 * ```
 */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);

/**
 * The class names of a label set, by class index.
 *
 * @example
 * ```ts
 * labelNames(getPretrained('resnet32').labels)[0]; // 'airplane'
 * ```
 */
export function labelNames(labels: LabelSet): readonly string[] {
  return labels === 'cifar-10' ? CIFAR10_CLASSES : IMAGENET_CLASSES;
}
