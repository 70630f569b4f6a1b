/**
 * The main job: build a ResNet on the best backend available (tfjs-node, else
 * WebAssembly, else plain JS), print its summary — parameters and output
 * shape per stage, totals beside torchvision's reference figures — and time
 * one forward pass.
 *
 *   npm start                 # resnet50
 *   npm start -- resnet18     # any depth 18 | 34 | 50 | 101 | 152
 */
import * as tf from '@tensorflow/tfjs';
import { resnet, summarize, useBestBackend, RESNET_DEPTHS, type ResNetDepth } from 'tfjs-resnet';

/** torchvision 0.14's own figures (trainable parameters, multiply–adds at 224×224). */
const TORCHVISION: Record<ResNetDepth, { params: number; macs: number }> = {
  18: { params: 11_689_512, macs: 1_814_073_344 },
  34: { params: 21_797_672, macs: 3_663_761_408 },
  50: { params: 25_557_032, macs: 4_089_184_256 },
  101: { params: 44_549_160, macs: 7_801_405_440 },
  152: { params: 60_192_808, macs: 11_513_626_624 },
};

const arg = process.argv[2] ?? 'resnet50';
const depth = Number(arg.replace(/^resnet/, '')) as ResNetDepth;
if (!(depth in RESNET_DEPTHS)) {
  console.error(`unknown model "${arg}"; valid: ${Object.keys(RESNET_DEPTHS).map((d) => `resnet${d}`).join(', ')}`);
  process.exit(2);
}

const backend = await useBestBackend();
const t0 = performance.now();
const model = resnet(depth, { classifierActivation: 'linear' });
const buildMs = performance.now() - t0;
const s = summarize(model);
const ref = TORCHVISION[depth];
const fmt = (n: number | undefined): string => (n === undefined ? '?' : n.toLocaleString('en-US'));

console.log(`${model.name} on the ${backend} backend (built in ${buildMs.toFixed(0)} ms)\n`);
console.log('| section | trainable params | all params | output shape (NHWC) |');
console.log('|---|---:|---:|---|');
for (const sec of s.sections) {
  console.log(`| ${sec.name} | ${fmt(sec.trainableParams)} | ${fmt(sec.totalParams)} | [${sec.outputShape.map((d) => d ?? 'N').join(', ')}] |`);
}
console.log(`\ntrainable parameters: ${fmt(s.trainableParams)} (torchvision: ${fmt(ref.params)}) ${s.trainableParams === ref.params ? '✓ equal' : '✗ DIFFERENT'}`);
console.log(`multiply–adds:        ${fmt(s.macs)} (torchvision: ${fmt(ref.macs)}) ${s.macs === ref.macs ? '✓ equal' : '✗ DIFFERENT'}`);

const x = tf.randomUniform([1, 224, 224, 3], -1, 1);
const warm = model.predict(x) as tf.Tensor;
await warm.data();
warm.dispose();
const t1 = performance.now();
const y = model.predict(x) as tf.Tensor;
await y.data();
console.log(`forward pass, batch 1, 224×224: ${(performance.now() - t1).toFixed(0)} ms (${backend})`);
tf.dispose([x, y]);
model.dispose();
