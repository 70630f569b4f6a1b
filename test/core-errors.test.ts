// Every invalid argument throws an exported error class whose message names
// the model / stage / block, the argument, and what would be valid; and the
// TypeScript types reject what they can (checked by `npm run typecheck`,
// which compiles this file with test/tsconfig.json: an unused
// `@ts-expect-error` is itself a compile error).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  basicBlock,
  bottleneckBlock,
  projectionShortcut,
  resnet,
  resnet18,
  resnet50,
  stage,
  ConfigError,
  ShapeError,
  TfjsResnetError,
  type ResNetDepth,
} from '../src/index.js';

type ErrorClass = typeof ConfigError | typeof ShapeError;

/** Runs `f`, expects an error of class `cls` whose message contains every fragment. */
function expectError(f: () => unknown, cls: ErrorClass, ...fragments: string[]): string {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a throw').toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(TfjsResnetError);
  const err = caught as Error;
  expect(err.name).toBe(cls.name);
  for (const fragment of fragments) expect(err.message).toContain(fragment);
  return err.message;
}

const INTEGER = 'must be an integer ≥ 1';

describe('resnet(depth)', () => {
  it('an unknown depth lists 18, 34, 50, 101, 152 (and does not compile)', () => {
    // @ts-expect-error 42 is not a ResNetDepth
    const msg = expectError(() => resnet(42), ConfigError, 'resnet', 'depth', '42');
    expect(msg).toMatch(/18, 34, 50, 101, 152/);
    // @ts-expect-error a string is not a depth
    expectError(() => resnet('50'), ConfigError, 'depth', '"50"', '18, 34, 50, 101, 152');
    // @ts-expect-error nor is null
    expectError(() => resnet(null), ConfigError, 'depth', '18, 34, 50, 101, 152');
    for (const bad of [0, -50, 50.5, NaN, Infinity]) {
      expectError(() => resnet(bad as ResNetDepth), ConfigError, 'depth', '18, 34, 50, 101, 152');
    }
  });

  it('the valid depths compile (types only; building is tested elsewhere)', () => {
    const ok: Array<() => tf.LayersModel> = [
      () => resnet(18),
      () => resnet(50, { style: 'keras', pooling: 'avg', includeTop: false }),
      () => resnet({ block: 'basic', layers: [1, 1] }),
      () => resnet50({ inputShape: [null, null, 3], classifierActivation: 'linear' }),
    ];
    expect(ok).toHaveLength(4);
  });
});

describe('builder options', () => {
  it.each([
    ['classes', 0],
    ['classes', 2.5],
    ['classes', -3],
  ] as const)('%s %s', (what, value) => {
    expectError(() => resnet18({ [what]: value }), ConfigError, 'resnet18', what, INTEGER, String(value));
  });

  it('unknown pooling, classifierActivation, style, init list the valid values', () => {
    // @ts-expect-error 'mean' is not a pooling
    expectError(() => resnet18({ includeTop: false, pooling: 'mean' }), ConfigError, 'resnet18', 'pooling', '"mean"', '"avg", "max", null');
    // @ts-expect-error 'sigmoid' is not a classifier activation
    expectError(() => resnet18({ classifierActivation: 'sigmoid' }), ConfigError, 'classifierActivation', '"softmax", "linear"');
    // @ts-expect-error 'caffe' is not a style
    expectError(() => resnet18({ style: 'caffe' }), ConfigError, 'style', '"caffe"', '"torchvision", "keras"');
    // @ts-expect-error 'random' is not an init
    expectError(() => resnet18({ init: 'random' }), ConfigError, 'init', '"default", "zeros"');
    // @ts-expect-error includeTop is a boolean
    expectError(() => resnet18({ includeTop: 'yes' }), ConfigError, 'includeTop', 'true or false');
  });

  it('a bad inputShape says what a valid one is', () => {
    const valid = '[height, width, channels]';
    // @ts-expect-error two entries
    expectError(() => resnet18({ inputShape: [224, 224] }), ConfigError, 'resnet18', 'inputShape', valid, '[224, 224]');
    expectError(() => resnet18({ inputShape: [0, 224, 3] }), ConfigError, 'inputShape', 'positive integers');
    expectError(() => resnet18({ inputShape: [224.5, 224, 3] }), ConfigError, 'inputShape', '224.5');
    expectError(() => resnet18({ inputShape: [-1, 224, 3] }), ConfigError, 'inputShape');
    // @ts-expect-error the channel count must be known
    expectError(() => resnet18({ inputShape: [224, 224, null] }), ConfigError, 'inputShape', 'may be null');
    // @ts-expect-error not an array
    expectError(() => resnet18({ inputShape: '224' }), ConfigError, 'inputShape', valid);
  });
});

describe('resnet(config)', () => {
  const where = 'resnet "resnet"';

  it.each([
    ['fractional', 1.5],
    ['zero', 0],
    ['negative', -1],
  ] as const)('%s block count', (_, value) => {
    expectError(() => resnet({ block: 'basic', layers: [2, value] }), ConfigError, where, 'layers[1]', INTEGER, String(value));
  });

  it('empty or missing layers', () => {
    expectError(() => resnet({ block: 'basic', layers: [] }), ConfigError, where, 'layers', 'non-empty array');
    // @ts-expect-error layers is required
    expectError(() => resnet({ block: 'basic' }), ConfigError, where, 'layers', 'non-empty array');
  });

  it('per-stage arrays of the wrong length', () => {
    expectError(() => resnet({ block: 'basic', layers: [1, 1], widths: [64] }), ConfigError, where, 'widths', 'one entry per stage (2)', '[64]');
    expectError(() => resnet({ block: 'basic', layers: [1, 1], strides: [1, 2, 2] }), ConfigError, where, 'strides', 'one entry per stage (2)');
  });

  it('bad widths, strides, stemWidth', () => {
    expectError(() => resnet({ block: 'basic', layers: [1, 1], widths: [64, 0.5] }), ConfigError, where, 'widths[1]', INTEGER, '0.5');
    expectError(() => resnet({ block: 'basic', layers: [1, 1], strides: [1, 0] }), ConfigError, where, 'strides[1]', INTEGER, '0');
    expectError(() => resnet({ block: 'basic', layers: [1, 1], stemWidth: 0 }), ConfigError, where, 'stemWidth', INTEGER);
  });

  it('a bad replaceStrideWithDilation', () => {
    expectError(
      () => resnet({ block: 'basic', layers: [1, 1], replaceStrideWithDilation: [true, true, true] }),
      ConfigError,
      where,
      'replaceStrideWithDilation',
    );
  });

  it('an unknown block kind lists the valid ones', () => {
    // @ts-expect-error 'basik' is not a block kind
    expectError(() => resnet({ block: 'basik', layers: [1] }), ConfigError, where, 'block', '"basik"', "'basic', 'bottleneck'", 'defineBlock');
    // @ts-expect-error a plain function is not a block factory
    expectError(() => resnet({ block: () => 0, layers: [1] }), ConfigError, 'block', 'defineBlock');
  });

  it('the model name appears in messages', () => {
    expectError(() => resnet({ block: 'basic', layers: [0] }, { name: 'tiny' }), ConfigError, 'resnet "tiny"', 'layers[0]');
  });
});

describe('stage(args)', () => {
  it.each([
    ['blocks', 0],
    ['blocks', 2.5],
    ['blocks', -1],
    ['stride', 0],
    ['stride', 1.5],
    ['filters', 0],
    ['filters', -64],
  ] as const)('%s %s', (what, value) => {
    const args = { block: 'basic' as const, filters: 64, blocks: 2, stride: 1, name: 'layer9', [what]: value };
    expectError(() => stage(args), ConfigError, 'stage "layer9"', what, INTEGER, String(value));
  });

  it('an unknown block kind or style', () => {
    // @ts-expect-error 'resnext' is not a block kind
    expectError(() => stage({ block: 'resnext', filters: 8, blocks: 1, name: 's' }), ConfigError, 'stage "s"', 'block', "'basic', 'bottleneck'");
    // @ts-expect-error 'x' is not a style
    expectError(() => stage({ block: 'basic', filters: 8, blocks: 1, name: 's', style: 'x' }), ConfigError, 'stage "s"', 'style', '"torchvision", "keras"');
  });

  it('an unnamed stage is still named in the message', () => {
    expectError(() => stage({ block: 'basic', filters: 8, blocks: 0 }), ConfigError, 'stage "', 'blocks');
  });

  it('rank-2, rank-3, rank-5 inputs and unknown channels are ShapeErrors', () => {
    const s = stage({ block: 'basic', filters: 8, blocks: 1, name: 'L' });
    expectError(() => s.apply(tf.input({ shape: [32] })), ShapeError, 'stage "L"', 'rank-4 NHWC', 'got rank 2', '[?, 32]');
    expectError(() => s.apply(tf.input({ shape: [32, 3] })), ShapeError, 'stage "L"', 'got rank 3');
    expectError(() => s.apply(tf.input({ shape: [4, 4, 4, 3] })), ShapeError, 'stage "L"', 'got rank 5');
    const unknown = tf.input({ shape: [null, null, null] as unknown as number[] });
    expectError(() => s.apply(unknown), ShapeError, 'stage "L"', 'channel count', 'must be known', '[?, ?, ?, ?]');
  });
});

describe('blocks', () => {
  const factories = [
    ['basic', basicBlock],
    ['bottleneck', bottleneckBlock],
  ] as const;

  it.each(factories)('%s block: filters, stride, dilation', (kind, factory) => {
    const b = `${kind} block "b"`;
    for (const filters of [0, 1.5, -1, NaN]) expectError(() => factory({ filters, name: 'b' }), ConfigError, b, 'filters', INTEGER, String(filters));
    for (const stride of [0, 1.5, -2]) expectError(() => factory({ filters: 8, stride, name: 'b' }), ConfigError, b, 'stride', INTEGER, String(stride));
    expectError(() => factory({ filters: 8, dilation: 0, name: 'b' }), ConfigError, b, 'dilation', INTEGER);
    // @ts-expect-error filters is required
    expectError(() => factory({ name: 'b' }), ConfigError, b, 'filters', 'undefined');
    // @ts-expect-error stride is a number
    expectError(() => factory({ filters: 8, stride: '2', name: 'b' }), ConfigError, b, 'stride', '"2"');
    // @ts-expect-error 'caffe' is not a style
    expectError(() => factory({ filters: 8, style: 'caffe', name: 'b' }), ConfigError, b, 'style', '"torchvision", "keras"');
  });

  it.each(factories)('%s block: an unnamed block gets a name for its messages', (kind, factory) => {
    expectError(() => factory({ filters: 0 }), ConfigError, `${kind} block "${kind}_block_`, 'filters');
  });

  it.each(factories)('%s block: rank and channels are ShapeErrors', (kind, factory) => {
    const b = `${kind} block "b"`;
    expectError(() => factory({ filters: 8, name: 'b' }).apply(tf.input({ shape: [32] })), ShapeError, b, 'rank-4', 'got rank 2');
    expectError(() => factory({ filters: 8, name: 'b' }).apply(tf.input({ shape: [32, 3] })), ShapeError, b, 'got rank 3');
    const unknown = tf.input({ shape: [8, 8, null] as unknown as number[] });
    expectError(() => factory({ filters: 8, name: 'b' }).apply(unknown), ShapeError, b, 'channel count', '[?, 8, 8, ?]');
  });

  it('projectionShortcut: filters, stride, rank', () => {
    expectError(() => projectionShortcut({ filters: 0, name: 'p' }), ConfigError, '"p"', 'filters', INTEGER);
    expectError(() => projectionShortcut({ filters: 8, stride: -2, name: 'p' }), ConfigError, '"p"', 'stride', INTEGER, '-2');
    expectError(() => projectionShortcut({ filters: 8, name: 'p' }).apply(tf.input({ shape: [32, 3] })), ShapeError, 'projection shortcut "p"', 'got rank 3');
  });
});

describe('blocks applied again', () => {
  it('throws a ShapeError when a block is applied to an input of other channels', async () => {
    const { basicBlock, ShapeError } = await import('../src/index.js');
    const tf = await import('@tensorflow/tfjs');
    const block = basicBlock({ filters: 16, name: 'reuse.0', init: 'zeros' });
    block.apply(tf.input({ shape: [8, 8, 16] }));
    block.apply(tf.input({ shape: [4, 4, 16] })); // same channels: shared weights
    expect(() => block.apply(tf.input({ shape: [8, 8, 8] }))).toThrow(ShapeError);
    expect(() => block.apply(tf.input({ shape: [8, 8, 8] }))).toThrow(/8 channels.*built for 16 channels/);
  });

  it('rejects a model name that is not a valid tfjs name', async () => {
    const { resnet, ConfigError } = await import('../src/index.js');
    expect(() => resnet(18, { name: 42 as unknown as string, init: 'zeros' })).toThrow(ConfigError);
    expect(() => resnet(18, { name: 'bad name!', init: 'zeros' })).toThrow(/name must be/);
  });
});
