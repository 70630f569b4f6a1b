import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { BACKEND_NAMES, DEFAULT_BACKEND_PREFERENCE, useBestBackend, type BackendName } from '../src/backend/index.js';
import { locateNodeWasmDir } from '../src/backend/wasm-paths.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A 3×3 all-ones convolution over a 4×4 ramp: each output is the sum of a 3×3 window. */
async function runConv(): Promise<number[]> {
  const before = tf.memory().numTensors;
  const y = tf.tidy(() => tf.conv2d(tf.range(0, 16).reshape([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]), 1, 'valid'));
  const values = Array.from(await y.data());
  y.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return values;
}
// windows of [[0..3],[4..7],[8..11],[12..15]]: top-left sum 0+1+2+4+5+6+8+9+10 = 45
const CONV_EXPECTED = [45, 54, 81, 90];

afterAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('useBestBackend', () => {
  it('falls through a missing @tensorflow/tfjs-node to wasm, where a conv runs', async () => {
    await tf.setBackend('cpu'); // start elsewhere so the switch is observable
    const name: BackendName = await useBestBackend();
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await runConv()).toEqual(CONV_EXPECTED);
  });

  it("gives cpu for prefer: ['cpu']", async () => {
    expect(await useBestBackend({ prefer: ['cpu'] })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await runConv()).toEqual(CONV_EXPECTED);
  });

  it('skips unavailable backends in the preferred order', async () => {
    // Node: no tfjs-node, and webgl is registered in browsers only.
    expect(await useBestBackend({ prefer: ['tensorflow', 'webgl', 'cpu'] })).toBe('cpu');
    expect(await useBestBackend({ prefer: ['webgl', 'wasm'] })).toBe('wasm');
  });

  it('says why each backend failed when none can be activated', async () => {
    const error = await useBestBackend({ prefer: ['tensorflow', 'webgl'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('tensorflow: @tensorflow/tfjs-node is not installed');
    expect((error as Error).message).toContain('webgl: not registered');
  });

  it('rejects an empty or unknown preference with ConfigError', async () => {
    await expect(useBestBackend({ prefer: [] })).rejects.toThrow(ConfigError);
    await expect(useBestBackend({ prefer: ['gpu' as BackendName] })).rejects.toThrow(/valid names are 'tensorflow', 'wasm', 'webgl', 'cpu'/);
  });

  it('exports the backend names and the default order', () => {
    expect(BACKEND_NAMES).toEqual(['tensorflow', 'wasm', 'webgl', 'cpu']);
    expect(DEFAULT_BACKEND_PREFERENCE).toEqual(['tensorflow', 'wasm', 'cpu']);
  });
});

describe('wasm binaries in Node', () => {
  it('are located in the installed package, with a trailing separator', async () => {
    const dir = await locateNodeWasmDir();
    expect(dir).toBeDefined();
    expect(dir!.endsWith(path.sep)).toBe(true);
    expect(existsSync(`${dir}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });

  it('load in a fresh process where nothing initialized wasm before', async () => {
    // The test setup already initialized wasm here, so check the cold path in a child process.
    const script = [
      "import * as tf from '@tensorflow/tfjs';",
      "import { useBestBackend } from './src/backend/index.ts';",
      'const name = await useBestBackend();',
      "const y = tf.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([3, 3, 1, 1]), 1, 'valid');",
      'console.log(JSON.stringify({ name, active: tf.getBackend(), y: Array.from(await y.data()) }));',
    ].join('\n');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      cwd: root,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ name: 'wasm', active: 'wasm', y: [9] });
    // tfjs's "you are running TensorFlow.js in Node.js" advice comes from the cpu backend only.
    expect(stdout + stderr).not.toMatch(/running TensorFlow\.js in Node\.js/);
  });
});
