/**
 * Transfer learning with tfjs-resnet: train a small ResNet on one task,
 * then reuse its backbone for a new task with little data — a new head
 * (`replaceHead`), the early stages frozen (`freezeUpTo`), frozen BatchNorm
 * layers kept in inference mode — and compare with the same network trained
 * from scratch on the same small data.
 *
 * The data is generated deterministically (examples/data/shapes.ts): source
 * task, 4 shapes (disk, square, triangle, bar); target task, 3 other shapes
 * (ring, diamond, cross) with only a few dozen images per class.
 *
 *   npx tsx examples/transfer-learning.ts           # ~1–2 minutes
 *   npx tsx examples/transfer-learning.ts --smoke   # a few seconds
 */
import * as tf from '@tensorflow/tfjs';
import { freezeUpTo, replaceHead, resnet, summarize, useBestBackend } from 'tfjs-resnet';
import { shapesDataset } from './data/shapes.js';

const smoke = process.argv.includes('--smoke');
const sizes = smoke
  ? { source: 64, target: 48, test: 48, sourceEpochs: 1, targetEpochs: 1 }
  : { source: 1200, target: 120, test: 300, sourceEpochs: 5, targetEpochs: 10 };

const backend = await useBestBackend(); // on wasm it also registers the fast convolution gradients
console.log(`backend: ${backend}${smoke ? ' (smoke run)' : ''}`);

/** A ResNet-8-ish backbone for 32×32 images: stem, three stages of one basic block. */
const backbone = () =>
  resnet({ block: 'basic', layers: [1, 1, 1], widths: [16, 32, 64], stemWidth: 16 }, { inputShape: [32, 32, 3], includeTop: false, pooling: 'avg' });

/** Trains `model` and prints the loss of each epoch; returns the last epoch's loss. */
async function train(label: string, model: tf.LayersModel, data: { xs: tf.Tensor; ys: tf.Tensor }, fit: { epochs: number; lr: number }): Promise<number> {
  const { epochs, lr } = fit;
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let last = NaN;
  await model.fit(data.xs, data.ys, {
    epochs,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => {
        last = logs?.loss ?? NaN;
        console.log(`  ${label} epoch ${epoch + 1}/${epochs}: loss ${last.toFixed(3)}, train accuracy ${(logs?.acc ?? 0).toFixed(3)}`);
      },
    },
  });
  return last;
}

/** Accuracy of `model` on `data`. */
function accuracy(model: tf.LayersModel, data: { xs: tf.Tensor; labels: number[] }): number {
  const predicted = tf.tidy(() => (model.predict(data.xs) as tf.Tensor).argMax(-1).dataSync());
  return data.labels.filter((l, i) => predicted[i] === l).length / data.labels.length;
}

const t0 = performance.now();
// 1. The source task: train backbone + head on 4 shapes.
const source = shapesDataset(['disk', 'square', 'triangle', 'bar'], sizes.source, 1);
const pretrained = replaceHead(backbone(), 4);
console.log(`\n1. source task (4 shapes, ${sizes.source} images): ${summarize(pretrained).trainableParams.toLocaleString('en-US')} parameters`);
await train('source', pretrained, source, { epochs: sizes.sourceEpochs, lr: 3e-3 });

// 2. The target task: a new 3-class head on the trained backbone, stem and layer1 frozen.
const target = shapesDataset(['ring', 'diamond', 'cross'], sizes.target, 2);
const test = shapesDataset(['ring', 'diamond', 'cross'], sizes.test, 3);
const finetuned = replaceHead(pretrained, 3);
const frozen = freezeUpTo(finetuned, 'layer1');
const frozenBn = finetuned.getLayer('layer1.0.bn2');
const before = frozenBn.getWeights().map((w) => w.dataSync().slice());
console.log(
  `\n2. target task (3 new shapes, ${sizes.target} images): ${frozen.layers.length} layers frozen, ${frozen.trainableParams.toLocaleString('en-US')} parameters trained`,
);
const fineLoss = await train('fine-tune', finetuned, target, { epochs: sizes.targetEpochs, lr: 1e-3 });
const unchanged = frozenBn.getWeights().every((w, i) => w.dataSync().every((v, j) => Object.is(v, before[i][j])));
console.log(`  frozen BatchNorm statistics unchanged by fit: ${unchanged ? 'yes ✓' : 'NO ✗'}`);

// 3. The same network from scratch on the same small target set, same budget.
const scratch = replaceHead(backbone(), 3);
console.log(`\n3. from scratch on the same ${sizes.target} images`);
const scratchLoss = await train('scratch', scratch, target, { epochs: sizes.targetEpochs, lr: 1e-3 });

const fineAcc = accuracy(finetuned, test);
const scratchAcc = accuracy(scratch, test);
console.log(`\nheld-out accuracy on ${sizes.test} target images (chance 0.333):`);
console.log(`  fine-tuned backbone: ${fineAcc.toFixed(3)} (final training loss ${fineLoss.toFixed(3)})`);
console.log(`  from scratch:        ${scratchAcc.toFixed(3)} (final training loss ${scratchLoss.toFixed(3)})`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);

tf.dispose([source.xs, source.ys, target.xs, target.ys, test.xs, test.ys]);
if (!unchanged) process.exitCode = 1;
