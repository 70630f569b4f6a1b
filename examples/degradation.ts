/**
 * The degradation experiment of He et al. (2015), measured: plain CIFAR
 * nets (no shortcuts) against ResNets of the same depth — the gradient norm
 * at the first convolution of each stage after one forward/backward pass on
 * a fixed batch, as a markdown table and an SVG plot (docs/degradation.svg).
 *
 * With `--train`, also a short training comparison: plain-56 and ResNet-56
 * on a small generated task, training loss over a few hundred steps.
 *
 *   npx tsx examples/degradation.ts            # 20, 56, 110 layers, writes docs/degradation.svg (a few minutes)
 *   npx tsx examples/degradation.ts --train    # + the training comparison (several more minutes)
 *   npx tsx examples/degradation.ts --smoke    # 20 layers, batch 4, the plot in a temp directory
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, degradationExperiment, degradationSvg, degradationTable, useBestBackend } from 'tfjs-resnet';
import { shapesDataset } from './data/shapes.js';

const smoke = process.argv.includes('--smoke');
const backend = await useBestBackend(); // on wasm it also registers the fast convolution gradients

const depths = smoke ? [20] : [20, 56, 110];
const batchSize = smoke ? 4 : 32;
console.log(`backend ${backend}; depths ${depths.join(', ')}; batch ${batchSize} (seeded); one forward/backward pass each\n`);
const results = await degradationExperiment({
  depths,
  batchSize,
  onResult: (r) => console.log(`  ${r.model.padEnd(9)} ${r.norms.map((n) => n.norm.toExponential(2)).join('  ')}  (${(r.ms / 1000).toFixed(1)} s)`),
});
console.log(`\n${degradationTable(results)}\n`);

const svgFile = smoke ? path.join(tmpdir(), 'tfjs-resnet-degradation.svg') : fileURLToPath(new URL('../docs/degradation.svg', import.meta.url));
writeFileSync(svgFile, degradationSvg(results, { title: `Gradient norm per stage at initialisation (batch ${batchSize}, training mode)` }));
console.log(`plot: ${svgFile}`);

if (process.argv.includes('--train')) {
  // Plain-56 vs ResNet-56 on 4 generated shapes (16×16 to keep it short), same data, seed and optimizer.
  const steps = 150;
  const batch = 16;
  const size = 16;
  const data = shapesDataset(['disk', 'square', 'triangle', 'bar'], 480, 7, size);
  console.log(`\ntraining loss, ${steps} steps of batch ${batch} (SGD, momentum 0.9, lr 0.02), 4 generated shapes at ${size}×${size}:`);
  const summary: string[] = [];
  for (const name of ['plain56', 'resnet56']) {
    const model = createModel(name, { classes: 4, classifierActivation: 'linear', inputShape: [size, size, 3] });
    const optimizer = tf.train.momentum(0.02, 0.9);
    const losses: number[] = [];
    const t0 = performance.now();
    for (let step = 0; step < steps; step++) {
      const start = (step * batch) % 480;
      const loss = optimizer.minimize(() => {
        const x = data.xs.slice([start, 0, 0, 0], [batch, size, size, 3]);
        const y = data.ys.slice([start, 0], [batch, 4]);
        return tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      }, true) as tf.Scalar;
      losses.push((await loss.data())[0]);
      loss.dispose();
      if ((step + 1) % 25 === 0) {
        const mean = losses.slice(-25).reduce((a, b) => a + b, 0) / 25;
        console.log(`  ${name.padEnd(8)} steps ${String(step - 23).padStart(3)}–${String(step + 1).padEnd(3)} mean loss ${mean.toFixed(3)}`);
      }
    }
    const last = losses.slice(-25).reduce((a, b) => a + b, 0) / 25;
    summary.push(`${name}: mean loss of the last 25 steps ${last.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    optimizer.dispose();
    model.dispose();
  }
  console.log(summary.map((l) => `  ${l}`).join('\n'));
  tf.dispose([data.xs, data.ys]);
}
