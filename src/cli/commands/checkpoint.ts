import { writeFile } from 'node:fs/promises';
import { fetchBytes } from '../../io/fetch-bytes.js';
import { readPyTorchCheckpoint, type PyTorchCheckpoint } from '../../weights/checkpoint.js';
import { elementBytes, SAFETENSORS_OF } from '../../weights/pytorch-tensors.js';
import { writeSafetensors, type SafetensorsTensorInput } from '../../weights/safetensors.js';
import { formatShape } from '../../validate.js';
import { stringOption, type Command } from '../command.js';
import { formatCount, markdownTable } from '../format.js';
import { writeLine } from '../io.js';
import { formatBytes } from '../progress.js';

/** What `checkpoint --json` prints. @internal */
export interface CheckpointReport {
  readonly format: PyTorchCheckpoint['format'];
  readonly picked: string | null;
  readonly stripped: readonly string[];
  readonly skipped: readonly string[];
  readonly tensors: ReadonlyArray<{ key: string; dtype: string; shape: number[]; bytes: number }>;
  readonly totalBytes: number;
  readonly parameters: number;
}

/** The report of a read checkpoint. @internal */
export function checkpointReport(checkpoint: PyTorchCheckpoint): CheckpointReport {
  const tensors = Object.entries(checkpoint.tensors).map(([key, t]) => ({ key, dtype: t.dtype, shape: t.shape, bytes: elementBytes(t.dtype) * t.data.length }));
  return {
    format: checkpoint.format,
    picked: checkpoint.picked ?? null,
    stripped: checkpoint.stripped,
    skipped: checkpoint.skipped,
    tensors,
    totalBytes: tensors.reduce((s, t) => s + t.bytes, 0),
    parameters: Object.values(checkpoint.tensors).reduce((s, t) => s + t.data.length, 0),
  };
}

/** `tfjs-resnet checkpoint`. @internal */
export const checkpointCommand: Command = {
  name: 'checkpoint',
  summary: 'Read a PyTorch checkpoint (.pth/.pt/.th) safely: list its tensors, or write them as safetensors.',
  usage: '<file|url> [--out <file.safetensors>] [options]',
  details:
    'The file may be a torch.save zip archive (PyTorch ≥ 1.6), a legacy torch.save file, the tar layout of PyTorch < 0.4\n' +
    'or safetensors; the format is told by its bytes. Its pickle is read without running anything: only plain data and\n' +
    'tensors are built, any other global (os.system, a pickled nn.Module, ...) is refused. The weights are found as timm finds them\n' +
    '(state_dict_ema/model_ema, then state_dict, then model) and module./_orig_mod. prefixes are stripped.',
  options: {
    out: { type: 'string', value: '<file>', description: 'write the state dict as a .safetensors file (dtypes kept)' },
    key: { type: 'string', value: '<entry>', description: "the checkpoint entry holding the weights (default: timm's rule; '' for the whole file)" },
    'no-ema': { type: 'boolean', description: 'do not prefer state_dict_ema/model_ema' },
    json: { type: 'boolean', description: 'print the listing as JSON' },
  },
  positionals: { min: 1, max: 1 },
  examples: ['checkpoint resnet20-12fca82f.th', 'checkpoint resnet50-11ad3fa6.pth --out resnet50.safetensors', 'checkpoint train/last.pt --key model --json'],
  async run({ values, positionals, io }) {
    const source = positionals[0];
    const bytes = await fetchBytes(source, { timeoutMs: 10 * 60_000 });
    const key = stringOption(values, 'key');
    const checkpoint = readPyTorchCheckpoint(bytes, {
      ...(key !== undefined ? { checkpointKey: key } : {}),
      ...(values['no-ema'] === true ? { useEma: false } : {}),
    });
    const report = checkpointReport(checkpoint);
    if (values.json === true) {
      writeLine(io.stdout, JSON.stringify(report, null, 2));
    } else {
      const rows = report.tensors.map((t) => [t.key, t.dtype, formatShape(t.shape), formatBytes(t.bytes)]);
      writeLine(io.stdout, markdownTable(['key', 'dtype', 'shape', 'size:'], rows));
      writeLine(io.stdout);
      writeLine(
        io.stdout,
        `${report.format} checkpoint: ${report.tensors.length} tensors, ${formatCount(report.parameters)} values, ${formatBytes(report.totalBytes)}` +
          `; weights from ${report.picked === null ? 'the top level' : `"${report.picked}"`}` +
          `${report.stripped.length > 0 ? `; stripped ${report.stripped.map((p) => `"${p}"`).join(', ')}` : ''}` +
          `${report.skipped.length > 0 ? `; skipped non-tensor entries ${report.skipped.map((s) => `"${s}"`).join(', ')}` : ''}`,
      );
    }
    const out = stringOption(values, 'out');
    if (out !== undefined) {
      const tensors: Record<string, SafetensorsTensorInput> = Object.create(null);
      for (const [name, t] of Object.entries(checkpoint.tensors)) tensors[name] = { dtype: SAFETENSORS_OF[t.dtype], shape: t.shape, data: t.data };
      const file = writeSafetensors(tensors, { format: 'pt' });
      await writeFile(out, file);
      writeLine(io.stderr, `wrote ${out} (${formatBytes(file.length)})`);
    }
    return 0;
  },
};
