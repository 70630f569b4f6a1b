// The 2,000 real CIFAR-10 test images of test/fixtures/realworld (pixels as
// PIL decodes the JPEGs; file order in summary.json, sorted by class, 200 per
// class), their labels and PyTorch's logits, and the calibration split used by
// the quantization tests: every 20th image (10 per class, 100 in all) is held
// out for calibration; accuracy is measured on the other 1,900.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fixturePath } from './golden-numerics.js';
import { argmax } from './logits.js';

export const CIFAR_NETS = ['resnet32', 'resnet44'] as const;
export type CifarNet = (typeof CIFAR_NETS)[number];

const COUNT = 2000;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The pixels as PIL decodes the JPEGs: N×32×32×3 uint8 RGB, in summary.json's file order. */
export const cifarPixels = (): Uint8Array => new Uint8Array(readFileSync(fixturePath('realworld/cifar10-test-u8.bin')));

/** Images normalised with ImageNet mean/std on [0, 1], as the checkpoints were trained. */
export function cifarImages(): tf.Tensor4D {
  const u8 = cifarPixels();
  const x = new Float32Array(COUNT * 32 * 32 * 3);
  for (let i = 0; i < x.length; i++) x[i] = (u8[i] / 255 - MEAN[i % 3]) / STD[i % 3];
  return tf.tensor4d(x, [COUNT, 32, 32, 3]);
}

export const cifarLabels = (): Uint8Array => new Uint8Array(readFileSync(fixturePath('realworld/cifar10-test-labels.bin')));

/** PyTorch's logits on the pixels (N×10 float32). */
export function torchLogits(net: CifarNet): Float32Array {
  const b = readFileSync(fixturePath(`realworld/${net}-logits.bin`));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** PyTorch's top-1 class of every image. */
export function torchTop1(net: CifarNet): Int32Array {
  const logits = torchLogits(net);
  return Int32Array.from({ length: COUNT }, (_, i) => argmax(logits, i * 10, 10));
}

/** Calibration images: every 20th (100, ten per class). */
export const CALIBRATION_INDICES = Array.from({ length: 100 }, (_, k) => k * 20);
/** Evaluation images: the other 1,900. */
export const EVALUATION_INDICES = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 20 !== 0);

/** Percent of `indices` where `predicted` equals `reference`. */
export function percentEqual(predicted: ArrayLike<number>, reference: ArrayLike<number>, indices: readonly number[]): number {
  return (100 * indices.filter((i) => predicted[i] === reference[i]).length) / indices.length;
}
