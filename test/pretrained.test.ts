// Published weights by name: the catalog, the verified cache, offline mode,
// mirrors and failures, against a local HTTP server on 127.0.0.1 playing the
// mirror (no test reaches the internet).
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, FetchError, WeightsError } from '../src/errors.js';
import { createModel } from '../src/models/registry.js';
import { resnet18 } from '../src/models/resnet.js';
import { cacheInfo, clearCache, downloadPretrained, getPretrained, listPretrained, mirrorUrl, pretrainedInfo } from '../src/pretrained/index.js';
import { exportPyTorchWeights } from '../src/weights/export-pytorch.js';
import { createTransform } from '../src/imagenet/transform.js';
import { resolveDataConfig } from '../src/pretrained/data-config.js';
import { CIFAR10_CLASSES } from '../src/pretrained/labels.js';
import { compareLogits } from './helpers/logits.js';
import { cifarLabels, cifarPixels, torchLogits } from './helpers/cifar-realworld.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let server: MirrorServer;
let root: string;
let n = 0;
/** A fresh, empty cache folder. */
const freshCache = (): string => path.join(root, `cache-${++n}`);

// timm's resnet10t.c3_in1k (no published digest) served as a safetensors
// file made from a randomly initialised resnet10t; resnet32's real .th file
// (sha256 and size published) for the integrity tests.
const TIMM_TAG = 'resnet10t.c3_in1k';
let timmUrl: string;
let timmBytes: Uint8Array;
let timmModel: tf.LayersModel;
const CIFAR_TAG = 'resnet32.akamaster_cifar10';
let cifarUrl: string;
let cifarBytes: Uint8Array;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tfjs-resnet-pretrained-'));
  server = await startMirrorServer();
  timmModel = createModel('resnet10t', { inputShape: [176, 176, 3] });
  timmBytes = await exportPyTorchWeights(timmModel);
  timmUrl = getPretrained(TIMM_TAG).files[0].url;
  server.serve(timmUrl, timmBytes);
  cifarUrl = getPretrained(CIFAR_TAG).files[0].url;
  cifarBytes = new Uint8Array(await readFile(path.join(FIXTURES, 'realworld/resnet32.th')));
  server.serve(cifarUrl, cifarBytes);
});

afterAll(async () => {
  timmModel?.dispose();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** Files left in a cache folder, temporary downloads included. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let names: string[] = [];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(d, name);
      if ((await readdir(p).catch(() => null)) !== null) await walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

function expectSameWeights(a: tf.LayersModel, b: tf.LayersModel, skip: (name: string) => boolean = () => false): number {
  const wa = a.weights.filter((w) => !skip(w.originalName));
  const wb = new Map(b.weights.map((w) => [w.originalName, w]));
  for (const w of wa) {
    const other = wb.get(w.originalName);
    expect(other, w.originalName).toBeDefined();
    expect(Array.from(w.read().dataSync())).toEqual(Array.from(other!.read().dataSync()));
  }
  return wa.length;
}

describe('catalog', () => {
  it('lists the registered architectures with published weights, each model with one default', () => {
    const all = listPretrained();
    expect(all.length).toBe(101);
    expect(new Set(all.map((w) => w.tag)).size).toBe(all.length);
    for (const model of new Set(all.filter((w) => w.loadable).map((w) => w.model))) {
      expect(
        all.filter((w) => w.model === model && w.isDefault),
        model,
      ).toHaveLength(1);
    }
    expect(listPretrained({ origin: 'torchvision' })).toHaveLength(17);
    expect(listPretrained({ origin: 'akamaster' }).map((w) => w.tag)).toEqual([20, 32, 44, 56, 110].map((d) => `resnet${d}.akamaster_cifar10`));
    expect(listPretrained({ loadable: false }).every((w) => w.origin === 'keras')).toBe(true);
    expect(listPretrained('resnet50.').every((w) => w.tag.includes('resnet50.'))).toBe(true);
    expect(listPretrained('resnet50.').map((w) => w.tag)).toContain('seresnet50.a1_in1k');
    expect(listPretrained({ model: 'resnet18', match: /a\d_in1k$/ }).map((w) => w.tag)).toEqual(['resnet18.a1_in1k', 'resnet18.a2_in1k', 'resnet18.a3_in1k']);
  });

  it("takes torchvision's DEFAULT where it exists, else timm's first tag", () => {
    expect(getPretrained('resnet50').tag).toBe('resnet50.tv2_in1k');
    expect(getPretrained('resnet18').tag).toBe('resnet18.tv_in1k');
    expect(getPretrained('wide_resnet101_2').tag).toBe('wide_resnet101_2.tv2_in1k');
    expect(getPretrained('resnet50d').tag).toBe('resnet50d.ra2_in1k');
    expect(getPretrained('resnetv2_50').tag).toBe('resnetv2_50.a1h_in1k');
    expect(getPretrained('resnet32').tag).toBe(CIFAR_TAG);
  });

  it('records the digests as published: sha256 for akamaster (equal to the real files), the sha256 prefix of torchvision file names', async () => {
    const r32 = getPretrained(CIFAR_TAG).files[0];
    expect(r32.digest).toEqual({ sha256: sha256(cifarBytes) });
    expect(r32.bytes).toBe(cifarBytes.byteLength);
    const r44 = getPretrained('resnet44.akamaster_cifar10').files[0];
    expect(r44.digest).toEqual({ sha256: sha256(new Uint8Array(await readFile(path.join(FIXTURES, 'realworld/resnet44.th')))) });
    const tv = getPretrained('resnet50.tv2_in1k');
    expect(tv.files[0]).toEqual({ url: 'https://download.pytorch.org/models/resnet50-11ad3fa6.pth', format: 'pth', digest: { sha256Prefix: '11ad3fa6' } });
    expect(tv.files[1].url).toBe('https://huggingface.co/timm/resnet50.tv2_in1k/resolve/main/model.safetensors');
    expect(tv).toMatchObject({ top1: 80.858, torchvisionEnum: 'IMAGENET1K_V2', license: 'bsd-3-clause', labels: 'imagenet-1k', classes: 1000 });
    expect(tv.data).toMatchObject({ inputSize: [224, 224], interpolation: 'bilinear', resizeSize: 232 });
    const timm = getPretrained('resnet50.a1_in1k');
    expect(timm.files[0].url).toBe('https://huggingface.co/timm/resnet50.a1_in1k/resolve/main/model.safetensors');
    expect(timm.data).toMatchObject({ inputSize: [224, 224], testInputSize: [288, 288], interpolation: 'bicubic', cropPct: 0.95, testCropPct: 1 });
    expect(getPretrained('resnet50.keras_in1k')).toMatchObject({
      loadable: false,
      style: 'keras',
      files: [{ format: 'h5', digest: { md5: '2cb95161c43110f7111970584f804107' } }],
    });
  });

  it('an unknown tag is a ConfigError with a did-you-mean hint', () => {
    expect(() => getPretrained('resnet50.tv3_in1k')).toThrow(ConfigError);
    expect(() => getPretrained('resnet50.tv3_in1k')).toThrow(/did you mean "resnet50\.tv2_in1k"/);
    expect(() => getPretrained('resnet51')).toThrow(/did you mean "resnet50"/);
    expect(() => getPretrained('resnet200')).toThrow(/listPretrained\(\) lists the 101 tags/);
    // A model with only Keras weights listed has no default: said as such, not as an unknown name.
    expect(() => getPretrained('resnet50v2')).toThrow(
      /resnet50v2 has no loadable published weights, so no default: listed are "resnet50v2\.keras_in1k" \(h5\)/,
    );
    return expect(createModel('resnet50.tv3_in1k', { pretrained: true })).rejects.toThrow(/did you mean "resnet50\.tv2_in1k"/);
  });

  it('Keras h5 weights are listed but say clearly that they cannot be loaded yet', async () => {
    await expect(createModel('resnet50v2', { pretrained: 'keras_in1k', cacheDir: freshCache(), mirror: server.base })).rejects.toThrow(
      /listed but not loadable yet.*tensorflowjs_converter.*loadKerasWeights/,
    );
  });

  it('the mirror rule maps https://host/path to <mirror>/host/path', () => {
    expect(mirrorUrl('https://download.pytorch.org/models/resnet18-f37072fd.pth', 'http://127.0.0.1:8/m/')).toBe(
      'http://127.0.0.1:8/m/download.pytorch.org/models/resnet18-f37072fd.pth',
    );
    expect(mirrorUrl('https://a/b', undefined)).toBe('https://a/b');
  });

  it('torchvision enum names select torchvision weights, as weights or pretrained', async () => {
    await expect(createModel('resnet18', { weights: 'IMAGENET1K_V2' })).rejects.toThrow(
      /no torchvision weights "IMAGENET1K_V2"; valid are "IMAGENET1K_V1", "DEFAULT"/,
    );
    // Offline with an empty cache: the error names the tag the enum resolved to.
    await expect(createModel('resnet50', { weights: 'IMAGENET1K_V1', offline: true, cacheDir: freshCache() } as never)).rejects.toThrow(
      /"resnet50\.tv_in1k" are not cached/,
    );
    await expect(createModel('resnet50', { pretrained: 'IMAGENET1K_V2', offline: true, cacheDir: freshCache() })).rejects.toThrow(
      /"resnet50\.tv2_in1k" are not cached/,
    );
    // A weights name of the model, and the presets' torchvision enum names.
    await expect(createModel('resnet50', { pretrained: 'a1_in1k', offline: true, cacheDir: freshCache() })).rejects.toThrow(
      /"resnet50\.a1_in1k" are not cached/,
    );
    await expect(resnet18({ weights: 'IMAGENET1K_V1', offline: true, cacheDir: freshCache() })).rejects.toThrow(/"resnet18\.tv_in1k" are not cached/);
    await expect(createModel('resnet50', { pretrained: 'resnet18.tv_in1k' })).rejects.toThrow(/are for resnet18, not resnet50/);
    await expect(createModel('resnet50', { pretrained: true, weights: 'w.safetensors' } as never)).rejects.toThrow(/either pretrained .* or weights/);
    await expect(createModel('plain20', { pretrained: true })).rejects.toThrow(ConfigError);
    await expect(resnet18({ weights: 'resnet18.safetensors' as never })).rejects.toThrow(
      /weights must name torchvision's weights .*createModel\(name, \{ weights: path \}\)/,
    );
  });
});

describe('download, cache, offline', () => {
  it('downloads through the mirror, verifies, caches; a second call makes no request; offline then works', async () => {
    const cacheDir = freshCache();
    const before = server.requests(timmUrl);
    const progress: number[] = [];
    const model = await createModel(TIMM_TAG, { pretrained: true, mirror: server.base, cacheDir, onProgress: (p) => progress.push(p.loaded) });
    expect(server.requests(timmUrl)).toBe(before + 1);
    expect(progress.at(-1)).toBe(timmBytes.byteLength);
    expect(model.inputs[0].shape).toEqual([null, 176, 176, 3]); // the weights' input size
    const info = pretrainedInfo(model)!;
    expect(info).toMatchObject({ downloaded: true, classifier: 'loaded', weights: { tag: TIMM_TAG } });
    expect(info.file).toBe(path.join(cacheDir, TIMM_TAG, 'model.safetensors'));
    expect(info.report.missing).toEqual([]);
    expect(expectSameWeights(timmModel, model)).toBe(timmModel.weights.length);
    model.dispose();

    const again = await createModel('resnet10t', { pretrained: true, mirror: server.base, cacheDir });
    expect(server.requests(timmUrl)).toBe(before + 1);
    expect(pretrainedInfo(again)).toMatchObject({ downloaded: false, weights: { tag: TIMM_TAG } });
    again.dispose();

    const offline = await createModel(TIMM_TAG, { pretrained: true, offline: true, cacheDir });
    expect(server.requests(timmUrl)).toBe(before + 1);
    offline.dispose();

    const info2 = await cacheInfo({ cacheDir });
    expect(info2.entries).toEqual([{ tag: TIMM_TAG, path: info.file, bytes: timmBytes.byteLength }]);
    expect(await filesUnder(cacheDir)).toEqual([`${TIMM_TAG}/model.safetensors`]);
    expect(await clearCache(TIMM_TAG, { cacheDir })).toBe(1);
    expect((await cacheInfo({ cacheDir })).entries).toEqual([]);
  });

  it('TFJS_RESNET_OFFLINE=1 without the entry cached fails naming the tag, the file and the cache folder', async () => {
    const cacheDir = freshCache();
    process.env.TFJS_RESNET_OFFLINE = '1';
    try {
      const before = server.requests(timmUrl);
      const error = await createModel(TIMM_TAG, { pretrained: true, mirror: server.base, cacheDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FetchError);
      const message = (error as Error).message;
      expect(message).toContain(`"${TIMM_TAG}"`);
      expect(message).toContain(path.join(cacheDir, TIMM_TAG, 'model.safetensors'));
      expect(message).toContain(`in ${cacheDir}`);
      expect(server.requests(timmUrl)).toBe(before);
    } finally {
      delete process.env.TFJS_RESNET_OFFLINE;
    }
  });

  it('TFJS_RESNET_CACHE and TFJS_RESNET_MIRROR set the defaults; headers pass through', async () => {
    const cacheDir = freshCache();
    process.env.TFJS_RESNET_CACHE = cacheDir;
    process.env.TFJS_RESNET_MIRROR = server.base;
    try {
      const file = await downloadPretrained(CIFAR_TAG, { headers: { Authorization: 'Bearer t0ken' } });
      expect(file).toBe(path.join(cacheDir, CIFAR_TAG, 'resnet32-d509ac18.th'));
      expect(server.lastHeaders(cifarUrl)?.authorization).toBe('Bearer t0ken');
      expect((await cacheInfo()).dir).toBe(cacheDir);
    } finally {
      delete process.env.TFJS_RESNET_CACHE;
      delete process.env.TFJS_RESNET_MIRROR;
    }
  });

  it('the cache folder is TFJS_RESNET_CACHE, else $XDG_CACHE_HOME/tfjs-resnet (if absolute), else ~/.cache/tfjs-resnet; options override the environment', async () => {
    const names = ['TFJS_RESNET_CACHE', 'XDG_CACHE_HOME', 'HOME', 'TFJS_RESNET_OFFLINE', 'TFJS_RESNET_MIRROR'] as const;
    const saved = names.map((name) => process.env[name]);
    try {
      delete process.env.TFJS_RESNET_CACHE;
      delete process.env.XDG_CACHE_HOME;
      process.env.HOME = path.join(root, 'home');
      expect((await cacheInfo()).dir).toBe(path.join(root, 'home/.cache/tfjs-resnet'));
      process.env.XDG_CACHE_HOME = path.join(root, 'xdg');
      expect((await cacheInfo()).dir).toBe(path.join(root, 'xdg/tfjs-resnet'));
      process.env.XDG_CACHE_HOME = 'relative/xdg'; // the XDG spec: a relative path is invalid and ignored
      expect((await cacheInfo()).dir).toBe(path.join(root, 'home/.cache/tfjs-resnet'));
      process.env.TFJS_RESNET_CACHE = path.join(root, 'explicit');
      expect((await cacheInfo()).dir).toBe(path.join(root, 'explicit'));
      const cacheDir = freshCache();
      expect((await cacheInfo({ cacheDir })).dir).toBe(cacheDir);
      // offline: false and mirror override TFJS_RESNET_OFFLINE and TFJS_RESNET_MIRROR (a dead address here).
      process.env.TFJS_RESNET_OFFLINE = '1';
      process.env.TFJS_RESNET_MIRROR = 'http://127.0.0.1:9/nothing';
      const file = await downloadPretrained(CIFAR_TAG, { cacheDir, offline: false, mirror: server.base });
      expect(file).toBe(path.join(cacheDir, CIFAR_TAG, 'resnet32-d509ac18.th'));
    } finally {
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name];
        else process.env[name] = saved[i];
      });
    }
  });

  for (const [how, pattern] of [
    ['corrupt', /integrity check failed .*expected sha256 d509ac18/],
    ['truncate', /truncated body/],
    ['close', /connection failed while reading|size check failed/],
    ['status404', /HTTP 404/],
  ] as const) {
    it(`a ${how} download is a FetchError, leaves no cache entry, and the next try succeeds`, async () => {
      const cacheDir = freshCache();
      server.misbehave(cifarUrl, how);
      const error = await downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FetchError);
      expect((error as Error).message).toMatch(pattern);
      expect(await filesUnder(cacheDir)).toEqual([]);
      expect((await cacheInfo({ cacheDir })).entries).toEqual([]);
      const file = await downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir });
      expect(sha256(new Uint8Array(await readFile(file)))).toBe(sha256(cifarBytes));
      expect(await filesUnder(cacheDir)).toEqual([`${CIFAR_TAG}/resnet32-d509ac18.th`]);
    });
  }

  it('a short write to the disk is completed, not cached as a file missing bytes', async () => {
    const cacheDir = freshCache();
    const probe = await open(path.join(root, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: (buffer: Uint8Array, offset?: number, length?: number) => Promise<{ bytesWritten: number }> };
    await probe.close();
    const write = proto.write;
    let shortened = 0;
    const spy = vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, buffer: Uint8Array, offset = 0, length = buffer.byteLength - offset) {
      // Every first write of a chunk takes one byte less than asked, as write(2) may.
      const short = length > 1 && shortened++ < 1000;
      return write.call(this, buffer, offset, short ? length - 1 : length);
    });
    try {
      const file = await downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir });
      expect(shortened).toBeGreaterThan(0);
      expect(sha256(new Uint8Array(await readFile(file)))).toBe(sha256(cifarBytes));
    } finally {
      spy.mockRestore();
    }
  });

  it('a timeout or an abort is a FetchError and leaves nothing behind', async () => {
    const cacheDir = freshCache();
    server.misbehave(cifarUrl, 'stall');
    await expect(downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir, timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
    server.misbehave(cifarUrl, 'stall');
    const controller = new AbortController();
    const pending = downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow(/aborted/);
    expect(await filesUnder(cacheDir)).toEqual([]);
  });

  it('two concurrent loads of one tag share one download', async () => {
    const cacheDir = freshCache();
    const before = server.requests(cifarUrl);
    const [a, b] = await Promise.all([
      downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir }),
      downloadPretrained('resnet32', { mirror: server.base, cacheDir }),
    ]);
    expect(a).toBe(b);
    expect(server.requests(cifarUrl)).toBe(before + 1);
  });

  it('one of two concurrent loads aborting does not fail the other, which gets the shared download', async () => {
    const cacheDir = freshCache();
    const before = server.requests(cifarUrl);
    server.misbehave(cifarUrl, 'hold');
    const controller = new AbortController();
    let received = 0;
    const progress: number[] = [];
    const aborting = downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir, signal: controller.signal, onProgress: (p) => (received = p.loaded) });
    const staying = downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir, onProgress: (p) => progress.push(p.loaded) });
    await vi.waitFor(() => expect(received).toBeGreaterThan(0)); // the first half has arrived
    controller.abort();
    const error = await aborting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toMatch(/aborted/);
    server.release(cifarUrl);
    const file = await staying;
    expect(sha256(new Uint8Array(await readFile(file)))).toBe(sha256(cifarBytes));
    expect(progress.at(-1)).toBe(cifarBytes.byteLength);
    expect(server.requests(cifarUrl)).toBe(before + 1);
    expect(await filesUnder(cacheDir)).toEqual([`${CIFAR_TAG}/resnet32-d509ac18.th`]);
  }, 20_000);

  it('a load whose onProgress throws fails with that error alone; the loads sharing its download go on', async () => {
    const cacheDir = freshCache();
    const before = server.requests(cifarUrl);
    const [thrower, other] = await Promise.allSettled([
      downloadPretrained(CIFAR_TAG, {
        mirror: server.base,
        cacheDir,
        onProgress: () => {
          throw new Error('progress display closed');
        },
      }),
      downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir }),
    ]);
    expect(thrower.status === 'rejected' && String(thrower.reason)).toBe('Error: progress display closed');
    expect(other).toEqual({ status: 'fulfilled', value: path.join(cacheDir, CIFAR_TAG, 'resnet32-d509ac18.th') });
    expect(server.requests(cifarUrl)).toBe(before + 1);
    // Alone, it fails the same way and leaves nothing behind.
    const alone = freshCache();
    const error = await downloadPretrained(CIFAR_TAG, {
      mirror: server.base,
      cacheDir: alone,
      onProgress: () => {
        throw new Error('progress display closed');
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toBe('Error: progress display closed');
    expect(await filesUnder(alone)).toEqual([]);
  });

  it('an offline load and an online one of the same tag at once: each gets its own answer', async () => {
    const cacheDir = freshCache();
    const [offline, online] = await Promise.allSettled([
      downloadPretrained(CIFAR_TAG, { offline: true, cacheDir }),
      downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir }),
    ]);
    expect(offline.status === 'rejected' && offline.reason instanceof FetchError && /offline/.test(String(offline.reason))).toBe(true);
    expect(online).toEqual({ status: 'fulfilled', value: path.join(cacheDir, CIFAR_TAG, 'resnet32-d509ac18.th') });
  });

  it('a load that starts after every earlier one aborted downloads afresh', async () => {
    const cacheDir = freshCache();
    const before = server.requests(cifarUrl);
    server.misbehave(cifarUrl, 'hold');
    const controller = new AbortController();
    const aborting = downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir, signal: controller.signal });
    await vi.waitFor(() => expect(server.requests(cifarUrl)).toBe(before + 1));
    controller.abort();
    await expect(aborting).rejects.toThrow(/aborted/);
    expect(await filesUnder(cacheDir)).toEqual([]);
    const file = await downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir });
    expect(sha256(new Uint8Array(await readFile(file)))).toBe(sha256(cifarBytes));
    expect(server.requests(cifarUrl)).toBe(before + 2);
    server.release(cifarUrl);
  }, 20_000);

  it('two processes downloading one tag into one cache both succeed and leave one verified file', async () => {
    const cacheDir = freshCache();
    const tsx = path.join(import.meta.dirname, '../node_modules/tsx/dist/cli.mjs');
    const run = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [tsx, path.join(import.meta.dirname, 'helpers/download-child.ts'), CIFAR_TAG, server.base, cacheDir]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child exited ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a).toBe(b);
    expect(sha256(new Uint8Array(await readFile(a)))).toBe(sha256(cifarBytes));
    expect(await filesUnder(cacheDir)).toEqual([`${CIFAR_TAG}/resnet32-d509ac18.th`]);
  });

  it('a file that does not load is a typed error, leaks no tensors and is not kept in the cache', async () => {
    const cacheDir = freshCache();
    const tag = 'resnet18.a1_in1k'; // no published digest: the mirror serves resnet10t's weights instead
    server.serve(getPretrained(tag).files[0].url, timmBytes);
    const tensors = tf.memory().numTensors;
    const error = await createModel(tag, { pretrained: true, mirror: server.base, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as Error).message).toMatch(/removed from the cache/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await filesUnder(cacheDir)).toEqual([]);
  });

  it('a verified file stays cached when it fails to load because of the model options', async () => {
    const cacheDir = freshCache();
    const file = await downloadPretrained(CIFAR_TAG, { mirror: server.base, cacheDir });
    const tensors = tf.memory().numTensors;
    const error = await createModel(CIFAR_TAG, { pretrained: true, style: 'keras', offline: true, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as Error).message).not.toMatch(/removed from the cache/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await filesUnder(cacheDir)).toEqual([path.relative(cacheDir, file)]);
    const model = await createModel(CIFAR_TAG, { pretrained: true, offline: true, cacheDir });
    expect(pretrainedInfo(model)?.downloaded).toBe(false);
    model.dispose();
  });

  it('invalid model options fail before any request; a failed load leaks no tensors', async () => {
    const cacheDir = freshCache();
    const before = server.requests(timmUrl);
    const tensors = tf.memory().numTensors;
    await expect(createModel(TIMM_TAG, { pretrained: true, classes: 0, mirror: server.base, cacheDir })).rejects.toThrow(ConfigError);
    await expect(createModel(TIMM_TAG, { pretrained: true, offline: true, cacheDir })).rejects.toThrow(FetchError);
    expect(server.requests(timmUrl)).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a fallback file is fetched when the primary one cannot be', async () => {
    // resnet18.tv_in1k: torchvision's .pth first, timm's safetensors copy second.
    const entry = getPretrained('resnet18.tv_in1k');
    const cacheDir = freshCache();
    const copy = entry.files[1].url;
    // Only the fallback is served (the primary answers 404); the copy here is a tiny stand-in file.
    server.serve(copy, new Uint8Array([1, 2, 3]));
    const file = await downloadPretrained(entry.tag, { mirror: server.base, cacheDir });
    expect(file).toBe(path.join(cacheDir, entry.tag, 'model.safetensors'));
    expect(server.requests(entry.files[0].url)).toBe(1);
  });
});

describe('classifier of another size', () => {
  it('classes: 10 on an ImageNet tag re-initialises the classifier, loads the rest, and the report says so', async () => {
    const cacheDir = freshCache();
    const model = await createModel(TIMM_TAG, { pretrained: true, classes: 10, mirror: server.base, cacheDir });
    const info = pretrainedInfo(model)!;
    expect(info.classifier).toBe('reinitialized');
    expect(info.report.ignored).toEqual(expect.arrayContaining(['fc.weight', 'fc.bias']));
    expect(info.report.missing).toEqual([]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    const fc = model.getLayer('fc').getWeights()[0];
    expect(fc.shape).toEqual([512, 10]);
    expect(tf.tidy(() => tf.moments(fc).variance.dataSync()[0])).toBeGreaterThan(0); // freshly initialised, not zeros
    expect(expectSameWeights(timmModel, model, (name) => name.startsWith('fc/'))).toBe(timmModel.weights.length - 2);
    model.dispose();

    const headless = await createModel(TIMM_TAG, { pretrained: true, includeTop: false, pooling: 'avg', mirror: server.base, cacheDir });
    expect(pretrainedInfo(headless)?.classifier).toBe('omitted');
    expect(headless.outputs[0].shape).toEqual([null, 512]);
    headless.dispose();

    const features = await createModel(TIMM_TAG, { pretrained: true, featuresOnly: true, outIndices: [2, 4], mirror: server.base, cacheDir });
    expect(pretrainedInfo(features)?.classifier).toBe('omitted');
    expect(features.outputs.map((o) => o.shape)).toEqual([
      [null, 22, 22, 128],
      [null, 6, 6, 512],
    ]);
    features.dispose();
  });
});

describe('CIFAR-10 end to end: the real published checkpoint through the mirror', () => {
  it("resnet32.akamaster_cifar10 downloads, verifies, caches and gives PyTorch's top-1 on all 2,000 real images; a second call makes no request", async () => {
    const cacheDir = freshCache();
    const before = server.requests(cifarUrl);
    const model = await createModel(CIFAR_TAG, { pretrained: true, mirror: server.base, cacheDir, classifierActivation: 'linear' });
    expect(server.requests(cifarUrl)).toBe(before + 1);
    const info = pretrainedInfo(model)!;
    expect(info).toMatchObject({ downloaded: true, classifier: 'loaded' });
    expect(info.report.missing).toEqual([]);
    expect(info.report.unexpected).toEqual([]);
    expect(getPretrained(CIFAR_TAG).labels).toBe('cifar-10');
    expect(CIFAR10_CLASSES).toHaveLength(getPretrained(CIFAR_TAG).classes);

    // Pixels as PIL decodes the JPEGs (N×32×32×3), PyTorch's logits (N×10 float32), the labels.
    const [pixels, logitsRef, labels] = [cifarPixels(), torchLogits('resnet32'), cifarLabels()];
    const count = labels.length;
    expect(count).toBe(2000);
    const transform = createTransform(resolveDataConfig(model));
    const ours = new Float32Array(count * 10);
    const BATCH = 250;
    for (let start = 0; start < count; start += BATCH) {
      const out = tf.tidy(() => {
        const images = [];
        for (let i = start; i < start + BATCH; i++) {
          images.push(transform({ data: pixels.subarray(i * 3072, (i + 1) * 3072), height: 32, width: 32 }));
        }
        return model.predict(tf.stack(images)) as tf.Tensor;
      });
      ours.set(out.dataSync(), start * 10);
      out.dispose();
    }
    const { agree, correct, maxRelError } = compareLogits(ours, logitsRef, 10, labels);
    console.log(
      `resnet32.akamaster_cifar10: top-1 equal to PyTorch's on ${agree}/${count}, accuracy ${correct / count}, max |Δlogit| / max |logit| = ${maxRelError.toExponential(2)}`,
    );
    expect(agree).toBe(count);
    expect(maxRelError).toBeLessThan(1e-5);
    expect(correct / count).toBeCloseTo(0.838, 3); // PyTorch's accuracy on these JPEGs (summary.json)
    model.dispose();

    const again = await createModel('resnet32', { pretrained: true, mirror: server.base, cacheDir });
    expect(server.requests(cifarUrl)).toBe(before + 1);
    expect(pretrainedInfo(again)?.downloaded).toBe(false);
    again.dispose();
  });
});
