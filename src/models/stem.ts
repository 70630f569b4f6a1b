/**
 * The stem of a residual network:
 * - `'default'`: one 7×7 stride-2 convolution (torchvision, Keras);
 * - `'deep'`: three 3×3 convolutions of widths `w/2, w/2, w` (the first
 *   strided), BN and ReLU between them — ResNet-C/D, timm's `stem_type='deep'`;
 * - `'deep_tiered'`: the same with widths `3·⌊w/8⌋, w/2, w` — timm's
 *   `'deep_tiered'` (24, 32, 64 for ResNet-10-T/26-T/50-T).
 *
 * Here `w` is the stem's output width (`stemWidth`, 64 by default), twice
 * timm's `stem_width` argument for deep stems.
 *
 * @example
 * ```ts
 * const config: ResNetConfig = { block: 'bottleneck', layers: [3, 4, 6, 3], stemType: 'deep', blockArgs: { shortcut: 'avgPool' } }; // ResNet-50-D
 * ```
 */
export type StemType = 'default' | 'deep' | 'deep_tiered';

/**
 * Every {@link StemType}.
 *
 * @example
 * ```ts
 * STEM_TYPES; // ['default', 'deep', 'deep_tiered']
 * ```
 */
export const STEM_TYPES: readonly StemType[] = ['default', 'deep', 'deep_tiered'];

/** The widths of a deep stem's three convolutions for output width `width`. @internal */
export function deepStemWidths(type: 'deep' | 'deep_tiered', width: number): [number, number, number] {
  const half = width >> 1;
  return type === 'deep_tiered' ? [3 * (half >> 2), half, width] : [half, half, width];
}
