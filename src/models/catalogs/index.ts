import type { ModelCatalog } from './define.js';
import { TORCHVISION_MODELS } from './torchvision.js';
import { TIMM_MODELS } from './timm.js';
import { RESNETV2_MODELS } from './resnetv2.js';
import { CIFAR_MODELS } from './cifar.js';

/**
 * The library's model families, registered on first use of the registry. A
 * new family exports a {@link ModelCatalog} table (`as const satisfies
 * ModelCatalog`, so its names are literal types) from its own file here and
 * is added below (an import, one list entry and one union member), so its
 * names need no side-effect import to exist and editors complete them.
 * @internal
 */
export const BUILTIN_CATALOGS: readonly ModelCatalog[] = [TORCHVISION_MODELS, TIMM_MODELS, RESNETV2_MODELS, CIFAR_MODELS];

/**
 * The names of the library's built-in models, as a literal union:
 * `'resnet18' | 'resnet50d' | 'resnetv2_50' | 'resnet20' | …`.
 *
 * @example
 * ```ts
 * const name: BuiltinModelName = 'resnext50_32x4d';
 * const model = createModel(name);
 * ```
 * @useDeclaredType
 */
export type BuiltinModelName = keyof typeof TORCHVISION_MODELS | keyof typeof TIMM_MODELS | keyof typeof RESNETV2_MODELS | keyof typeof CIFAR_MODELS;

export type { ModelCatalog };
