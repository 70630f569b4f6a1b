import { basicBlock } from './basic.js';
import { bottleneckBlock } from './bottleneck.js';
import type { BlockArgs, BlockFactory } from './block.js';
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
 * The block factory for a kind name of `kinds` (the {@link BlockKind}s by
 * default) or a factory itself; throws a {@link ConfigError} listing the
 * valid kinds, and what else is valid (`factoryHint`), otherwise.
 * @internal
 */
export function resolveBlockFactory<A extends BlockArgs = BlockArgs>(
  block: unknown,
  where: string,
  kinds: Readonly<Record<string, BlockFactory<A>>> = KINDS as unknown as Record<string, BlockFactory<A>>,
  factoryHint = 'a block factory made with defineBlock()',
): BlockFactory<A> {
  if (typeof block === 'function' && typeof (block as Partial<BlockFactory>).expansion === 'number') {
    return block as BlockFactory<A>;
  }
  if (typeof block === 'string' && Object.prototype.hasOwnProperty.call(kinds, block)) {
    return kinds[block];
  }
  throw new ConfigError(
    `${where}: unknown block ${describe(block)}; valid values are ${Object.keys(kinds)
      .map((k) => `'${k}'`)
      .join(', ')} or ${factoryHint}`,
  );
}
