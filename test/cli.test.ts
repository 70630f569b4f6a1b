// The tfjs-resnet CLI, run in-process with runCli: help, errors (what is
// valid, exit codes), summary figures against the reference fixtures,
// convert → tf.loadLayersModel round trip, predict on a generated PNG with
// hash-initialised weights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { createModel } from '../src/models/registry.js';
import { degradationExperiment } from '../src/experiments/degradation.js';
import { writeSafetensors, type SafetensorsTensorInput } from '../src/weights/safetensors.js';
import { exportPyTorchWeights } from '../src/weights/export-pytorch.js';
import { readPyTorchCheckpoint } from '../src/weights/checkpoint.js';
import { decodeImage, imagenetEvalTransform } from '../src/imagenet/node.js';
import { preprocessInput } from '../src/imagenet/preprocess-input.js';
import { runCli, CLI_EXIT_CODES, nodeFileSystem } from '../src/cli/index.js';
import { runOnnx } from '../src/onnx/run.js';
import { hashStateDict } from './helpers/hash-init.js';
import { setHashWeights } from './helpers/torch-hash-weights.js';

/** Runs the CLI and captures its output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  return { code, out, err };
}

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
const TORCHVISION = fixture<{ models: Record<string, { trainable_params: number; bn_running_stats: number; macs: number }> }>(
  'torchvision-arch-224.json',
).models;
const TIMM = fixture<Record<string, { trainable_params: number; buffers: number }>>('timm-arch.json');
const STATE_DICTS = fixture<Record<string, Array<[string, number[], string]>>>('torchvision-state-dicts.json');

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('help', () => {
  it('no arguments, -h, --help: the command list, exit 0', async () => {
    const none = await cli();
    expect(none.code).toBe(CLI_EXIT_CODES.ok);
    for (const c of ['summary', 'predict', 'pretrained', 'download', 'cache', 'convert', 'quantize', 'checkpoint', 'bench', 'gradients', 'models'])
      expect(none.out).toContain(`  ${c}`);
    expect(none.out).toContain('-v, --version');
    for (const flag of ['-h', '--help']) expect(await cli(flag)).toEqual({ code: 0, out: none.out, err: '' });
  });

  it.each(['--version', '-v'])('%s prints the package version, exit 0', async (flag) => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await cli(flag)).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('models: a table within 100 columns, no "?" for figures that do not apply', async () => {
    const { code, out } = await cli('models');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    const widest = Math.max(...lines.map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(100);
    expect(out).not.toMatch(/\s\?(\s|$)/m);
    expect(lines[0]).toMatch(/^model\s+source\s+params\s+description$/);
    expect(out).toMatch(/^resnet50\s+torchvision\s+25,557,032\s+ResNet-50 \(v1\.5\)$/m);
    // Keras Applications publishes count_params() only: marked and explained.
    expect(out).toMatch(/^resnet50v2\s+keras\s+25,613,800\*\s/m);
    expect(out).toContain('*: Keras count_params()');
    // A long description wraps under its column.
    const i = lines.findIndex((l) => l.startsWith('resnet10t '));
    expect(lines[i + 1]).toMatch(/^\s{20,}\S/);
    expect(lines[i + 1].search(/\S/)).toBe(lines[i].indexOf('ResNet-10-T'));
  });

  it.each(['summary', 'predict', 'pretrained', 'download', 'cache', 'convert', 'quantize', 'bench', 'gradients', 'models'])('%s --help', async (command) => {
    const { code, out } = await cli(command, '--help');
    expect(code).toBe(0);
    expect(out).toContain(`Usage: tfjs-resnet ${command}`);
    expect(out).toContain('-h, --help');
    expect(out).toContain('Examples:');
  });
});

describe('errors say what is valid, exit code ≠ 0', () => {
  it.each([
    [['sumary', 'resnet50'], /unknown command "sumary"; did you mean "summary"\?/],
    [['summary', 'resnet51'], /unknown model "resnet51"; did you mean "resnet50"/],
    [['summary', 'resnet18', '--foo'], /Unknown option '--foo'; valid options of "summary" are --input <HxW>, --json/],
    [['summary'], /expected 1 argument/],
    [['summary', 'resnet18', '--input', 'big'], /--input must be HEIGHTxWIDTH/],
    [['summary', 'resnet18', '--backend', 'gpu'], /unknown --backend "gpu"; valid values are "tensorflow", "wasm"/],
    [['predict', 'resnet18', 'cat.jpg'], /image file "cat.jpg" does not exist/],
    [['predict', 'resnet18', 'cat.jpg', '--crop', '200'], /--crop applies with --weights only/],
    [['predict', 'resnet51.tv_in1k', 'cat.jpg'], /did you mean "resnet18.tv_in1k"|did you mean "resnet50.tv_in1k"/],
    [['predict', 'resnet18', 'no-such-file.png', '--weights', 'w.safetensors'], /image file "no-such-file.png" does not exist/],
    [['predict', 'resnet18', 'file:///no/such/file.png', '--weights', 'w.safetensors'], /image file "file:\/\/\/no\/such\/file.png" does not exist/],
    [['predict', 'resnet18', 'x.png', '--weights', 'w.safetensors', '--top', '0'], /--top must be an integer ≥ 1/],
    [['convert', 'resnet18', '--weights', 'w.safetensors'], /--out is required/],
    [['quantize', 'resnet32', '--weights', 'w.th'], /--calibration is required/],
    [['quantize', 'resnet32', '--weights', 'w.th', '--calibration', 'no/such/folder'], /"no\/such\/folder" is not a readable folder/],
    [
      ['quantize', 'resnet32', '--weights', 'w.th', '--calibration', '.', '--method', 'kl'],
      /unknown --method "kl"; valid values are "minmax", "percentile", "mse"/,
    ],
    [['gradients', '--depths', '21'], /--depths must be comma-separated CIFAR depths/],
    [['models', '--source', 'pytorch'], /valid values are "torchvision", "timm"/],
  ])('%j', async (argv, message) => {
    const { code, err, out } = await cli(...argv);
    expect(code).toBe(CLI_EXIT_CODES.usage);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('a weights file that does not exist: exit 1 with the path', async () => {
    const png = path.join(dir, 'tiny.png');
    writeFileSync(png, PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), {})));
    const { code, err } = await cli('predict', 'resnet20', png, '--weights', path.join(dir, 'missing.safetensors'));
    expect(code).toBe(CLI_EXIT_CODES.failure);
    expect(err).toContain('missing.safetensors');
  });
});

describe('summary --json equals the reference figures', () => {
  it.each(['resnet18', 'resnet50'])('%s (torchvision, 224×224)', async (name) => {
    const { code, out } = await cli('summary', name, '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out);
    expect(s.trainableParams).toBe(TORCHVISION[name].trainable_params);
    expect(s.nonTrainableParams).toBe(TORCHVISION[name].bn_running_stats);
    expect(s.macs).toBe(TORCHVISION[name].macs);
    expect(s.reference).toMatchObject({ trainableParams: TORCHVISION[name].trainable_params, macs: TORCHVISION[name].macs });
    expect(s.matches).toEqual({ trainableParams: true, buffers: true, macs: true });
    expect(s.sections.map((x: { name: string }) => x.name)).toEqual(['stem', 'layer1', 'layer2', 'layer3', 'layer4', 'head']);
  });

  it('resnet50d (timm) and --input: no multiply–add reference off 224×224', async () => {
    const { out } = await cli('summary', 'resnet50d', '--input', '160x192', '--json');
    const s = JSON.parse(out);
    expect(s.input).toEqual([160, 192, 3]);
    expect(s.trainableParams).toBe(TIMM.resnet50d.trainable_params);
    expect(s.nonTrainableParams).toBe(TIMM.resnet50d.buffers);
    expect(s.reference.macs).toBeUndefined();
    expect(s.sections[4].outputShape).toEqual([null, 5, 6, 2048]);
  });

  it('text form: the table and the comparison', async () => {
    const { code, out } = await cli('summary', 'resnet34');
    expect(code).toBe(0);
    expect(out).toContain('| layer4  | [?, 7, 7, 512]');
    expect(out).toMatch(/trainable parameters\s+21,797,672\s+torchvision: 21,797,672 {2}✓ equal/);
    expect(out).toMatch(/multiply–adds\s+3,663,761,408\s+torchvision: 3,663,761,408 {2}✓ equal/);
  });
});

describe('convert writes a LayersModel directory tf.loadLayersModel opens', () => {
  it.each([false, true])('resnet20 (CIFAR), optimize %s: same outputs after the round trip', async (optimize) => {
    const source = createModel('resnet20', { classifierActivation: 'linear' });
    const weights = path.join(dir, 'resnet20.safetensors');
    writeFileSync(weights, await exportPyTorchWeights(source));
    const out = path.join(dir, `resnet20-tfjs-${optimize}`);
    const run = await cli('convert', 'resnet20', '--weights', weights, '--out', out, '--logits', ...(optimize ? ['--optimize'] : []));
    expect(run.err, run.err).not.toContain('error');
    expect(run.code).toBe(0);
    expect(run.out).toContain('model.json');
    const json = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // --optimize keeps tfjs's own Add + Activation (builtinLayersOnly).
    expect(JSON.stringify(json.modelTopology)).not.toContain('AddActivation');
    const loaded = await tf.loadLayersModel(nodeFileSystem(path.join(out, 'model.json')));
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 5);
    const [a, b] = [source.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(diff).toBeLessThan(optimize ? 1e-4 : 1e-6);
    tf.dispose([x, a, b]);
    source.dispose();
    loaded.dispose();
  });
});

describe('predict', () => {
  it('a generated PNG with hash-initialised resnet18 weights: the top 5 of the same pipeline run by hand', async () => {
    const state = hashStateDict(
      'dev',
      STATE_DICTS.resnet18.map(([key, shape]) => ({ key, shape })),
    );
    const tensors: Record<string, SafetensorsTensorInput> = {};
    for (const [key, { shape, data }] of Object.entries(state)) tensors[key] = { dtype: 'F32', shape, data };
    const weights = path.join(dir, 'resnet18-hash.safetensors');
    writeFileSync(weights, writeSafetensors(tensors, { format: 'pt' }));
    const png = new PNG({ width: 300, height: 240 });
    for (let i = 0; i < png.width * png.height; i++) png.data.set([(i * 7) % 256, (i * 13) % 256, i % 300, 255], 4 * i);
    const image = path.join(dir, 'pattern.png');
    writeFileSync(image, PNG.sync.write(png));

    const { code, out, err } = await cli('predict', 'resnet18', image, '--weights', weights, '--top', '5', '--json');
    expect(err).not.toContain('error');
    expect(code).toBe(0);
    const [result] = JSON.parse(out) as Array<{ image: string; predictions: Array<{ index: number; label: string; probability: number }> }>;
    expect(result.image).toBe(image);
    expect(result.predictions).toHaveLength(5);

    // The same pipeline by hand, with the weights set by the test's own hash-init helper.
    const model = createModel('resnet18', { classifierActivation: 'linear' });
    setHashWeights(model, 'dev');
    const probs = tf.tidy(() => {
      const x = preprocessInput(tf.expandDims(imagenetEvalTransform(decodeImage(readFileSync(image))), 0), { mode: 'torch' });
      return Array.from(tf.softmax(model.predict(x) as tf.Tensor).dataSync());
    });
    model.dispose();
    const expected = probs
      .map((p, index) => ({ index, p }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 5);
    expect(result.predictions.map((p) => p.index)).toEqual(expected.map((e) => e.index));
    result.predictions.forEach((p, i) => expect(p.probability).toBeCloseTo(expected[i].p, 6));
    expect(result.predictions[0].label.length).toBeGreaterThan(0);
  });
});

describe('quantize', () => {
  it('writes an int8 ONNX model of resnet32 calibrated on a folder of real images, which onnxruntime runs', async () => {
    const calib = path.join(dir, 'calibration');
    mkdirSync(path.join(calib, 'sub'), { recursive: true });
    const images = new URL('./fixtures/realworld/images/', import.meta.url);
    for (const [i, c] of ['airplane', 'cat', 'ship', 'truck'].entries()) {
      copyFileSync(new URL(`${c}/0001.jpg`, images), path.join(calib, i % 2 ? 'sub' : '', `${c}.jpg`));
    }
    writeFileSync(path.join(calib, 'notes.txt'), 'not an image');
    const out = path.join(dir, 'r32-int8.onnx');
    const weights = new URL('./fixtures/realworld/resnet32.th', import.meta.url).pathname;
    const run = await cli('quantize', 'resnet32', '--weights', weights, '--calibration', calib, '--resize', '32', '--logits', '--out', out);
    expect(run.err).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/wrote .*r32-int8\.onnx \(.*\), int8, calibrated on 4 images \(percentile\)/);
    const x = tf.zeros([1, 32, 32, 3]);
    const y = (await runOnnx(new Uint8Array(readFileSync(out)), x)) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    tf.dispose([x, y]);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const none = await cli('quantize', 'resnet32', '--weights', weights, '--calibration', empty);
    expect(none.code).toBe(CLI_EXIT_CODES.usage);
    expect(none.err).toMatch(/no JPEG or PNG images in/);
  });
});

describe('gradients and bench', () => {
  it('gradients --depths 20 --batch 4: plain20 and resnet20, repeatable, with the SVG plot', async () => {
    const svg = path.join(dir, 'plots', 'degradation.svg');
    const { code, out, err } = await cli('gradients', '--depths', '20', '--batch', '4', '--svg', svg, '--json');
    expect(err).toContain('plain20:');
    expect(code).toBe(0);
    const results = JSON.parse(out) as Array<{ model: string; norms: Array<{ layer: string; norm: number }> }>;
    expect(results.map((r) => r.model)).toEqual(['plain20', 'resnet20']);
    for (const r of results) {
      expect(r.norms.map((n) => n.layer)).toEqual(['layer1.0.conv1', 'layer2.0.conv1', 'layer3.0.conv1']);
      for (const n of r.norms) expect(n.norm).toBeGreaterThan(0);
    }
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*plain20[\s\S]*<\/svg>\n$/);
    const again = JSON.parse((await cli('gradients', '--depths', '20', '--batch', '4', '--json')).out);
    expect(again.map((r: { norms: unknown }) => r.norms)).toEqual(results.map((r) => r.norms));
  });

  it('gradients takes any CIFAR depth 6n + 2, and refuses others before running anything', async () => {
    const { code, out } = await cli('gradients', '--depths', '8', '--batch', '2', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as Array<{ model: string }>).map((r) => r.model)).toEqual(['plain8', 'resnet8']);
    await expect(degradationExperiment({ depths: [8, 21], batchSize: 2, onResult: () => expect.unreachable() })).rejects.toThrow(
      /degradationExperiment: depth must be 6n \+ 2 .*got 21/,
    );
  });

  it('bench --json: timings on the chosen backend', async () => {
    const { code, out } = await cli('bench', 'resnet20', '--runs', '2', '--warmup', '0', '--batch', '2', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ model: 'resnet20', backend: 'wasm', input: [2, 32, 32, 3], runs: 2 });
    expect(report.ms.median).toBeGreaterThan(0);
  });
});

describe('progress bar (stderr)', () => {
  it('redraws in place on a terminal, writes only the final line elsewhere', async () => {
    const { progressBar } = await import('../src/cli/progress.js');
    let tty = '';
    let clock = 0;
    const bar = progressBar({ write: (t: string) => (tty += t), isTTY: true }, 'weights', () => (clock += 200));
    bar.update(512 * 1024, 2 * 1024 * 1024);
    bar.update(2 * 1024 * 1024, 2 * 1024 * 1024);
    bar.done('done');
    expect(tty).toContain('\rweights [######..................]  25%  512.0 kB / 2.0 MB');
    expect(tty).toMatch(/\[#{24}\] 100% {2}2\.0 MB \/ 2\.0 MB {2}done\x1b\[K\n$/);
    let log = '';
    const plain = progressBar({ write: (t: string) => (log += t) }, 'weights');
    plain.update(10, undefined);
    plain.done();
    expect(log).toBe('weights 10 B\n');
  });
});

describe('checkpoint, and convert from a PyTorch checkpoint', () => {
  const pth = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

  it('--help, and a listing of keys, dtypes, shapes and sizes', async () => {
    const help = await cli('checkpoint', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: tfjs-resnet checkpoint');
    const { code, out } = await cli('checkpoint', pth('realworld/resnet32.th'));
    expect(code).toBe(0);
    expect(out).toMatch(/\| conv1\.weight +\| float32 \| \[16, 3, 3, 3\] +\| +1\.7 kB \|/);
    expect(out).toContain('legacy checkpoint: 157 tensors, 466,426 values');
    expect(out).toContain('weights from "state_dict"; stripped "module."');
  });

  it('--out writes safetensors holding the same tensors, dtypes kept', async () => {
    const target = path.join(dir, 'mixed.safetensors');
    const { code, out } = await cli('checkpoint', pth('pth/mixed-dtypes-zip.pth'), '--out', target, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { format: string; tensors: Array<{ key: string; dtype: string; bytes: number }> };
    expect(report.format).toBe('zip');
    expect(report.tensors.find((t) => t.key === 'bf16')).toEqual({ key: 'bf16', dtype: 'bfloat16', shape: [3], bytes: 6 });
    const original = readPyTorchCheckpoint(readFileSync(pth('pth/mixed-dtypes-zip.pth')));
    const written = readPyTorchCheckpoint(readFileSync(target));
    expect(written.format).toBe('safetensors');
    expect(Object.keys(written.tensors).sort()).toEqual(Object.keys(original.tensors).sort());
    for (const [key, t] of Object.entries(original.tensors)) expect(written.tensors[key], key).toEqual(t);
  });

  it('a hostile file: exit 1, the refused global named, nothing written', async () => {
    const target = path.join(dir, 'evil.safetensors');
    const { code, err, out } = await cli('checkpoint', pth('pth/evil-os-system-zip.pth'), '--out', target);
    expect(code).toBe(CLI_EXIT_CODES.failure);
    expect(err).toContain('posix.system');
    expect(out).toBe('');
    expect(existsSync(target)).toBe(false);
  });

  it("convert reads akamaster's .th directly", async () => {
    const out = path.join(dir, 'resnet32-th');
    const run = await cli('convert', 'resnet32', '--weights', pth('realworld/resnet32.th'), '--out', out, '--logits');
    expect(run.code, run.err).toBe(0);
    const loaded = await tf.loadLayersModel(nodeFileSystem(path.join(out, 'model.json')));
    const direct = await createModel('resnet32', { weights: pth('realworld/resnet32.th'), classifierActivation: 'linear' });
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 5);
    const [a, b] = [direct.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBe(0);
    tf.dispose([x, a, b]);
    direct.dispose();
    loaded.dispose();
  });
});
