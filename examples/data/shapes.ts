/**
 * A small, deterministic image dataset for the examples: coloured shapes
 * (disks, squares, triangles, bars, rings, diamonds, crosses) drawn at random
 * positions, sizes and rotations on noisy textured backgrounds. Everything
 * comes from a seeded generator, so every run sees the same images.
 */
import * as tf from '@tensorflow/tfjs';

/** The shapes the generator can draw. */
export const SHAPES = ['disk', 'square', 'triangle', 'bar', 'ring', 'diamond', 'cross'] as const;
export type Shape = (typeof SHAPES)[number];

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether the point (u, v), in the shape's own frame (unit size, centred), is inside `shape`. */
function inside(shape: Shape, u: number, v: number): boolean {
  const r = Math.hypot(u, v);
  switch (shape) {
    case 'disk':
      return r < 1;
    case 'ring':
      return r < 1 && r > 0.55;
    case 'square':
      return Math.abs(u) < 0.8 && Math.abs(v) < 0.8;
    case 'diamond':
      return Math.abs(u) + Math.abs(v) < 1;
    case 'triangle':
      return v < 0.7 && v > -0.9 + (1.6 / 0.9) * Math.abs(u);
    case 'bar':
      return Math.abs(u) < 1 && Math.abs(v) < 0.3;
    case 'cross':
      return (Math.abs(u) < 1 && Math.abs(v) < 0.25) || (Math.abs(v) < 1 && Math.abs(u) < 0.25);
  }
}

/**
 * `count` images of `size`×`size` pixels (values 0..1, NHWC) of the given
 * classes, balanced, with one-hot labels.
 */
export function shapesDataset(classes: readonly Shape[], count: number, seed: number, size = 32): { xs: tf.Tensor4D; ys: tf.Tensor2D; labels: number[] } {
  const random = seededRandom(seed);
  const pixels = new Float32Array(count * size * size * 3);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const label = n % classes.length;
    labels.push(label);
    const shape = classes[label];
    const bg = [random(), random(), random()].map((c) => 0.2 + 0.5 * c);
    const fg = bg.map((c) => (c + 0.35 + 0.3 * random()) % 1);
    const stripes = 2 + 6 * random();
    const phase = random() * Math.PI * 2;
    const scale = size * (0.2 + 0.15 * random());
    const cx = size / 2 + (random() - 0.5) * size * 0.4;
    const cy = size / 2 + (random() - 0.5) * size * 0.4;
    const angle = random() * Math.PI * 2;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = (x + 0.5 - cx) / scale;
        const dy = (y + 0.5 - cy) / scale;
        const inShape = inside(shape, cos * dx + sin * dy, -sin * dx + cos * dy);
        const texture = 0.08 * Math.sin(((x + y) / size) * stripes * Math.PI + phase);
        const base = (n * size * size + y * size + x) * 3;
        for (let c = 0; c < 3; c++) {
          const value = (inShape ? fg[c] : bg[c] + texture) + 0.1 * (random() - 0.5);
          pixels[base + c] = Math.min(1, Math.max(0, value));
        }
      }
    }
  }
  return {
    xs: tf.tensor4d(pixels, [count, size, size, 3]),
    ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes.length).toFloat() as tf.Tensor2D),
    labels,
  };
}
