/**
 * Quick start: build a ResNet by name, look at it, run it, and get an
 * embedding vector — the first five minutes with tfjs-resnet.
 *
 *   npx tsx examples/quick-start.ts           # ResNet-50 at 224×224
 *   npx tsx examples/quick-start.ts --smoke   # ResNet-18 at 64×64
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, decodePredictions, featureInfo, preprocessInput, summarize, useBestBackend } from 'tfjs-resnet';

const smoke = process.argv.includes('--smoke');
const name = smoke ? 'resnet18' : 'resnet50';
const size = smoke ? 64 : 224;

const backend = await useBestBackend(); // tfjs-node if installed, else WebAssembly, else plain JS
console.log(`backend: ${backend}`);

// 1. A classifier, as torchvision builds it (logits out). Random weights here: see
//    predict-pytorch-weights.ts for loading torchvision's.
const model = createModel(name, { classifierActivation: 'linear', inputShape: [size, size, 3] });
const s = summarize(model);
console.log(`${model.name}: ${s.trainableParams.toLocaleString('en-US')} trainable parameters, ${s.sections.length} sections`);
for (const section of s.sections) console.log(`  ${section.name.padEnd(7)} → [${section.outputShape.map((d) => d ?? 'N').join(', ')}]`);

// 2. A forward pass on an image-like tensor (0..255), normalized as torchvision expects.
const image = tf.tidy(() => tf.linspace(0, 255, size * size * 3).reshape([1, size, size, 3]));
const probs = tf.tidy(() => tf.softmax(model.predict(preprocessInput(image, { mode: 'torch' })) as tf.Tensor));
console.log(
  'top 3 (random weights, so meaningless):',
  decodePredictions(probs, { top: 3 })[0]
    .map((p) => `${p.label} ${p.probability.toFixed(4)}`)
    .join(', '),
);

// 3. Feature levels (timm's feature_info) and an embedding: no classifier, global average pooling.
console.log(
  'feature levels:',
  featureInfo(model)
    .map((f) => `${f.name} ${f.channels}ch /${f.reduction}`)
    .join(', '),
);
const backbone = createModel(name, { includeTop: false, pooling: 'avg', inputShape: [size, size, 3] });
const embedding = tf.tidy(() => backbone.predict(preprocessInput(image, { mode: 'torch' })) as tf.Tensor);
console.log(`embedding: [${embedding.shape.join(', ')}]`);

tf.dispose([image, probs, embedding]);
model.dispose();
backbone.dispose();
