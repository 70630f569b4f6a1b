import { version as VERSION } from '../../package.json';
import { ConfigError, TfjsResnetError } from '../errors.js';
import { didYouMean } from '../models/nearest-names.js';
import { commandHelp, parseCommandArgs, PROGRAM, type Command } from './command.js';
import { benchCommand } from './commands/bench.js';
import { checkpointCommand } from './commands/checkpoint.js';
import { convertCommand } from './commands/convert.js';
import { gradientsCommand } from './commands/gradients.js';
import { modelsCommand } from './commands/models.js';
import { predictCommand } from './commands/predict.js';
import { quantizeCommand } from './commands/quantize.js';
import { summaryCommand } from './commands/summary.js';
import { pretrainedCommand } from './commands/pretrained.js';
import { downloadCommand } from './commands/download.js';
import { cacheCommand } from './commands/cache.js';
import { nodeCliIo, writeLine, type CliIo } from './io.js';

/** The commands, in help order. */
const COMMANDS: readonly Command[] = [
  summaryCommand,
  predictCommand,
  pretrainedCommand,
  downloadCommand,
  cacheCommand,
  convertCommand,
  quantizeCommand,
  checkpointCommand,
  benchCommand,
  gradientsCommand,
  modelsCommand,
];

/**
 * Exit codes of {@link runCli}: 0 success, 1 a failure while working (a file
 * that cannot be read, weights that do not fit, …), 2 a usage error (an
 * unknown command, model, flag or value).
 *
 * @example
 * ```ts
 * if ((await runCli(['summary', 'resnet51'])) === CLI_EXIT_CODES.usage) console.error('check the arguments');
 * ```
 */
export const CLI_EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** It failed while working (a file that cannot be read, weights that do not fit). */
  failure: 1,
  /** The command line was wrong (unknown command, model, flag or value). */
  usage: 2,
} as const;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Residual networks for TensorFlow.js: summaries, predictions, conversions, benchmarks, experiments.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options.`,
    '',
  ].join('\n');
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command !== undefined) return command;
  throw new ConfigError(
    `${PROGRAM}: unknown command "${name}"; ${didYouMean(
      name,
      COMMANDS.map((c) => c.name),
      2,
    )}` + `valid commands are ${COMMANDS.map((c) => c.name).join(', ')} (see ${PROGRAM} --help)`,
  );
}

/**
 * Runs the `tfjs-resnet` command line in-process: parses `argv` (the
 * arguments after the program name), runs the command, writes results to
 * `io.stdout` and progress and errors to `io.stderr`, and resolves to the
 * exit code instead of exiting — the bin is `process.exitCode = await
 * runCli(process.argv.slice(2))`.
 *
 * Commands: `summary <model> [--input HxW] [--json]`, `predict <tag>
 * <image...> [--top k]` (published weights) or `predict <model> <image...>
 * --weights <file|url>`, `pretrained [filter]`, `download <tag>`, `cache
 * [ls|rm|dir]`, `convert <model> --weights <file.pth|file.safetensors> --out
 * <dir> [--optimize]`, `checkpoint <file.pth> [--out file.safetensors]`,
 * `bench <model>`, `gradients`, `models`; `--help` on each. Without
 * arguments, or with `-h`/`--help`, it prints the command list;
 * `-v`/`--version` prints the package's version; both exit 0.
 *
 * @param argv - the arguments, e.g. `['summary', 'resnet50', '--json']`.
 * @param io - where to write; the process's streams by default.
 * @returns 0 on success, 1 on a failure while working, 2 on a usage error ({@link CLI_EXIT_CODES}).
 *
 * @example
 * ```ts
 * let out = '';
 * const code = await runCli(['summary', 'resnet18', '--json'], { stdout: { write: (t) => (out += t) }, stderr: process.stderr });
 * console.log(code, JSON.parse(out).trainableParams); // 0 11689512
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = nodeCliIo()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      io.stdout.write(topic === undefined ? mainHelp() : commandHelp(findCommand(topic)));
      return CLI_EXIT_CODES.ok;
    }
    if (first === '--version' || first === '-v') {
      writeLine(io.stdout, VERSION);
      return CLI_EXIT_CODES.ok;
    }
    if (first.startsWith('-')) {
      throw new ConfigError(
        `${PROGRAM}: expected a command before options, got "${first}"; valid commands are ${COMMANDS.map((c) => c.name).join(', ')}; valid options here are -h/--help and -v/--version`,
      );
    }
    const command = findCommand(first);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help === true) {
      io.stdout.write(commandHelp(command));
      return CLI_EXIT_CODES.ok;
    }
    return await command.run({ values, positionals, io });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    writeLine(io.stderr, `${PROGRAM}: error: ${message.startsWith(`${PROGRAM}`) ? message.replace(/^tfjs-resnet:?\s*/, '') : message}`);
    if (!(e instanceof TfjsResnetError) && e instanceof Error && e.stack !== undefined && process.env.TFJS_RESNET_DEBUG) {
      writeLine(io.stderr, e.stack);
    }
    return e instanceof ConfigError ? CLI_EXIT_CODES.usage : CLI_EXIT_CODES.failure;
  }
}
