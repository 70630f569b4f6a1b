// Property-based tests over resnet(config): random valid configurations
// build, their parameter counts equal a closed-form count, save → load round
// trips are exact, and random invalid ones throw the typed error.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, resnet, type ResNetConfig } from '../src/index.js';
import { saveAndLoad } from './helpers/round-trip.js';

interface Drawn {
  block: 'basic' | 'bottleneck';
  layers: number[];
  widths: number[];
  strides: number[];
  stemWidth: number;
  classes: number;
  size: number;
}

const drawn: fc.Arbitrary<Drawn> = fc
  .record({
    block: fc.constantFrom('basic' as const, 'bottleneck' as const),
    stages: fc.integer({ min: 1, max: 4 }),
    stemWidth: fc.integer({ min: 1, max: 16 }),
    classes: fc.integer({ min: 1, max: 12 }),
    size: fc.integer({ min: 1, max: 40 }),
    seed: fc.array(fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 })), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ block, stages, stemWidth, classes, size, seed }) => ({
    block,
    layers: seed.slice(0, stages).map((s) => s[0]),
    widths: seed.slice(0, stages).map((s) => s[1]),
    strides: seed.slice(0, stages).map((s) => s[2]),
    stemWidth,
    classes,
    size,
  }));

/** Trainable and non-trainable (BN moving statistics) parameters, by hand. */
function closedForm(d: Drawn): { trainable: number; buffers: number } {
  let trainable = 7 * 7 * 3 * d.stemWidth + 2 * d.stemWidth;
  let buffers = 2 * d.stemWidth;
  const bn = (c: number): void => {
    trainable += 2 * c;
    buffers += 2 * c;
  };
  let c = d.stemWidth;
  d.layers.forEach((n, i) => {
    const f = d.widths[i];
    for (let b = 0; b < n; b++) {
      const stride = b === 0 ? d.strides[i] : 1;
      const out = d.block === 'basic' ? f : 4 * f;
      if (d.block === 'basic') {
        trainable += 9 * c * f + 9 * f * f;
        bn(f);
        bn(f);
      } else {
        trainable += c * f + 9 * f * f + f * out;
        bn(f);
        bn(f);
        bn(out);
      }
      if (stride !== 1 || c !== out) {
        trainable += c * out;
        bn(out);
      }
      c = out;
    }
  });
  trainable += c * d.classes + d.classes;
  return { trainable, buffers };
}

const count = (ws: tf.LayerVariable[]): number => ws.reduce((a, w) => a + w.shape.reduce<number>((p, s) => p * (s ?? 1), 1), 0);

describe('resnet(config), property-based', () => {
  it('random valid configurations build with the closed-form parameter count and the right output', () => {
    fc.assert(
      fc.property(drawn, (d) => {
        const config: ResNetConfig = { block: d.block, layers: d.layers, widths: d.widths, strides: d.strides, stemWidth: d.stemWidth };
        const model = resnet(config, { inputShape: [d.size, d.size + 3, 3], classes: d.classes, init: 'zeros' });
        try {
          const want = closedForm(d);
          expect(count(model.trainableWeights)).toBe(want.trainable);
          expect(count(model.nonTrainableWeights)).toBe(want.buffers);
          expect(model.outputs[0].shape).toEqual([null, d.classes]);
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 40, seed: 20261127 },
    );
  });

  it('save → load round trips are exact for random configurations', async () => {
    await fc.assert(
      fc.asyncProperty(drawn, async (d) => {
        const model = resnet(
          { block: d.block, layers: d.layers, widths: d.widths, strides: d.strides, stemWidth: d.stemWidth },
          {
            inputShape: [16, 16, 3],
            classes: d.classes,
            classifierActivation: 'linear',
          },
        );
        const loaded = await saveAndLoad(model);
        const x = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 7);
        const a = model.predict(x) as tf.Tensor;
        const b = loaded.predict(x) as tf.Tensor;
        const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
        tf.dispose([x, a, b]);
        model.dispose();
        loaded.dispose();
        expect(diff).toBe(0);
      }),
      { numRuns: 6, seed: 7 },
    );
  });

  it('random invalid configurations throw ConfigError naming the argument', () => {
    const bad = fc.oneof(
      fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity).map((v) => ({ what: 'layers', config: { block: 'basic', layers: [2, v] } })),
      fc.constantFrom(0, -2, 0.5).map((v) => ({ what: 'widths', config: { block: 'basic', layers: [1, 1], widths: [8, v] } })),
      fc.constantFrom(0, -1, 2.5).map((v) => ({ what: 'strides', config: { block: 'bottleneck', layers: [1], strides: [v] } })),
      fc.constantFrom('resnet', 'Basic', '', 'conv').map((v) => ({ what: 'block', config: { block: v, layers: [1] } })),
      fc.constant({ what: 'layers', config: { block: 'basic', layers: [] } }),
      fc.constant({ what: 'widths', config: { block: 'basic', layers: [1, 1], widths: [8] } }),
    );
    fc.assert(
      fc.property(bad, ({ what, config }) => {
        const before = tf.memory().numTensors;
        expect(() => resnet(config as unknown as ResNetConfig, { init: 'zeros' })).toThrow(ConfigError);
        expect(() => resnet(config as unknown as ResNetConfig, { init: 'zeros' })).toThrow(new RegExp(what));
        expect(tf.memory().numTensors).toBe(before);
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});
