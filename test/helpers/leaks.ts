import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, expect } from 'vitest';

/**
 * Makes every test of the calling file assert that it leaves
 * `tf.memory().numTensors` where it found it.
 */
export function expectNoTensorLeaks(): void {
  let baseline = 0;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors leaked by this test').toBe(baseline);
  });
}
