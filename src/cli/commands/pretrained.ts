import { listPretrained } from '../../pretrained/catalog.js';
import { formatBytes } from '../progress.js';
import { type Command } from '../command.js';
import { textColumns, wrapWords } from '../format.js';
import { writeLine } from '../io.js';

/** The widest line of the `pretrained` table. */
const PRETRAINED_TABLE_WIDTH = 100;

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
    const rows = entries.map((w) => [
      `${w.tag}${w.isDefault ? ' *' : ''}`,
      w.top1 === undefined ? '—' : w.top1.toFixed(2),
      w.files[0].bytes === undefined ? '—' : formatBytes(w.files[0].bytes),
      w.license,
      `${w.data.inputSize[0]}`,
      w.loadable ? w.files.map((f) => f.format).join(', ') : `${w.files[0].format} (not loadable yet)`,
    ]);
    writeLine(io.stdout, textColumns(['tag', 'top-1 %:', 'size:', 'license', 'input:', 'format'], rows, PRETRAINED_TABLE_WIDTH));
    const notes = [
      '',
      `${entries.length} of ${listPretrained().length} tags. *: the model's default weights (createModel(model, { pretrained: true })).`,
      "—: not published (top-1: torchvision's acc@1, CIFAR: 100 − the checkpoint's test error; size: when the publisher states it).",
    ];
    for (const note of notes) for (const line of note === '' ? [''] : wrapWords(note, PRETRAINED_TABLE_WIDTH)) writeLine(io.stdout, line);
    return 0;
  },
};
