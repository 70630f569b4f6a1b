// The browser test page (bundled by run.ts): builds resnet18 from the
// package's ESM build on the best browser backend, loads the hash-init
// weights from a URL, runs the hash input and compares the logits with
// torchvision's (test/fixtures/resnet18-dev-1x224x224.json) inside the page.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadPyTorchWeights, resnet18, useBestBackend } from 'tfjs-resnet';
import { hashValue } from '../helpers/hash-init.js';

/** What the page reports to Node (`window.__result`). */
export interface BrowserResult {
  ok: boolean;
  backend: string;
  /** max |ours − ref| / max |ref| over the logits. */
  maxRelError: number;
  tolerance: number;
  /** ms: fetch + load of the weights, first forward pass (with kernel compilation), second one. */
  loadMs: number;
  firstPredictMs: number;
  predictMs: number;
  loadedTensors: number;
  /** Tensors still allocated after the run, minus those of the model. */
  leakedTensors: number;
  userAgent: string;
  webglVersion?: number;
  /** The unmasked WebGL renderer (SwiftShader when Chromium runs without a GPU). */
  webglRenderer?: string;
  error?: string;
}

declare global {
  interface Window {
    __result?: BrowserResult;
  }
}

const TOLERANCE = 1e-4;
const log = (line: string): void => {
  document.querySelector('#log')!.textContent += line + '\n';
  console.log(line);
};

function webglRenderer(): string | undefined {
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : undefined;
}

async function run(): Promise<BrowserResult> {
  const params = new URLSearchParams(location.search);
  const prefer = (params.get('prefer') ?? 'webgl,wasm,cpu').split(',') as Array<'webgl' | 'wasm' | 'cpu'>;
  // In a browser the app imports the wasm backend itself (so its bundler sees
  // it) and says where the .wasm binaries are served.
  setWasmPaths(new URL('wasm/', location.href).href);
  const backend = await useBestBackend({ prefer });
  log(`backend: ${backend}`);

  const golden = (await (await fetch('fixture.json')).json()) as {
    salt: string;
    input_shape_nchw: [number, number, number, number];
    logits: number[][];
  };
  const [n, , h, w] = golden.input_shape_nchw;

  const model = resnet18({ init: 'zeros', classifierActivation: 'linear', inputShape: [h, w, 3] });
  const modelTensors = tf.memory().numTensors;
  let t0 = performance.now();
  const report = await loadPyTorchWeights(model, new URL('resnet18.safetensors', location.href));
  const loadMs = performance.now() - t0;
  log(`loaded ${report.loaded.length} tensors in ${loadMs.toFixed(0)} ms`);

  const x = tf.tidy(() => tf.transpose(tf.tensor4d(hashValue(golden.salt, 'input', golden.input_shape_nchw), golden.input_shape_nchw), [0, 2, 3, 1]));
  t0 = performance.now();
  const first = model.predict(x) as tf.Tensor;
  await first.data();
  const firstPredictMs = performance.now() - t0;
  first.dispose();
  t0 = performance.now();
  const y = model.predict(x) as tf.Tensor;
  const ours = await y.data();
  const predictMs = performance.now() - t0;
  tf.dispose([x, y]);

  const ref = golden.logits.flat();
  let worst = 0;
  let scale = 0;
  ref.forEach((r, i) => {
    worst = Math.max(worst, Math.abs(ours[i] - r));
    scale = Math.max(scale, Math.abs(r));
  });
  const maxRelError = worst / scale;
  const shapeOk = ours.length === n * 1000 && ref.length === n * 1000;
  log(`max relative error of the logits: ${maxRelError.toExponential(2)} (tolerance ${TOLERANCE})`);
  const leakedTensors = tf.memory().numTensors - modelTensors;
  model.dispose();

  return {
    ok: shapeOk && Number.isFinite(maxRelError) && maxRelError <= TOLERANCE && leakedTensors === 0,
    backend,
    maxRelError,
    tolerance: TOLERANCE,
    loadMs,
    firstPredictMs,
    predictMs,
    loadedTensors: report.loaded.length,
    leakedTensors,
    userAgent: navigator.userAgent,
    webglVersion: backend === 'webgl' ? tf.env().getNumber('WEBGL_VERSION') : undefined,
    webglRenderer: backend === 'webgl' ? webglRenderer() : undefined,
  };
}

run().then(
  (result) => {
    window.__result = result;
    log(result.ok ? 'PASS' : 'FAIL');
  },
  (e: unknown) => {
    const error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    log(error);
    window.__result = {
      ok: false,
      backend: tf.getBackend() ?? 'none',
      maxRelError: NaN,
      tolerance: TOLERANCE,
      loadMs: NaN,
      firstPredictMs: NaN,
      predictMs: NaN,
      loadedTensors: 0,
      leakedTensors: 0,
      userAgent: navigator.userAgent,
      error,
    };
  },
);
