import type { ModelDefinition, ModelReference, ModelSource } from '../registry-types.js';
import { resnet, type ResNetConfig } from '../resnet.js';

/** A family's models by name: what a catalog file exports. @internal */
export type ModelCatalog = Readonly<Record<string, ModelDefinition>>;

export type { ModelDefinition };

/** A registry entry for a network built by `resnet(config)`. @internal */
export function configModel(source: ModelSource, description: string, config: ResNetConfig, reference?: ModelReference): ModelDefinition {
  return { source, description, config, reference, build: (options) => resnet(config, options) };
}
