// Generates the model table of docs/guides/choosing-a-model.md: every
// registry entry (listModels()) built with createModel, measured with
// summarize and modelInfo, and checked against the reference figures of its
// source (the registry's own `reference`, test/fixtures/torchvision-arch-224.json
// and timm-arch.json).
//
//   npx tsx scripts/model-table.ts            # rewrite the table in the guide
//   npx tsx scripts/model-table.ts --check    # exit 1 if the guide's table is out of date
//   npx tsx scripts/model-table.ts --stdout   # print the table only
//
// The table sits between the markers <!-- model-table:start --> and
// <!-- model-table:end --> of the guide.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, getModel, listModels, type ModelSource } from '../src/models/registry.js';
import { modelInfo } from '../src/models/model-info.js';
import { summarize } from '../src/models/summary.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GUIDE = path.join(ROOT, 'docs/guides/choosing-a-model.md');
const START = '<!-- model-table:start -->';
const END = '<!-- model-table:end -->';

interface TorchvisionArch {
  models: Record<string, { trainable_params: number; macs?: number }>;
}
interface TimmArch {
  [name: string]: { trainable_params: number; feature_info?: { channels: number[] } };
}
const readJson = <T>(name: string): T => JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures', name), 'utf8')) as T;
const tvArch = readJson<TorchvisionArch>('torchvision-arch-224.json').models;
const timmArch = readJson<TimmArch>('timm-arch.json');

/** Where a source's weights come from and how they load. */
const WEIGHTS: Record<ModelSource, string> = {
  torchvision: 'torchvision state dict → `loadPyTorchWeights`',
  timm: 'timm state dict → `loadPyTorchWeights`',
  keras: 'Keras Applications `.h5`/`.keras` → `loadKerasWeights`',
  paper: 'none published: train it (transfer-learning guide)',
  user: 'yours',
};

const fmtInt = (n: number): string => n.toLocaleString('en-US');
const fmtM = (n: number): string => `${(n / 1e6).toFixed(1)} M`;
const fmtG = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : `${(n / 1e6).toFixed(1)} M`);

interface Row {
  name: string;
  source: ModelSource;
  description: string;
  input: string;
  params: number;
  paramsRef?: number;
  /** All parameters, BN statistics included (Keras's `count_params()`), when the source reports that figure. */
  total: number;
  totalRef?: number;
  macs?: number;
  macsRef?: number;
  channels: number[];
  channelsRef?: number[];
}

function measure(name: string): Row {
  const entry = getModel(name);
  const model = createModel(name, { init: 'zeros' });
  try {
    const s = summarize(model);
    const [, h, w, c] = model.inputs[0].shape;
    const tv = tvArch[name];
    const timm = timmArch[name];
    return {
      name,
      source: entry.source,
      description: entry.description,
      input: `${h ?? '?'}×${w ?? '?'}×${c ?? '?'}`,
      params: s.trainableParams,
      paramsRef: entry.reference?.trainableParams ?? tv?.trainable_params ?? timm?.trainable_params,
      total: s.totalParams,
      totalRef: entry.reference?.totalParams,
      macs: s.macs,
      macsRef: h === 224 && w === 224 ? (entry.reference?.macs224 ?? tv?.macs) : undefined,
      channels: (modelInfo(model)?.features ?? []).map((f) => f.channels),
      channelsRef: timm?.feature_info?.channels,
    };
  } finally {
    model.dispose();
  }
}

function check(ours: number | number[] | undefined, ref: number | number[] | undefined): string {
  if (ours === undefined || ref === undefined) return '';
  return JSON.stringify(ours) === JSON.stringify(ref) ? ' ✓' : ` ✗ (reference ${Array.isArray(ref) ? ref.join('/') : fmtInt(ref)})`;
}

function table(rows: Row[]): string {
  const lines = ['| model | source | what | parameters | multiply–adds | feature channels | weights |', '| --- | --- | --- | ---: | ---: | --- | --- |'];
  for (const r of rows) {
    const macs = r.macs === undefined ? '—' : `${fmtG(r.macs)}${r.input === '224×224×3' ? '' : ` at ${r.input.replace(/×3$/, '')}`}${check(r.macs, r.macsRef)}`;
    lines.push(
      `| \`${r.name}\` | ${r.source} | ${r.description.replace(/\|/g, '\\|')} | ${fmtInt(r.params)} (${fmtM(r.params)})${check(r.params, r.paramsRef)}${r.totalRef === undefined ? '' : `; Keras total ${fmtInt(r.total)}${check(r.total, r.totalRef)}`} | ${macs} | ${r.channels.join(' · ')}${check(r.channels, r.channelsRef)} | ${WEIGHTS[r.source]} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  await tf.setBackend('cpu');
  const args = process.argv.slice(2);
  const names = listModels();
  const rows: Row[] = [];
  for (const name of names) {
    const t0 = performance.now();
    rows.push(measure(name));
    if (!args.includes('--stdout')) process.stderr.write(`${name} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const mismatches = rows.filter((r) =>
    [check(r.params, r.paramsRef), check(r.total, r.totalRef), check(r.macs, r.macsRef), check(r.channels, r.channelsRef)].some((c) => c.includes('✗')),
  );
  const generated =
    `${START}\n<!-- generated by \`npx tsx scripts/model-table.ts\` from listModels(); do not edit by hand -->\n\n` +
    `${table(rows)}\n\n` +
    `${rows.length} models. Parameters are trainable parameters (PyTorch's \`sum(p.numel() for p in model.parameters())\`; ` +
    `BatchNorm running statistics not included; for Keras models also Keras's \`count_params()\` total, which includes them); multiply–adds are for one image at the model's default input size, ` +
    `counted over convolutions and the classifier as torchvision's reference figures are; feature channels are those of ` +
    `the model's feature levels, stem first (\`modelInfo(model).features\`; strides 2, 4, 8, 16, 32 for the ImageNet models, ` +
    `as timm's \`feature_info\` reports them). ` +
    `✓ marks a figure equal to the reference implementation's own.\n${END}`;
  if (args.includes('--stdout')) {
    console.log(generated);
    return mismatches.length > 0 ? 1 : 0;
  }
  const guide = readFileSync(GUIDE, 'utf8');
  const a = guide.indexOf(START);
  const b = guide.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path.relative(ROOT, GUIDE)} has no ${START} … ${END} markers`);
  const updated = guide.slice(0, a) + generated + guide.slice(b + END.length);
  if (args.includes('--check')) {
    const ok = updated === guide;
    console.log(ok ? 'model table is up to date' : `model table is out of date: run npx tsx scripts/model-table.ts`);
    return ok && mismatches.length === 0 ? 0 : 1;
  }
  writeFileSync(GUIDE, updated);
  console.log(`wrote ${rows.length} models to ${path.relative(ROOT, GUIDE)}`);
  for (const r of mismatches) console.log(`mismatch with the reference: ${r.name}`);
  return mismatches.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
