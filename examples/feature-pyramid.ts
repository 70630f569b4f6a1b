/**
 * A feature pyramid network (Lin et al. 2017) on a ResNet backbone:
 * `featuresOnly` gives the stage outputs C2…C5 (strides 4…32), and a few
 * tfjs layers turn them into P2…P5 — 1×1 lateral convolutions, a top-down
 * path with nearest upsampling and additions, 3×3 smoothing — the neck of
 * detectors and segmenters. `featureInfo` gives the channels and strides
 * needed to wire it, for any backbone.
 *
 *   npx tsx examples/feature-pyramid.ts           # ResNet-50, 224×224
 *   npx tsx examples/feature-pyramid.ts --smoke   # ResNet-18, 64×64
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, featureInfo, featuresOnly, useBestBackend } from 'tfjs-resnet';

const smoke = process.argv.includes('--smoke');
const [name, size, width] = smoke ? ['resnet18', 64, 64] : ['resnet50', 224, 256];
await useBestBackend();

// C2…C5: the outputs of layer1…layer4 (timm's out_indices 1…4).
const backbone = featuresOnly(createModel(name, { includeTop: false, inputShape: [size, size, 3] }), { outIndices: [1, 2, 3, 4] });
const levels = featureInfo(backbone);
console.log(`${name} levels: ${levels.map((l) => `${l.name} (${l.channels} ch, stride ${l.reduction})`).join(', ')}`);

// The FPN neck, on the backbone's symbolic outputs.
const c = backbone.outputs;
const lateral = c.map((t, i) => tf.layers.conv2d({ filters: width, kernelSize: 1, name: `fpn.lateral${i + 2}` }).apply(t) as tf.SymbolicTensor);
const top = new Array<tf.SymbolicTensor>(c.length);
top[c.length - 1] = lateral[c.length - 1];
for (let i = c.length - 2; i >= 0; i--) {
  const factor = levels[i + 1].reduction / levels[i].reduction;
  const up = tf.layers.upSampling2d({ size: [factor, factor], name: `fpn.up${i + 3}` }).apply(top[i + 1]) as tf.SymbolicTensor;
  top[i] = tf.layers.add({ name: `fpn.merge${i + 2}` }).apply([lateral[i], up]) as tf.SymbolicTensor;
}
const p = top.map((t, i) => tf.layers.conv2d({ filters: width, kernelSize: 3, padding: 'same', name: `fpn.p${i + 2}` }).apply(t) as tf.SymbolicTensor);
const fpn = tf.model({ inputs: backbone.inputs, outputs: p, name: `${name}_fpn` });

const image = tf.randomUniform([1, size, size, 3]);
const pyramid = fpn.predict(image) as tf.Tensor[];
pyramid.forEach((t, i) => console.log(`  P${i + 2}: [${t.shape.join(', ')}]  (stride ${levels[i].reduction})`));
console.log(`FPN: ${fpn.countParams().toLocaleString('en-US')} parameters (backbone ${backbone.countParams().toLocaleString('en-US')})`);

tf.dispose([image, ...pyramid]);
fpn.dispose();
