import type { ModelCatalog } from './define.js';
import { TORCHVISION_MODELS } from './torchvision.js';
import { TIMM_MODELS } from './timm.js';
import { RESNETV2_MODELS } from '../resnetv2.js';
import { CIFAR_MODELS } from '../cifar.js';

/**
 * The library's model families, registered on first use of the registry. A
 * new family exports a {@link ModelCatalog} from its own file and is added
 * here (an import and one list entry), so its names need no side-effect
 * import to exist.
 * @internal
 */
export const BUILTIN_CATALOGS: readonly ModelCatalog[] = [TORCHVISION_MODELS, TIMM_MODELS, RESNETV2_MODELS, CIFAR_MODELS];

export type { ModelCatalog };
