import { ConfigError } from '../../errors.js';
import { cacheInfo, clearCache } from '../../pretrained/cache.js';
import { PROGRAM, stringOption, type Command } from '../command.js';
import { textColumns } from '../format.js';
import { writeLine } from '../io.js';
import { formatBytes } from '../progress.js';
import { FETCH_OPTIONS } from './download.js';

const ACTIONS = ['ls', 'rm', 'dir'] as const;

/** The widest line of the `cache ls` table (paths wrap beyond it). */
const CACHE_TABLE_WIDTH = 100;

/** `tfjs-resnet cache`. @internal */
export const cacheCommand: Command = {
  name: 'cache',
  summary: 'List (ls), remove (rm [tag]) or locate (dir) the cached weights.',
  usage: '[ls|rm|dir] [tag] [options]',
  details: '`rm` without a tag removes every cached tag folder (nothing else in the cache folder).',
  options: {
    'cache-dir': FETCH_OPTIONS['cache-dir'],
    json: { type: 'boolean', description: 'ls: print the entries as JSON' },
  },
  positionals: { min: 0, max: 2 },
  examples: ['cache', 'cache dir', 'cache rm resnet50.tv2_in1k', 'cache rm'],
  async run({ values, positionals, io }) {
    const [action = 'ls', tag] = positionals;
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new ConfigError(`${PROGRAM} cache: unknown action "${action}"; valid actions are ${ACTIONS.join(', ')}`);
    }
    if (tag !== undefined && action !== 'rm') throw new ConfigError(`${PROGRAM} cache ${action}: takes no tag (only rm does)`);
    const options = { cacheDir: stringOption(values, 'cache-dir') };
    if (action === 'dir') {
      writeLine(io.stdout, (await cacheInfo(options)).dir);
    } else if (action === 'rm') {
      const removed = await clearCache(tag, options);
      writeLine(io.stdout, `removed ${removed} file${removed === 1 ? '' : 's'}${tag === undefined ? '' : ` of ${tag}`}`);
    } else {
      const info = await cacheInfo(options);
      if (values.json === true) writeLine(io.stdout, JSON.stringify(info, null, 2));
      else {
        const rows = info.entries.map((e) => [e.tag, formatBytes(e.bytes), e.path]);
        if (rows.length > 0) writeLine(io.stdout, `${textColumns(['tag', 'size:', 'file'], rows, CACHE_TABLE_WIDTH)}\n`);
        writeLine(io.stdout, `${info.entries.length} files, ${formatBytes(info.bytes)} in ${info.dir}`);
      }
    }
    return 0;
  },
};
