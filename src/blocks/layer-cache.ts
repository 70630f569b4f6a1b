import type * as tf from '@tensorflow/tfjs';

/**
 * The layers of one block, created on the block's first `apply` and reused
 * on every later one — so applying a block twice shares its weights, as
 * calling a Keras layer twice does. A {@link BaseBlock} has one
 * (`this.cache`); the units of a block (`conv`, `convBn`, …) make their
 * layers through it, and so can a new block's own layers.
 *
 * @example
 * ```ts
 * const cache = new LayerCache();
 * const concat = cache.get('b.cat', () => tf.layers.concatenate({ name: 'b.cat' }));
 * cache.get('b.cat', () => tf.layers.concatenate({ name: 'b.cat' })) === concat; // true
 * ```
 */
export class LayerCache {
  private readonly layers = new Map<string, tf.layers.Layer>();

  /** The layer named `name`, created by `create` the first time it is asked for. */
  get<L extends tf.layers.Layer>(name: string, create: () => L): L {
    let layer = this.layers.get(name);
    if (layer === undefined) {
      layer = create();
      this.layers.set(name, layer);
    }
    return layer as L;
  }

  /** Every layer created so far, in creation order. */
  all(): tf.layers.Layer[] {
    return [...this.layers.values()];
  }
}
