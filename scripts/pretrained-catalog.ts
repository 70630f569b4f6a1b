// Generates src/pretrained/catalog-data.ts, the catalog of published weights,
// from test/fixtures/pretrained/published-weights.json (a copy of
// shared/pretrained/published-weights.json: torchvision 0.14's Weights enums,
// timm's default_cfgs for ResNet and ResNetV2, Keras Applications' h5 URLs and
// md5s, akamaster's CIFAR-10 checkpoints with sha256).
//
//   npx tsx scripts/pretrained-catalog.ts           # rewrite the table
//   npx tsx scripts/pretrained-catalog.ts --check   # exit 1 if it is out of date
//
// Only weights whose architecture the registry builds exactly are listed:
// torchvision enums and timm tags of registered torchvision/timm names (timm
// tags with trained weights on the Hugging Face Hub, 1000 classes), the
// CIFAR-10 checkpoints of registered depths, Keras h5 files of registered
// Keras-style architectures (listed as not loadable).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getModel, listModels } from '../src/models/registry.js';
import type { PretrainedWeights, WeightsFile } from '../src/pretrained/entry.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'test/fixtures/pretrained/published-weights.json');
const OUT = path.join(ROOT, 'src/pretrained/catalog-data.ts');

type Triple = [number, number, number];
interface TorchvisionFacts {
  url: string;
  sha256_prefix: string;
  'acc@1': number;
  'acc@5': number;
  transforms: { resize_size: number[]; crop_size: number[]; interpolation: string; mean: Triple; std: Triple };
  is_default: boolean;
  categories: number;
}
interface TimmFacts {
  url?: string;
  hf_hub_id?: string;
  num_classes: number;
  input_size: [number, number, number];
  test_input_size?: [number, number, number];
  crop_pct: number;
  test_crop_pct?: number;
  interpolation: string;
  mean: Triple;
  std: Triple;
  classifier: string;
  license?: string;
  origin_url?: string;
}
interface KerasFacts {
  url_top: string;
  md5_top: string;
  preprocess: 'caffe' | 'tf';
}
interface CifarFacts {
  url: string;
  test_error_reported_pct: number;
  normalize: { mean: Triple; std: Triple };
  classifier: string;
  sha256?: string;
  bytes?: number;
}
interface Published {
  torchvision: Record<string, TorchvisionFacts>;
  timm: Record<string, TimmFacts>;
  keras: Record<string, KerasFacts>;
  cifar10_akamaster: Record<string, CifarFacts>;
}

const facts = JSON.parse(readFileSync(SOURCE, 'utf8')) as Published;
const registered = new Set(listModels());
const sourceOf = (name: string): string | undefined => (registered.has(name) ? getModel(name).source : undefined);
const interpolation = (s: string): 'bilinear' | 'bicubic' => {
  if (s !== 'bilinear' && s !== 'bicubic') throw new Error(`unsupported interpolation ${s}`);
  return s;
};
const hw = (size: readonly number[]): [number, number] => [size[size.length - 2], size[size.length - 1]];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const byTag = new Map<string, Mutable<PretrainedWeights>>();
const skipped: string[] = [];

// timm: every trained 1000-class tag of a registered torchvision/timm architecture.
for (const [tag, t] of Object.entries(facts.timm)) {
  const model = tag.slice(0, tag.indexOf('.'));
  const source = sourceOf(model);
  if ((source !== 'timm' && source !== 'torchvision') || t.hf_hub_id === undefined || t.num_classes !== 1000) {
    skipped.push(tag);
    continue;
  }
  const files: WeightsFile[] = [{ url: `https://huggingface.co/${t.hf_hub_id}/resolve/main/model.safetensors`, format: 'safetensors' }];
  if (t.url !== undefined && t.url !== '') files.push({ url: t.url, format: 'pth' });
  byTag.set(tag, {
    tag,
    model,
    origin: 'timm',
    files,
    loadable: true,
    license: t.license ?? 'unknown',
    originUrl: t.origin_url ?? 'https://github.com/huggingface/pytorch-image-models',
    labels: 'imagenet-1k',
    classes: 1000,
    classifier: t.classifier,
    data: {
      inputSize: hw(t.input_size),
      ...(t.test_input_size !== undefined ? { testInputSize: hw(t.test_input_size) } : {}),
      interpolation: interpolation(t.interpolation),
      mean: t.mean,
      std: t.std,
      cropPct: t.crop_pct,
      ...(t.test_crop_pct !== undefined ? { testCropPct: t.test_crop_pct } : {}),
    },
    isDefault: false,
  });
}

// torchvision: every enum, as `<arch>.tv_in1k` (V1) / `<arch>.tv2_in1k` (V2), the .pth first, timm's safetensors copy next.
for (const [name, t] of Object.entries(facts.torchvision)) {
  const [weightsClass, member] = name.split('.');
  const model = weightsClass.replace(/_Weights$/, '').toLowerCase();
  if (sourceOf(model) !== 'torchvision') throw new Error(`torchvision enum ${name}: ${model} is not a registered torchvision model`);
  const version = /^IMAGENET1K_V(\d)$/.exec(member);
  if (version === null) throw new Error(`unexpected torchvision enum member ${name}`);
  const tag = `${model}.${version[1] === '1' ? 'tv' : 'tv2'}_in1k`;
  const copy = byTag.get(tag);
  const resize = t.transforms.resize_size[0];
  const crop = t.transforms.crop_size[0];
  byTag.set(tag, {
    tag,
    model,
    origin: 'torchvision',
    files: [{ url: t.url, format: 'pth', digest: { sha256Prefix: t.sha256_prefix } }, ...(copy?.files.filter((f) => f.format === 'safetensors') ?? [])],
    loadable: true,
    license: 'bsd-3-clause',
    originUrl: 'https://github.com/pytorch/vision',
    top1: t['acc@1'],
    top5: t['acc@5'],
    labels: 'imagenet-1k',
    classes: t.categories,
    classifier: 'fc',
    data: {
      inputSize: [crop, crop],
      interpolation: interpolation(t.transforms.interpolation),
      mean: t.transforms.mean,
      std: t.transforms.std,
      cropPct: crop / resize,
      resizeSize: resize,
    },
    torchvisionEnum: member,
    isDefault: t.is_default,
  });
}

// akamaster's CIFAR-10 nets of the registered depths.
for (const [model, c] of Object.entries(facts.cifar10_akamaster)) {
  if (sourceOf(model) !== 'paper') {
    skipped.push(`${model}.akamaster_cifar10`);
    continue;
  }
  const tag = `${model}.akamaster_cifar10`;
  byTag.set(tag, {
    tag,
    model,
    origin: 'akamaster',
    files: [
      { url: c.url, format: 'pth', ...(c.sha256 !== undefined ? { digest: { sha256: c.sha256 } } : {}), ...(c.bytes !== undefined ? { bytes: c.bytes } : {}) },
    ],
    loadable: true,
    license: 'bsd-2-clause',
    originUrl: 'https://github.com/akamaster/pytorch_resnet_cifar10',
    top1: Math.round((100 - c.test_error_reported_pct) * 100) / 100,
    labels: 'cifar-10',
    classes: 10,
    classifier: c.classifier,
    data: { inputSize: [32, 32], interpolation: 'bilinear', mean: c.normalize.mean, std: c.normalize.std, cropPct: 1, resizeSize: 32 },
    isDefault: true,
  });
}

// Keras Applications: listed with their md5, not loadable (h5).
for (const [name, k] of Object.entries(facts.keras)) {
  const v2 = name.endsWith('v2');
  if (!registered.has(name) || (!v2 && sourceOf(name) !== 'torchvision')) {
    skipped.push(`${name}.keras_in1k`);
    continue;
  }
  const tag = `${name}.keras_in1k`;
  byTag.set(tag, {
    tag,
    model: name,
    ...(v2 ? {} : { style: 'keras' as const }),
    origin: 'keras',
    files: [{ url: k.url_top, format: 'h5', digest: { md5: k.md5_top } }],
    loadable: false,
    license: 'mit',
    originUrl: 'https://github.com/keras-team/keras-applications',
    labels: 'imagenet-1k',
    classes: 1000,
    classifier: 'predictions',
    // Keras's own preprocess_input ('caffe': BGR, mean subtraction; 'tf': [-1, 1]), expressed on RGB 0..1 pixels.
    data:
      k.preprocess === 'caffe'
        ? { inputSize: [224, 224], interpolation: 'bilinear', mean: [123.68 / 255, 116.779 / 255, 103.939 / 255], std: [1 / 255, 1 / 255, 1 / 255], cropPct: 1 }
        : { inputSize: [224, 224], interpolation: 'bilinear', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], cropPct: 1 },
    isDefault: false,
  });
}

// Defaults: torchvision's DEFAULT where it exists, else timm's first tag (timm lists its default first).
const entries = [...byTag.values()];
for (const model of new Set(entries.map((e) => e.model))) {
  const mine = entries.filter((e) => e.model === model && e.loadable);
  if (mine.length > 0 && !mine.some((e) => e.isDefault)) mine[0].isDefault = true;
}
// Registry order, then the default first, then torchvision, timm, akamaster, keras in publication order.
const ORIGIN_ORDER = ['torchvision', 'timm', 'akamaster', 'keras'];
const modelOrder = listModels();
const order = new Map(entries.map((e, i) => [e.tag, i]));
entries.sort(
  (a, b) =>
    modelOrder.indexOf(a.model) - modelOrder.indexOf(b.model) ||
    Number(b.isDefault) - Number(a.isDefault) ||
    ORIGIN_ORDER.indexOf(a.origin) - ORIGIN_ORDER.indexOf(b.origin) ||
    order.get(a.tag)! - order.get(b.tag)!,
);

const body = entries.map((e) => `  ${JSON.stringify(e)},`).join('\n');
const text = `// Generated by scripts/pretrained-catalog.ts from test/fixtures/pretrained/published-weights.json; do not edit.
import type { PretrainedWeights } from './entry.js';

/**
 * The published weights of the registered architectures, one entry per tag
 * (${entries.length} entries), in registry order with each model's default first.
 * @internal
 */
export const PRETRAINED_TABLE: readonly PretrainedWeights[] = [
${body}
];

/**
 * The tag of every published weights entry (\`resnet50.a1_in1k\`), as a literal
 * union that editors complete; \`createModel(tag, { pretrained: true })\` and
 * {@link getPretrained} take one.
 *
 * @example
 * \`\`\`ts
 * const tag: PretrainedTag = 'resnet50.tv2_in1k';
 * const model = await createModel(tag, { pretrained: true });
 * \`\`\`
 */
export type PretrainedTag =
${entries.map((e) => `  | ${JSON.stringify(e.tag)}`).join('\n')};
`;

if (process.argv.includes('--check')) {
  // Compares the data, not the text, so that formatting the file (Prettier) changes nothing.
  const current = ((await import('../src/pretrained/catalog-data.js')) as { PRETRAINED_TABLE: unknown }).PRETRAINED_TABLE;
  const union = /export type PretrainedTag =([^;]*);/.exec(readFileSync(OUT, 'utf8'))?.[1] ?? '';
  const typedTags = [...union.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]);
  if (JSON.stringify(current) !== JSON.stringify(entries) || JSON.stringify(typedTags) !== JSON.stringify(entries.map((e) => e.tag))) {
    console.error(`${path.relative(ROOT, OUT)} is out of date; run npx tsx scripts/pretrained-catalog.ts`);
    process.exit(1);
  }
  console.log(`${path.relative(ROOT, OUT)} is up to date (${entries.length} entries)`);
} else {
  writeFileSync(OUT, await formatted(text));
  console.log(`wrote ${path.relative(ROOT, OUT)}: ${entries.length} entries; skipped ${skipped.length} (${skipped.join(', ')})`);
}

/** The text as the project's Prettier formats it, when the project has Prettier and a Prettier config. */
async function formatted(source: string): Promise<string> {
  interface Prettier {
    format(text: string, options: object): string | Promise<string>;
    resolveConfig(file: string): Promise<object | null>;
  }
  const name = 'prettier';
  const mod = (await import(name).catch(() => undefined)) as (Prettier & { default?: Prettier }) | undefined;
  const prettier = mod?.default ?? mod;
  const config = await prettier?.resolveConfig(OUT).catch(() => null);
  if (prettier === undefined || config === null || config === undefined) return source;
  return prettier.format(source, { ...config, filepath: OUT });
}
