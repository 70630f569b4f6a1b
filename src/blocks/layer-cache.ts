import type * as tf from '@tensorflow/tfjs';

/**
 * The layers of one block, created on the block's first `apply` and reused
 * on every later one — so applying a block twice shares its weights, as
 * calling a Keras layer twice does.
 * @internal
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
