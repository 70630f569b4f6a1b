// The browser demo (bundled by examples/browser/serve.ts): pick an image, run
// a ResNet, show the top-5 ImageNet classes and how long each step took.
//
// Which model runs comes from the query string, or else from config.json
// next to the page (written by serve.ts):
//   ?model=converted/model.json         a tfjs LayersModel directory, as the CLI's `convert` writes it
//   ?weights=resnet50.safetensors&arch=resnet50   a PyTorch state dict loaded into a preset
//   &mode=torch|caffe|tf                 input normalization (default torch, as torchvision weights expect)
//   &backend=webgl,wasm,cpu              backends to try, in order
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  decodePredictions,
  imagenetEvalTransform,
  loadPyTorchWeights,
  preprocessInput,
  resnet101,
  resnet152,
  resnet18,
  resnet34,
  resnet50,
  useBestBackend,
  type PreprocessMode,
} from 'tfjs-resnet';

/** What to run; every field may also come from the query string. */
interface DemoConfig {
  /** URL of a converted LayersModel's model.json. */
  model?: string;
  /** URL of a PyTorch state dict (.safetensors) for `arch`. */
  weights?: string;
  /** The preset the weights belong to. */
  arch?: keyof typeof PRESETS;
  /** Input normalization of the weights. */
  mode?: PreprocessMode;
  /** Backends to try, comma-separated. */
  backend?: string;
  /** A line shown under the results (e.g. that the weights are untrained test weights). */
  note?: string;
}

const PRESETS = { resnet18, resnet34, resnet50, resnet101, resnet152 };

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (text: string): void => {
  $('status').textContent = text;
};
const timings: Array<[string, string]> = [];
const showTimings = (): void => {
  $('timing').replaceChildren(
    ...timings.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
};
const setTiming = (key: string, value: string): void => {
  const row = timings.find(([k]) => k === key);
  if (row) row[1] = value;
  else timings.push([key, value]);
  showTimings();
};
const ms = (t: number): string => `${t.toFixed(0)} ms`;

async function readConfig(): Promise<DemoConfig> {
  let file: DemoConfig = {};
  try {
    const res = await fetch('config.json');
    if (res.ok) file = (await res.json()) as DemoConfig;
  } catch {
    // no config.json: the query string alone decides
  }
  const q = Object.fromEntries(new URLSearchParams(location.search)) as DemoConfig;
  return { ...file, ...q };
}

async function loadModel(config: DemoConfig): Promise<{ model: tf.LayersModel; label: string }> {
  if (config.model) {
    // Importing tfjs-resnet registers its custom layers, so converted models deserialize.
    const model = await tf.loadLayersModel(new URL(config.model, location.href).href);
    return { model, label: `${model.name} (converted LayersModel, ${config.model})` };
  }
  const arch = config.arch ?? 'resnet18';
  const build = PRESETS[arch];
  if (build === undefined) throw new Error(`unknown arch "${arch}"; use one of ${Object.keys(PRESETS).join(', ')}`);
  const model = build({ init: 'zeros' });
  if (!config.weights) throw new Error('no model: pass ?model=<model.json URL> or ?weights=<.safetensors URL>&arch=<preset>');
  const report = await loadPyTorchWeights(model, new URL(config.weights, location.href), {
    onProgress: (p) => {
      if (p.phase === 'fetch') status(`Downloading weights… ${(p.loaded / 1e6).toFixed(1)} MB`);
    },
  });
  return { model, label: `${arch} + ${config.weights} (${report.loaded.length} tensors)` };
}

async function main(): Promise<void> {
  const config = await readConfig();
  setWasmPaths(new URL('wasm/', location.href).href);
  status('Choosing a backend…');
  const prefer = (config.backend ?? 'webgl,wasm,cpu').split(',') as Array<'webgl' | 'wasm' | 'cpu'>;
  const backend = await useBestBackend({ prefer });
  setTiming('backend', backend);

  status('Loading the model…');
  let t0 = performance.now();
  const { model, label } = await loadModel(config);
  setTiming('model', label);
  setTiming('load', ms(performance.now() - t0));

  status('Warming up (compiling kernels)…');
  const [, h, w, c] = model.inputs[0].shape;
  t0 = performance.now();
  const warm = tf.tidy(() => model.predict(tf.zeros([1, h ?? 224, w ?? 224, c ?? 3])) as tf.Tensor);
  await warm.data();
  warm.dispose();
  setTiming('warm-up', ms(performance.now() - t0));
  if (config.note) {
    $('note').textContent = config.note;
    $('note').hidden = false;
  }

  const input = $<HTMLInputElement>('file');
  input.disabled = false;
  status('Ready: choose an image.');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) classify(model, file, config.mode ?? 'torch').catch(fail);
  });
}

async function classify(model: tf.LayersModel, file: File, mode: PreprocessMode): Promise<void> {
  status(`Classifying ${file.name}…`);
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  await img.decode();
  img.alt = file.name;
  $('preview').replaceChildren(img);

  let t0 = performance.now();
  const x = tf.tidy(() => {
    const pixels = tf.browser.fromPixels(img); // int32 [h, w, 3]
    return preprocessInput(imagenetEvalTransform(pixels), { mode }).expandDims(0);
  });
  const preprocessMs = performance.now() - t0;

  t0 = performance.now();
  const out = model.predict(x) as tf.Tensor;
  const scores = Array.from(await out.data());
  const inferenceMs = performance.now() - t0;
  // A converted model may end in logits or in softmax: normalize to probabilities.
  const sum = scores.reduce((a, b) => a + b, 0);
  const isProb = Math.abs(sum - 1) < 1e-3 && scores.every((v) => v >= 0);
  const probs = isProb ? out : tf.tidy(() => tf.softmax(out));
  const [top5] = decodePredictions(probs as tf.Tensor2D, { top: 5 });
  tf.dispose([x, out, probs]);

  $('top5').replaceChildren(
    ...top5.map((p, i) => {
      const tr = document.createElement('tr');
      tr.innerHTML = `<td class="rank">${i + 1}</td><td class="label"></td><td class="index">${p.index}</td>
        <td class="prob"><span class="bar" style="width:${Math.max(2, Math.round(p.probability * 220))}px"></span>${(p.probability * 100).toFixed(2)}%</td>`;
      tr.querySelector('.label')!.textContent = p.label;
      return tr;
    }),
  );
  setTiming('image', `${file.name}, ${img.naturalWidth}×${img.naturalHeight}`);
  setTiming('preprocess', `${ms(preprocessMs)} (resize 256, crop 224, ${mode} normalization)`);
  setTiming('inference', ms(inferenceMs));
  status(`Done: ${top5[0].label}.`);
  document.body.dataset.done = String(Number(document.body.dataset.done ?? '0') + 1);
}

function fail(e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  $('status').innerHTML = '';
  const span = document.createElement('span');
  span.className = 'error';
  span.textContent = `Error: ${text}`;
  $('status').append(span);
  console.error(e);
}

main().catch(fail);
