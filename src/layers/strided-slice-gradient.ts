import * as tf from '@tensorflow/tfjs';

const KERNEL = 'StridedSlice';

interface StridedSliceAttrs {
  begin: number[];
  end: number[];
  strides?: number[];
  beginMask?: number;
  endMask?: number;
  ellipsisMask?: number;
  newAxisMask?: number;
  shrinkAxisMask?: number;
}

/**
 * Spreads `t` along `axis` to length `length`: element k goes to position
 * `start + k·step` (step ≥ 1), zeros everywhere else.
 */
function spread(t: tf.Tensor, axis: number, { start, step, length }: { readonly start: number; readonly step: number; readonly length: number }): tf.Tensor {
  const shape = t.shape as number[];
  const size = shape[axis];
  let s = t;
  if (step > 1) {
    // [..., size, ...] → [..., size, 1, ...] → pad to [..., size, step, ...] → [..., size·step, ...] → first (size−1)·step+1.
    const expanded = tf.expandDims(s, axis + 1);
    const padding = expanded.shape.map((_, i): [number, number] => (i === axis + 1 ? [0, step - 1] : [0, 0]));
    const merged = [...shape.slice(0, axis), size * step, ...shape.slice(axis + 1)];
    const begin = shape.map(() => 0);
    const sliced = [...shape.slice(0, axis), (size - 1) * step + 1, ...shape.slice(axis + 1)];
    s = tf.slice(tf.reshape(tf.pad(expanded, padding), merged), begin, sliced);
  }
  const used = (size - 1) * step + 1;
  return tf.pad(
    s,
    shape.map((_, i): [number, number] => (i === axis ? [start, length - start - used] : [0, 0])),
  );
}

/**
 * The gradient of `tf.stridedSlice`, which tfjs-core does not define (every
 * gradient through one fails with "gradient function not found for
 * StridedSlice"): `dy` scattered back to the positions the slice read, zeros
 * elsewhere — for any begin, end, strides (negative too) and masks
 * (ellipsis, new and shrunk axes), resolved as the forward op resolves them.
 */
function stridedSliceGrad(dy: tf.Tensor, x: tf.Tensor, attrs: StridedSliceAttrs): tf.Tensor {
  const xShape = x.shape as number[];
  const info = tf.slice_util.sliceInfo(
    xShape,
    attrs.begin,
    attrs.end,
    attrs.strides ?? attrs.begin.map(() => 1),
    attrs.beginMask ?? 0,
    attrs.endMask ?? 0,
    attrs.ellipsisMask ?? 0,
    attrs.newAxisMask ?? 0,
    attrs.shrinkAxisMask ?? 0,
  );
  const sizes = xShape.map((_, i) => {
    const [b, e, s] = [info.begin[i], info.end[i], info.strides[i]];
    return Math.max(0, Math.ceil((s > 0 ? e - b : b - e) / Math.abs(s)));
  });
  if (sizes.some((n) => n === 0)) return tf.zerosLike(x);
  let g = tf.reshape(dy, sizes);
  xShape.forEach((length, axis) => {
    const step = info.strides[axis];
    let start = info.begin[axis];
    if (step < 0) {
      // Read backwards from `begin`: the same positions read forwards from the last one.
      g = tf.reverse(g, axis);
      start -= (sizes[axis] - 1) * -step;
    }
    g = spread(g, axis, { start, step: Math.abs(step), length });
  });
  return g;
}

/**
 * Registers the gradient of `StridedSlice` unless tfjs already has one.
 * Called when tfjs-resnet is imported. @internal
 */
export function registerStridedSliceGradient(): boolean {
  if (tf.getGradient(KERNEL) !== undefined) return false;
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => stridedSliceGrad(dy as tf.Tensor, saved[0], attrs as unknown as StridedSliceAttrs),
    }),
  });
  return true;
}

registerStridedSliceGradient();
