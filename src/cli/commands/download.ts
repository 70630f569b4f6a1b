import { downloadPretrained } from '../../pretrained/cache.js';
import { findPretrained } from '../../pretrained/catalog.js';
import { PROGRAM, stringOption, type Command } from '../command.js';
import { writeLine } from '../io.js';
import { progressBar, type Progress } from '../progress.js';

/** The options every command that fetches published weights shares. @internal */
export const FETCH_OPTIONS = {
  'cache-dir': {
    type: 'string',
    value: '<dir>',
    description: 'the cache folder (default: $TFJS_RESNET_CACHE, $XDG_CACHE_HOME/tfjs-resnet or ~/.cache/tfjs-resnet)',
  },
  mirror: { type: 'string', value: '<url>', description: 'fetch https://host/path as <url>/host/path (default: $TFJS_RESNET_MIRROR)' },
  offline: { type: 'boolean', description: 'use the cache only (default: $TFJS_RESNET_OFFLINE)' },
} as const;

/** The fetch options of a command line, with a progress bar on stderr. @internal */
export function fetchOptions(values: Record<string, string | boolean | undefined>, stderr: Parameters<typeof progressBar>[0]) {
  let bar: Progress | undefined;
  let last = 0;
  return {
    options: {
      cacheDir: stringOption(values, 'cache-dir'),
      mirror: stringOption(values, 'mirror'),
      ...(values.offline === true ? { offline: true } : {}),
      onProgress: (p: { tag: string; loaded: number; total: number | undefined }) => {
        bar ??= progressBar(stderr, `downloading ${p.tag}`);
        last = p.loaded;
        bar.update(p.loaded, p.total);
      },
    },
    /** Ends the progress bar, if a download happened. */
    done: (note?: string) => bar?.done(note ?? `${last} bytes`),
  };
}

/** `tfjs-resnet download`. @internal */
export const downloadCommand: Command = {
  name: 'download',
  summary: 'Download published weights into the cache, verified (size and digest).',
  usage: '<tag> [options]',
  details: `A tag from \`${PROGRAM} pretrained\`, or a model name for its default weights.`,
  options: { ...FETCH_OPTIONS },
  positionals: { min: 1, max: 1 },
  examples: ['download resnet50.tv2_in1k', 'download resnet32.akamaster_cifar10 --mirror http://127.0.0.1:8080/mirror'],
  async run({ values, positionals, io }) {
    const entry = findPretrained(positionals[0], `${PROGRAM} download`);
    const fetch = fetchOptions(values, io.stderr);
    const file = await downloadPretrained(entry.tag, fetch.options);
    fetch.done('verified');
    writeLine(io.stdout, file);
    return 0;
  },
};
