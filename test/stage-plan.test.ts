// The one stage plan (src/models/stage-plan.ts) every family builds from:
// timm's output-stride rule for 4- and 5-stage nets at 8/16/32, where the
// strided block sits, and the drop-path rates; and the families agree on it.
import { describe, expect, it } from 'vitest';
import { linearDropPathRates, planStages, type PlanStagesArgs } from '../src/models/stage-plan.js';
import { resnet } from '../src/models/resnet.js';
import { resnetV2 } from '../src/models/resnetv2.js';
import { modelInfo } from '../src/models/model-info.js';
import { stage } from '../src/stages/stage.js';
import * as tf from '@tensorflow/tfjs';

/** timm's make_blocks, written out independently: (stride, dilation) per stage. */
function timmMakeBlocks(stages: number, outputStride: number): Array<[number, number]> {
  let netStride = 4;
  let dilation = 1;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < stages; i++) {
    let stride = i === 0 ? 1 : 2;
    if (netStride >= outputStride) {
      dilation *= stride;
      stride = 1;
    } else {
      netStride *= stride;
    }
    out.push([stride, dilation]);
  }
  return out;
}

const net = (stages: number, outputStride: number, extra: Partial<PlanStagesArgs> = {}) =>
  planStages({
    layers: Array.from({ length: stages }, () => 2),
    strides: Array.from({ length: stages }, (_, i) => (i === 0 ? 1 : 2)),
    stemStride: 4,
    outputStride,
    dropPathRate: 0,
    ...extra,
  });

describe('planStages: output stride (timm make_blocks)', () => {
  const expected: Record<string, { strides: number[]; dilations: number[]; reductions: number[] }> = {
    '4@32': { strides: [1, 2, 2, 2], dilations: [1, 1, 1, 1], reductions: [4, 8, 16, 32] },
    '4@16': { strides: [1, 2, 2, 1], dilations: [1, 1, 1, 2], reductions: [4, 8, 16, 16] },
    '4@8': { strides: [1, 2, 1, 1], dilations: [1, 1, 2, 4], reductions: [4, 8, 8, 8] },
    // Five stages: the fifth would take the net past 32, so it dilates even at 32.
    '5@32': { strides: [1, 2, 2, 2, 1], dilations: [1, 1, 1, 1, 2], reductions: [4, 8, 16, 32, 32] },
    '5@16': { strides: [1, 2, 2, 1, 1], dilations: [1, 1, 1, 2, 4], reductions: [4, 8, 16, 16, 16] },
    '5@8': { strides: [1, 2, 1, 1, 1], dilations: [1, 1, 2, 4, 8], reductions: [4, 8, 8, 8, 8] },
  };
  for (const stages of [4, 5]) {
    for (const os of [8, 16, 32]) {
      it(`${stages} stages at output stride ${os}`, () => {
        const plan = net(stages, os);
        const e = expected[`${stages}@${os}`];
        expect(plan.map((s) => s.stride)).toEqual(e.strides);
        expect(plan.map((s) => s.dilation)).toEqual(e.dilations);
        expect(plan.map((s) => s.reduction)).toEqual(e.reductions);
        expect(plan.map((s) => [s.stride, s.dilation])).toEqual(timmMakeBlocks(stages, os));
        expect(Math.max(...plan.map((s) => s.reduction))).toBe(os);
        // dilationBefore is the previous stage's dilation
        expect(plan.map((s) => s.dilationBefore)).toEqual([1, ...e.dilations.slice(0, -1)]);
      });
    }
  }

  it("blocks: the strided block keeps the previous dilation on its first 3×3 (timm's first_dilation)", () => {
    const plan = net(4, 8);
    expect(plan[3].blocks).toEqual([
      { stride: 1, firstDilation: 2, dilation: 4, dropPathRate: 0 },
      { stride: 1, firstDilation: 4, dilation: 4, dropPathRate: 0 },
    ]);
    expect(plan[1].blocks.map((b) => b.stride)).toEqual([2, 1]);
  });

  it("stridedBlock 'last' (Keras's ResNetV2): blocks before the strided one keep the previous dilation", () => {
    const plan = planStages({
      layers: [3, 3, 3, 3],
      strides: [2, 2, 2, 1],
      stemStride: 4,
      outputStride: 8,
      dropPathRate: 0,
      stridedBlock: 'last',
    });
    expect(plan.map((s) => s.stride)).toEqual([2, 1, 1, 1]);
    expect(plan[1].blocks.map((b) => [b.stride, b.firstDilation, b.dilation])).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 2],
    ]);
    expect(plan.map((s) => s.reduction)).toEqual([8, 8, 8, 8]);
  });

  it('explicit per-stage dilation (replaceStrideWithDilation) overrides the output-stride rule', () => {
    const plan = net(4, 32, { dilate: [false, false, true, true] });
    expect(plan.map((s) => s.dilation)).toEqual([1, 1, 2, 4]);
    expect(plan.map((s) => s.reduction)).toEqual([4, 8, 8, 8]);
  });

  it('a stem of stride 1 (the CIFAR nets) never reaches output stride 8 in three stages: no dilation', () => {
    const plan = planStages({ layers: [3, 3, 3], strides: [1, 2, 2], stemStride: 1, outputStride: 8, dropPathRate: 0 });
    expect(plan.map((s) => [s.stride, s.dilation, s.reduction])).toEqual([
      [1, 1, 1],
      [2, 1, 2],
      [2, 1, 4],
    ]);
  });
});

describe('planStages: drop-path rates (timm: linear over all blocks)', () => {
  it('block k of K drops with rate·k/(K−1), across stages', () => {
    const plan = planStages({ layers: [2, 2, 2, 2], strides: [1, 2, 2, 2], stemStride: 4, outputStride: 32, dropPathRate: 0.2 });
    const rates = plan.flatMap((s) => s.blocks.map((b) => b.dropPathRate));
    expect(rates).toHaveLength(8);
    rates.forEach((r, k) => expect(r).toBeCloseTo((0.2 * k) / 7, 15));
    expect(plan.map((s) => s.blocks.map((b) => b.dropPathRate))).toEqual(linearDropPathRates([2, 2, 2, 2], 0.2));
  });

  it('uneven stages, a single block, and rate 0', () => {
    expect(linearDropPathRates([1, 3], 0.3)).toEqual([[0], [1, 2, 3].map((k) => (0.3 * k) / 3)]);
    expect(linearDropPathRates([1], 0.5)).toEqual([[0]]);
    expect(
      linearDropPathRates([3, 4, 6, 3], 0)
        .flat()
        .every((r) => r === 0),
    ).toBe(true);
  });
});

describe('the families follow the plan', () => {
  const five = { layers: [1, 1, 1, 1, 1], widths: [8, 8, 8, 8, 8] };
  for (const os of [8, 16, 32] as const) {
    it(`ResNet and ResNetV2 with five stages agree at output stride ${os}`, () => {
      const options = { init: 'zeros' as const, includeTop: false, inputShape: [128, 128, 3] as [number, number, number], outputStride: os };
      const v1 = resnet({ block: 'basic', ...five }, options);
      const v2 = resnetV2({ block: 'basic', ...five }, options);
      const reductions = (m: typeof v1) => modelInfo(m)!.features.map((f) => f.reduction);
      expect(reductions(v1)).toEqual([2, ...net(5, os).map((s) => s.reduction)]);
      expect(reductions(v2)).toEqual(reductions(v1));
      expect(v1.outputs[0].shape.slice(1, 3)).toEqual([128 / os, 128 / os]);
      expect(v2.outputs[0].shape.slice(1, 3)).toEqual([128 / os, 128 / os]);
      v1.dispose();
      v2.dispose();
    });
  }
});

describe('stage(): what ResNetV2 needs', () => {
  it("stridedBlock 'last', blockName and blockArgsAt", () => {
    const x = tf.input({ shape: [16, 16, 32] });
    const s = stage({
      block: 'basic',
      filters: 32,
      blocks: 3,
      stride: 2,
      dilation: 2,
      firstDilation: 1,
      stridedBlock: 'last',
      name: 'stack',
      blockName: (j) => `stack.blocks.${j}`,
      blockArgsAt: (j) => (j === 1 ? { shortcut: 'none' } : {}),
    });
    const y = s.apply(x);
    expect(y.shape).toEqual([null, 8, 8, 32]);
    expect(s.blocks.map((b) => [b.name, b.stride])).toEqual([
      ['stack.blocks.0', 1],
      ['stack.blocks.1', 1],
      ['stack.blocks.2', 2],
    ]);
    const layer = (n: string) => s.blocks.flatMap((b) => b.layers).find((l) => l.name === n)!;
    // before the strided block: the previous dilation; the strided block's first 3×3 too, its second the new one
    expect(layer('stack.blocks.0.conv2').getConfig().dilationRate).toEqual([1, 1]);
    expect(layer('stack.blocks.2.conv1').getConfig().dilationRate).toEqual([1, 1]);
    expect(layer('stack.blocks.2.conv2').getConfig().dilationRate).toEqual([2, 2]);
    // blockArgsAt: the middle block has no shortcut (no addition)
    expect(s.blocks[1].layers.some((l) => l.getClassName() === 'Add')).toBe(false);
    expect(s.blocks[0].layers.some((l) => l.getClassName() === 'Add')).toBe(true);
    expect(() => stage({ block: 'basic', filters: 8, blocks: 1, stridedBlock: 'middle' as never })).toThrow(/stridedBlock/);
    tf.model({ inputs: x, outputs: y }).dispose();
  });
});
