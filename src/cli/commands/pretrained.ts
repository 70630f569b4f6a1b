import { listPretrained } from '../../pretrained/catalog.js';
import { formatBytes } from '../progress.js';
import { type Command } from '../command.js';
import { markdownTable } from '../format.js';
import { writeLine } from '../io.js';

/** `tfjs-resnet pretrained`. @internal */
export const pretrainedCommand: Command = {
  name: 'pretrained',
  summary: 'List the published weights createModel(tag, { pretrained: true }) loads.',
  usage: '[filter] [options]',
  details: "A tag is <model>.<weights> (resnet50.tv2_in1k); the filter keeps tags containing it. * marks each model's default.",
  options: {
    json: { type: 'boolean', description: 'print the entries as JSON' },
  },
  positionals: { min: 0, max: 1 },
  examples: ['pretrained', 'pretrained resnet50.', 'pretrained cifar10 --json'],
  async run({ values, positionals, io }) {
    const entries = listPretrained(positionals[0]);
    if (values.json === true) {
      writeLine(io.stdout, JSON.stringify(entries, null, 2));
      return 0;
    }
    const size = (bytes: number | undefined): string => (bytes === undefined ? '?' : formatBytes(bytes));
    const rows = entries.map((w) => [
      `${w.tag}${w.isDefault ? ' *' : ''}`,
      w.top1 === undefined ? '?' : w.top1.toFixed(2),
      size(w.files[0].bytes),
      w.license,
      `${w.data.inputSize[0]}`,
      w.loadable ? w.files.map((f) => f.format).join(', ') : `${w.files[0].format} (not loadable yet)`,
    ]);
    writeLine(io.stdout, markdownTable(['tag', 'top-1 %:', 'size:', 'license', 'input:', 'format'], rows));
    writeLine(io.stdout, `${entries.length} of ${listPretrained().length} tags; * = the model's default weights`);
    return 0;
  },
};
