import * as tf from '@tensorflow/tfjs';
import type { UnitContext } from '../blocks/conv-bn.js';
import { denseInits } from '../blocks/init.js';

/** What follows the last stage. @internal */
export interface HeadArgs {
  includeTop: boolean;
  classes: number;
  pooling: 'avg' | 'max' | null;
  classifierActivation: 'softmax' | 'linear';
}

/**
 * Global average pooling and the dense classifier (`includeTop`), or the
 * optional global pooling of a backbone — Keras Applications' head.
 * @internal
 */
export function head(x: tf.SymbolicTensor, a: HeadArgs, ctx: UnitContext): tf.SymbolicTensor {
  const { spec } = ctx;
  const pooling = a.includeTop ? 'avg' : a.pooling;
  let y = x;
  if (pooling === 'avg') {
    y = ctx.cache
      .get(spec.globalAvgPool, () => tf.layers.globalAveragePooling2d({ name: spec.globalAvgPool }))
      .apply(y) as tf.SymbolicTensor;
  } else if (pooling === 'max') {
    y = ctx.cache
      .get(spec.globalMaxPool, () => tf.layers.globalMaxPooling2d({ name: spec.globalMaxPool }))
      .apply(y) as tf.SymbolicTensor;
  }
  if (!a.includeTop) return y;
  return ctx.cache
    .get(spec.classifier, () =>
      tf.layers.dense({
        units: a.classes,
        activation: a.classifierActivation,
        name: spec.classifier,
        ...denseInits(spec, ctx.init),
      }),
    )
    .apply(y) as tf.SymbolicTensor;
}
