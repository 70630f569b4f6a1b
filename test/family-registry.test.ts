// The model registry: createModel, listModels, getModel, registerModel,
// unregisterModel, and errors that suggest the nearest names.
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createModel, getModel, listModels, registerModel, unregisterModel, MODEL_SOURCES } from '../src/models/registry.js';
import { resnet } from '../src/models/resnet.js';
import { modelInfo } from '../src/models/model-info.js';
import { ConfigError } from '../src/errors.js';
import { editDistance, nearestNames } from '../src/models/nearest-names.js';

const tiny = { block: 'basic', layers: [1, 1] } as const;
const build = (options: Parameters<typeof resnet>[1]): tf.LayersModel => resnet({ ...tiny, layers: [...tiny.layers] }, options);

afterEach(() => {
  for (const name of listModels({ source: 'user' })) unregisterModel(name);
});

describe('createModel', () => {
  it('builds a registered model, named after it, with the caller options', () => {
    const m = createModel('resnet10t', { init: 'zeros', inputShape: [64, 64, 3], classes: 7 });
    expect(m.name).toBe('resnet10t');
    expect(m.outputs[0].shape).toEqual([null, 7]);
    expect(m.getLayer('conv1.0').getWeights()[0].shape).toEqual([3, 3, 3, 24]);
    m.dispose();
  });

  it('throws a ConfigError for an unknown name, suggesting the nearest names', () => {
    expect(() => createModel('resnet5')).toThrow(ConfigError);
    expect(() => createModel('resnet5')).toThrow(/unknown model "resnet5"; did you mean "resnet50", /);
    expect(() => createModel('seresnet52')).toThrow(/did you mean "seresnet50"/);
    expect(() => createModel('ResNeXt50_32x4d')).toThrow(/did you mean "resnext50_32x4d"/);
    expect(() => createModel('wide_resnet50')).toThrow(/did you mean "wide_resnet50_2"/);
    expect(() => createModel('zzzzzzzzzzzzzzzzzzzzzz')).toThrow(/unknown model "zzzzzzzzzzzzzzzzzzzzzz"; listModels\(\) lists the \d+ registered names/);
    expect(() => createModel(42 as never)).toThrow(/unknown model 42/);
  });

  it('validates options like resnet()', () => {
    expect(() => createModel('resnet18', { classes: 0 })).toThrow(/classes must be an integer ≥ 1/);
    expect(() => createModel('resnet18', null as never)).toThrow(/options must be an object/);
  });
});

describe('listModels and getModel', () => {
  it('lists by source and name, in registration order', () => {
    const all = listModels();
    expect(all.slice(0, 5)).toEqual(['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152']);
    expect(new Set(all).size).toBe(all.length);
    expect(listModels({ source: 'timm', match: 'seresnet' })).toEqual(['seresnet18', 'seresnet34', 'seresnet50', 'seresnet101']);
    expect(listModels({ source: ['torchvision'], match: /^wide_/ })).toEqual(['wide_resnet50_2', 'wide_resnet101_2']);
    expect(listModels({ match: /d$/g })).toEqual(listModels({ match: /d$/ }));
    expect(() => listModels({ source: 'hub' as never })).toThrow(/unknown source "hub"; valid values are "torchvision", "timm", "keras", "paper", "user"/);
    expect(MODEL_SOURCES).toContain('paper');
  });

  it('describes every entry; configs can be reused to compose new nets', () => {
    const entry = getModel('resnet50d');
    expect(entry.source).toBe('timm');
    expect(entry.reference).toEqual({ trainableParams: 25_576_264, buffers: 53_248 });
    expect(entry.config?.stemType).toBe('deep');
    const smaller = resnet({ ...entry.config!, layers: [1, 1, 1, 1] }, { init: 'zeros', inputShape: [32, 32, 3] });
    expect(smaller.getLayer('layer2.0.downsample.0').getClassName()).toBe('AveragePooling2D');
    smaller.dispose();
    for (const name of listModels()) expect(getModel(name).description.length, name).toBeGreaterThan(0);
    expect(() => getModel('resnet51')).toThrow(/unknown model "resnet51"; did you mean "resnet50"/);
  });
});

describe('registerModel', () => {
  it('registers a user model that createModel builds with its defaults under the caller options', () => {
    registerModel('tiny_resnet', {
      source: 'user',
      description: 'two basic blocks',
      build,
      defaults: { inputShape: [32, 32, 3], classes: 10 },
      reference: { trainableParams: 1 },
    });
    expect(listModels({ source: 'user' })).toEqual(['tiny_resnet']);
    expect(listModels()).toContain('tiny_resnet');
    const m = createModel('tiny_resnet', { classes: 3, init: 'zeros' });
    expect(m.name).toBe('tiny_resnet');
    expect(m.inputs[0].shape).toEqual([null, 32, 32, 3]);
    expect(m.outputs[0].shape).toEqual([null, 3]);
    expect(modelInfo(m)?.features.map((f) => f.name)).toEqual(['act1', 'layer1', 'layer2']);
    m.dispose();
    // a typo of a user name is suggested too
    expect(() => createModel('tiny_resnt')).toThrow(/did you mean "tiny_resnet"/);
  });

  it('refuses duplicates unless override, and never replaces built-ins', () => {
    registerModel('mine', { source: 'user', build });
    expect(() => registerModel('mine', { source: 'user', build })).toThrow(/"mine" is already registered; pass \{ override: true \}/);
    registerModel('mine', { source: 'user', build, description: 'v2' }, { override: true });
    expect(getModel('mine').description).toBe('v2');
    expect(() => registerModel('resnet50', { source: 'user', build }, { override: true })).toThrow(/built-in torchvision model and cannot be replaced/);
    expect(() => unregisterModel('resnet50')).toThrow(/built-in model and cannot be removed/);
    expect(unregisterModel('mine')).toBe(true);
    expect(unregisterModel('mine')).toBe(false);
  });

  it('validates names and definitions', () => {
    expect(() => registerModel('', { source: 'user', build })).toThrow(/name must be a non-empty string/);
    expect(() => registerModel('a b', { source: 'user', build })).toThrow(ConfigError);
    expect(() => registerModel('x', { source: 'mine' as never, build })).toThrow(/unknown source "mine"/);
    expect(() => registerModel('x', { source: 'user' } as never)).toThrow(/build\(options\) function/);
    expect(() => registerModel('x', { source: 'user', build, defaults: 3 as never })).toThrow(/defaults must be an options object/);
  });
});

describe('nearest names', () => {
  it('edit distance and ranking', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearestNames('resnet50', ['resnet18', 'resnet50', 'resnet50d'], 2)).toEqual(['resnet50', 'resnet50d']);
    expect(nearestNames('qqqqqqqqqq', ['resnet18'], 3)).toEqual([]);
  });
});
