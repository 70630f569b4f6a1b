import { summarize, type ModelSummary } from '../../models/summary.js';
import type { ModelReference, RegisteredModel } from '../../models/registry.js';
import { BACKEND_OPTION, selectBackend } from '../backend.js';
import { sizeOption, type Command } from '../command.js';
import { formatShape } from '../../validate.js';
import { formatCount, markdownTable } from '../format.js';
import { writeLine } from '../io.js';
import { buildModel, inputShapeFor, modelEntry } from '../models.js';

/** What `summary --json` prints. @internal */
export interface SummaryReport extends ModelSummary {
  readonly model: string;
  readonly source: string;
  readonly description: string;
  readonly input: ReadonlyArray<number | null>;
  /** All parameters minus trainable ones: the BN moving statistics. */
  readonly nonTrainableParams: number;
  /** The source's figures, where known (multiply–adds only at 224×224). */
  readonly reference: ModelReference & { macs?: number };
  /** Per reference figure: whether ours equals it. */
  readonly matches: Record<string, boolean>;
}

/** Builds the report of `name` at input `hw` (the model's default when undefined). @internal */
export function summaryReport(entry: RegisteredModel, hw: [number, number] | undefined): SummaryReport {
  const inputShape = inputShapeFor(entry, hw);
  const model = buildModel(entry, { init: 'zeros', inputShape });
  try {
    const s = summarize(model);
    const { macs224, ...figures } = entry.reference ?? {};
    const atReferenceSize = inputShape[0] === 224 && inputShape[1] === 224;
    const reference = { ...figures, ...(atReferenceSize && macs224 !== undefined ? { macs: macs224 } : {}) };
    const nonTrainableParams = s.totalParams - s.trainableParams;
    const ours: Record<string, number | undefined> = {
      trainableParams: s.trainableParams,
      buffers: nonTrainableParams,
      totalParams: s.totalParams,
      macs: s.macs,
    };
    const matches = Object.fromEntries(
      Object.entries(reference)
        .filter(([k, v]) => typeof v === 'number' && k in ours)
        .map(([k, v]) => [k, ours[k] === v]),
    );
    return {
      model: entry.name,
      source: entry.source,
      description: entry.description,
      input: inputShape,
      ...s,
      nonTrainableParams,
      reference,
      matches,
    };
  } finally {
    model.dispose();
  }
}

/** The text form of a report. */
function summaryText(r: SummaryReport): string {
  const rows = r.sections.map((s) => [s.name, formatShape(s.outputShape), formatCount(s.trainableParams), formatCount(s.totalParams), formatCount(s.macs)]);
  rows.push(['total', '', formatCount(r.trainableParams), formatCount(r.totalParams), formatCount(r.macs)]);
  const table = markdownTable(['section', 'output shape (NHWC)', 'trainable params:', 'all params:', 'multiply–adds:'], rows);
  const ref = r.reference;
  const check = (key: string) => (r.matches[key] === undefined ? '' : r.matches[key] ? '  ✓ equal' : '  ✗ DIFFERENT');
  const refLine = (label: string, ours: number | undefined, key: keyof SummaryReport['reference']) =>
    ref[key] === undefined ? [] : [`${label.padEnd(22)} ${formatCount(ours).padStart(15)}   ${r.source}: ${formatCount(ref[key])}${check(key)}`];
  const lines = [
    `${r.model} — ${r.description} (${r.source}), input ${r.input.map((d) => d ?? '?').join('×')}`,
    '',
    table,
    '',
    ...refLine('trainable parameters', r.trainableParams, 'trainableParams'),
    ...refLine('BN moving statistics', r.nonTrainableParams, 'buffers'),
    ...refLine('all parameters', r.totalParams, 'totalParams'),
    ...refLine('multiply–adds', r.macs, 'macs'),
  ];
  if (Object.keys(r.matches).length === 0) {
    lines.push(
      `trainable parameters ${formatCount(r.trainableParams)}, all ${formatCount(r.totalParams)}, multiply–adds ${formatCount(r.macs)} (no reference figures for this model)`,
    );
  }
  return lines.join('\n');
}

/** `tfjs-resnet summary`. @internal */
export const summaryCommand: Command = {
  name: 'summary',
  summary: 'Stages, output shapes, parameters (beside the reference figures) and multiply–adds of a model.',
  usage: '<model> [options]',
  details:
    "Reference figures are the source's own (torchvision, timm, Keras, the paper): trainable parameters, BN running\n" +
    'statistics, and multiply–adds at 224×224 for torchvision models. Nothing is downloaded.',
  options: {
    input: { type: 'string', value: '<HxW>', description: "input height×width, e.g. 320x480 (default: the model's, 224x224 for ImageNet models)" },
    json: { type: 'boolean', description: 'print the summary as JSON' },
    backend: BACKEND_OPTION,
  },
  positionals: { min: 1, max: 1 },
  examples: ['summary resnet50', 'summary resnext50_32x4d --input 320x480', 'summary resnet56 --json'],
  async run({ values, positionals, io }) {
    const hw = sizeOption(values, 'input', 'summary');
    const entry = modelEntry(positionals[0], 'summary');
    await selectBackend(values, 'summary');
    const report = summaryReport(entry, hw);
    writeLine(io.stdout, values.json === true ? JSON.stringify(report, null, 2) : summaryText(report));
    return 0;
  },
};
