// The browser test page of published weights (bundled by pretrained.ts): in
// Chromium, createModel('resnet32.akamaster_cifar10', { pretrained, mirror })
// downloads akamaster's real checkpoint from the local mirror, verifies its
// sha256 with WebCrypto and stores it in the Cache API; a second createModel
// loads it from the cache. The model then classifies real CIFAR-10 images,
// compared with PyTorch's logits.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { compareLogits } from '../helpers/logits.js';
import { cacheInfo, clearCache, createModel, createTransform, pretrainedInfo, resolveDataConfig, useBestBackend } from 'tfjs-resnet';

/** What the page reports to Node (`window.__pretrained`). */
export interface PretrainedPageResult {
  ok: boolean;
  backend: string;
  /** Whether the first load downloaded, and the second did. */
  firstDownloaded: boolean;
  secondDownloaded: boolean;
  /** Cache API entries after the loads. */
  cacheEntries: number;
  /** Images whose top-1 equals PyTorch's, of `count`. */
  agree: number;
  count: number;
  /** max |ours − ref| / max |ref| over the logits. */
  maxRelError: number;
  error?: string;
}

declare global {
  interface Window {
    __pretrained?: PretrainedPageResult;
  }
}

const TAG = 'resnet32.akamaster_cifar10';
const log = (line: string): void => {
  document.querySelector('#log')!.textContent += line + '\n';
  console.log(line);
};

async function run(): Promise<PretrainedPageResult> {
  setWasmPaths(new URL('wasm/', location.href).href);
  const backend = await useBestBackend({ prefer: ['wasm', 'cpu'] });
  log(`backend: ${backend}`);
  await clearCache();
  const mirror = new URL('mirror', location.href).href;

  const first = await createModel(TAG, { pretrained: true, mirror, classifierActivation: 'linear' });
  const firstDownloaded = pretrainedInfo(first)?.downloaded === true;
  first.dispose();
  const model = await createModel('resnet32', { pretrained: true, mirror, classifierActivation: 'linear' });
  const secondDownloaded = pretrainedInfo(model)?.downloaded === true;
  const cacheEntries = (await cacheInfo()).entries.length;
  log(`first load downloaded: ${firstDownloaded}; second: ${secondDownloaded}; cache entries: ${cacheEntries}`);

  const pixels = new Uint8Array(await (await fetch('images.bin')).arrayBuffer());
  const ref = new Float32Array(await (await fetch('logits.bin')).arrayBuffer());
  const count = pixels.length / 3072;
  const transform = createTransform(resolveDataConfig(model));
  const logits = tf.tidy(() => {
    const images = [];
    for (let i = 0; i < count; i++) images.push(transform({ data: pixels.subarray(i * 3072, (i + 1) * 3072), height: 32, width: 32 }));
    return model.predict(tf.stack(images)) as tf.Tensor;
  });
  const ours = await logits.data();
  logits.dispose();
  model.dispose();

  const { agree, maxRelError } = compareLogits(ours, ref, 10);
  log(`top-1 equal to PyTorch's on ${agree}/${count}; max relative error ${maxRelError.toExponential(2)}`);
  await clearCache(TAG);
  return {
    ok: firstDownloaded && !secondDownloaded && cacheEntries === 1 && agree === count && maxRelError < 1e-5,
    backend,
    firstDownloaded,
    secondDownloaded,
    cacheEntries,
    agree,
    count,
    maxRelError,
  };
}

run().then(
  (result) => {
    window.__pretrained = result;
    log(result.ok ? 'PASS' : 'FAIL');
  },
  (e: unknown) => {
    const error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    log(error);
    window.__pretrained = {
      ok: false,
      backend: tf.getBackend() ?? 'none',
      firstDownloaded: false,
      secondDownloaded: false,
      cacheEntries: 0,
      agree: 0,
      count: 0,
      maxRelError: NaN,
      error,
    };
  },
);
