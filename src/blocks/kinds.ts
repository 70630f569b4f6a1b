import { basicBlock } from './basic.js';
import { bottleneckBlock } from './bottleneck.js';
import type { BlockFactory } from './block.js';
import { ConfigError } from '../errors.js';
import { describe } from '../validate.js';

/**
 * The names of the built-in block types, usable wherever a
 * {@link BlockFactory} is expected.
 *
 * @example
 * ```ts
 * const kind: BlockKind = 'bottleneck';
 * stage({ block: kind, filters: 64, blocks: 3, name: 'layer1' });
 * ```
 */
export type BlockKind = 'basic' | 'bottleneck';

const KINDS: Record<BlockKind, BlockFactory> = { basic: basicBlock, bottleneck: bottleneckBlock };

/**
 * The block factory for a {@link BlockKind} name or a factory itself; throws a
 * {@link ConfigError} listing the valid kinds otherwise.
 * @internal
 */
export function resolveBlockFactory(block: unknown, where: string): BlockFactory {
  if (typeof block === 'function' && typeof (block as Partial<BlockFactory>).expansion === 'number') {
    return block as BlockFactory;
  }
  if (typeof block === 'string' && Object.prototype.hasOwnProperty.call(KINDS, block)) {
    return KINDS[block as BlockKind];
  }
  throw new ConfigError(
    `${where}: unknown block ${describe(block)}; valid values are ${Object.keys(KINDS).map((k) => `'${k}'`).join(', ')} or a block factory made with defineBlock()`,
  );
}
