/**
 * The main job: pick the best backend available (tfjs-node, else WebAssembly,
 * else plain JS), print a model's summary — parameters, output shape and
 * multiply–adds per stage, beside the reference's own figures — and time one
 * forward pass.
 *
 *   npm start                  # resnet50
 *   npm start -- seresnext50_32x4d
 *   npm start -- --smoke       # resnet18, as the test suite runs it
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, useBestBackend } from 'tfjs-resnet';
import { nodeCliIo, runCli } from 'tfjs-resnet/node';

const args = process.argv.slice(2);
// --smoke: the quick run the test suite makes.
const name = args.find((a) => !a.startsWith('--')) ?? (args.includes('--smoke') ? 'resnet18' : 'resnet50');
const backend = await useBestBackend();
console.log(`backend: ${backend}\n`);

// The summary (the CLI's `summary` command), with the reference figures.
const code = await runCli(['summary', name], nodeCliIo());
if (code !== 0) process.exit(code);

const model = createModel(name, { classifierActivation: 'linear' });
const [h, w, c] = model.inputs[0].shape.slice(1).map((d) => d ?? 224);
const x = tf.randomUniform([1, h, w, c], -1, 1);
const warm = model.predict(x) as tf.Tensor;
await warm.data();
warm.dispose();
const t0 = performance.now();
const y = model.predict(x) as tf.Tensor;
await y.data();
console.log(`\nforward pass, batch 1, ${h}×${w}: ${(performance.now() - t0).toFixed(0)} ms on ${backend}`);
tf.dispose([x, y]);
model.dispose();
