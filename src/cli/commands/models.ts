import { checkOneOf } from '../../validate.js';
import { listModels, getModel, MODEL_SOURCES, type ModelSource } from '../../models/registry.js';
import { PROGRAM, stringOption, type Command } from '../command.js';
import { formatCount, markdownTable } from '../format.js';
import { writeLine } from '../io.js';

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
      const rows = entries.map((e) => [e.name, e.source, formatCount(e.reference?.trainableParams), formatCount(e.reference?.totalParams), e.description]);
      writeLine(io.stdout, markdownTable(['model', 'source', 'trainable params:', 'Keras count_params():', 'description'], rows));
    }
    return 0;
  },
};
