import { checkOneOf } from '../../validate.js';
import { listModels, getModel, MODEL_SOURCES, type ModelSource, type RegisteredModel } from '../../models/registry.js';
import { PROGRAM, stringOption, type Command } from '../command.js';
import { textColumns, wrapWords } from '../format.js';
import { writeLine } from '../io.js';

/** The widest line of the `models` table. @internal */
export const MODELS_TABLE_WIDTH = 100;

/**
 * The reference's own parameter count, as it publishes it: trainable
 * parameters (PyTorch's `sum(p.numel())`), or for a Keras Applications model
 * `count_params()` marked `*`; `—` when the reference gives neither.
 */
function referenceParams(e: RegisteredModel): string {
  const r = e.reference;
  if (r?.trainableParams !== undefined) return r.trainableParams.toLocaleString('en-US');
  if (r?.totalParams !== undefined) return `${r.totalParams.toLocaleString('en-US')}*`;
  return '—';
}

/** The `models` table: name, source, the reference's parameter count and the description, in at most {@link MODELS_TABLE_WIDTH} columns. */
function modelsTable(entries: readonly RegisteredModel[]): string {
  const rows = entries.map((e) => [e.name, e.source, referenceParams(e), e.description]);
  const notes = [''];
  notes.push(...wrapWords("params: the reference's trainable parameters (PyTorch: sum of p.numel() over model.parameters()).", MODELS_TABLE_WIDTH));
  if (rows.some((r) => r[2].endsWith('*'))) {
    notes.push(
      ...wrapWords(
        '*: Keras count_params(), the only figure Keras Applications gives: it also counts BatchNorm moving means and variances.',
        MODELS_TABLE_WIDTH,
      ),
    );
  }
  if (rows.some((r) => r[2] === '—')) notes.push('—: the model has no published reference count.');
  return [textColumns(['model', 'source', 'params:', 'description'], rows, MODELS_TABLE_WIDTH), ...notes].join('\n');
}

/** `tfjs-resnet models`. @internal */
export const modelsCommand: Command = {
  name: 'models',
  summary: 'List the model names the other commands accept.',
  usage: '[options]',
  options: {
    source: { type: 'string', value: '<source>', description: `only models of ${MODEL_SOURCES.join(', ')}` },
    match: { type: 'string', value: '<text>', description: 'only names containing this text' },
    json: { type: 'boolean', description: 'print the list as JSON' },
  },
  positionals: { min: 0, max: 0 },
  examples: ['models', 'models --source timm', 'models --match resnext --json'],
  async run({ values, io }) {
    const source = stringOption(values, 'source');
    const names = listModels({
      ...(source !== undefined ? { source: checkOneOf(source, MODEL_SOURCES, `${PROGRAM} models`, '--source') as ModelSource } : {}),
      ...(stringOption(values, 'match') !== undefined ? { match: stringOption(values, 'match') } : {}),
    });
    const entries = names.map((n) => getModel(n));
    if (values.json === true) {
      const list = entries.map((e) => ({ name: e.name, source: e.source, description: e.description, ...e.reference }));
      writeLine(io.stdout, JSON.stringify(list, null, 2));
    } else {
      writeLine(io.stdout, modelsTable(entries));
    }
    return 0;
  },
};
