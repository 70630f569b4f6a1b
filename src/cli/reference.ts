/**
 * torchvision's multiply–adds for one 224×224 image (torchvision 0.14,
 * `test/fixtures/torchvision-arch-224.json`), shown beside `summary`'s count.
 * @internal
 */
export const TORCHVISION_MACS_224: Readonly<Record<string, number>> = {
  resnet18: 1_814_073_344,
  resnet34: 3_663_761_408,
  resnet50: 4_089_184_256,
  resnet101: 7_801_405_440,
  resnet152: 11_513_626_624,
  resnext50_32x4d: 4_230_479_872,
  resnext101_32x8d: 16_414_015_488,
  wide_resnet50_2: 11_398_021_120,
  wide_resnet101_2: 22_753_050_624,
};

/** The input size of {@link TORCHVISION_MACS_224}. @internal */
export const REFERENCE_MACS_HW: readonly [number, number] = [224, 224];
