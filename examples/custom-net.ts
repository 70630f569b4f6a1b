/**
 * A custom residual network, two ways: from blocks and stages in the tfjs
 * functional API, and from a configuration with `resnet(config)`. Both are
 * ordinary `tf.LayersModel`s; the configured one also knows its feature
 * levels, so `summarize`, `featuresOnly` and `freezeUpTo` work on it.
 *
 *   npx tsx examples/custom-net.ts [--smoke]
 */
import * as tf from '@tensorflow/tfjs';
import { basicBlock, bottleneckBlock, featureInfo, featuresOnly, resnet, stage, summarize, useBestBackend } from 'tfjs-resnet';

const smoke = process.argv.includes('--smoke');
const size = smoke ? 32 : 64;
await useBestBackend();

// 1. Blocks and stages in the functional API: any tfjs layer fits between them.
const input = tf.input({ shape: [size, size, 3] });
let x = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
x = stage({ block: 'basic', filters: 32, blocks: 2, name: 'layer1' }).apply(x);
x = bottleneckBlock({ filters: 32, stride: 2, name: 'layer2.0' }).apply(x); // projection shortcut: stride 2, 32 → 128 channels
x = basicBlock({ filters: 128, name: 'layer2.1' }).apply(x); // identity shortcut
x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
const logits = tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor;
const handmade = tf.model({ inputs: input, outputs: logits, name: 'handmade' });
console.log(`handmade: ${handmade.countParams().toLocaleString('en-US')} parameters, ${handmade.layers.length} layers`);

// 2. The same idea as a configuration: 3 stages of bottlenecks, narrower, 10 classes.
const configured = resnet(
  { block: 'bottleneck', layers: [2, 2, 2], widths: [32, 64, 128], stemWidth: 32 },
  { inputShape: [size, size, 3], classes: 10, classifierActivation: 'linear', name: 'resnet29_narrow' },
);
const s = summarize(configured);
console.log(`${configured.name}: ${s.trainableParams.toLocaleString('en-US')} trainable parameters, ${s.macs?.toLocaleString('en-US')} multiply–adds`);
for (const section of s.sections) {
  console.log(`  ${section.name.padEnd(7)} ${String(section.trainableParams).padStart(8)} params → [${section.outputShape.map((d) => d ?? 'N').join(', ')}]`);
}

// 3. Both run like any model; the configured one also gives its feature maps.
const batch = tf.randomUniform([2, size, size, 3]);
const [a, b] = [handmade.predict(batch) as tf.Tensor, configured.predict(batch) as tf.Tensor];
console.log(`outputs: handmade [${a.shape.join(', ')}], configured [${b.shape.join(', ')}]`);
const maps = featuresOnly(configured);
const features = maps.predict(batch) as tf.Tensor[];
featureInfo(maps).forEach((f, i) =>
  console.log(
    `  ${f.name.padEnd(7)} ${String(f.channels).padStart(4)} channels, stride ${String(f.reduction).padStart(2)} → [${features[i].shape.join(', ')}]`,
  ),
);

tf.dispose([batch, a, b, ...features]);
handmade.dispose();
configured.dispose();
