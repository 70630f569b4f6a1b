import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import { checkOneOf } from '../validate.js';
import type { CliIo } from './io.js';

/** One option of a command. @internal */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder of the value in the help (`<file>`). */
  readonly value?: string;
  readonly description: string;
}

/** Parsed option values by name. @internal */
export type OptionValues = Record<string, string | boolean | undefined>;

/** What a command's `run` gets. @internal */
export interface CommandArgs {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly io: CliIo;
}

/** A CLI command. @internal */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The arguments after the command name in the usage line: `<model> [options]`. */
  readonly usage: string;
  /** Paragraphs after the usage line. */
  readonly details?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** How many positionals the command takes. */
  readonly positionals: { readonly min: number; readonly max: number };
  readonly examples: readonly string[];
  run(args: CommandArgs): Promise<number>;
}

/** The program name in messages and help. @internal */
export const PROGRAM = 'tfjs-resnet';

/** The option every command has. */
const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** Every option of a command, `--help` included. @internal */
export function commandOptions(command: Command): Record<string, OptionSpec> {
  return { ...command.options, help: HELP };
}

const flag = (name: string, o: OptionSpec): string =>
  `${o.short !== undefined ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;

/** The help text of a command. @internal */
export function commandHelp(command: Command): string {
  const options = Object.entries(commandOptions(command));
  const width = Math.max(...options.map(([n, o]) => flag(n, o).length));
  const lines = [`Usage: ${PROGRAM} ${command.name} ${command.usage}`, '', command.summary];
  if (command.details !== undefined) lines.push('', command.details);
  lines.push('', 'Options:', ...options.map(([n, o]) => `  ${flag(n, o).padEnd(width)}  ${o.description}`));
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${PROGRAM} ${e}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Parses a command's arguments with `node:util`'s `parseArgs` (strict);
 * an unknown flag, a missing value or a wrong number of arguments becomes a
 * {@link ConfigError} that lists what is valid.
 * @internal
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): { values: OptionValues; positionals: string[] } {
  const options = commandOptions(command);
  const valid = `valid options of "${command.name}" are ${Object.entries(options)
    .map(([n, o]) => flag(n, o))
    .join(', ')}`;
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.entries(options).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}) }])),
      strict: true,
      allowPositionals: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    throw new ConfigError(`${PROGRAM} ${command.name}: ${message}; ${valid}`);
  }
  if (parsed.values.help === true) return parsed;
  const { min, max } = command.positionals;
  const n = parsed.positionals.length;
  if (n < min || n > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new ConfigError(
      `${PROGRAM} ${command.name}: expected ${expected} argument${max === 1 ? '' : 's'} (${command.usage}), got ${n}${n > 0 ? `: ${parsed.positionals.join(' ')}` : ''}; see ${PROGRAM} ${command.name} --help`,
    );
  }
  return parsed;
}

/** A string option's value, or `undefined`. @internal */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A string option that must be one of `valid`, `fallback` when absent. @internal */
export function choiceOption<T extends string>(values: OptionValues, name: string, valid: readonly T[], fallback: T, command: string): T {
  return checkOneOf(stringOption(values, name) ?? fallback, valid, `${PROGRAM} ${command}`, `--${name}`);
}

/** A string option that must be given. @internal */
export function requiredOption(values: OptionValues, name: string, command: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new ConfigError(`${PROGRAM} ${command}: --${name} is required; see ${PROGRAM} ${command} --help`);
  return v;
}

/** A positive-integer option, `fallback` when absent. @internal */
export function integerOption(values: OptionValues, name: string, fallback: number, command: string, min = 1): number {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`${PROGRAM} ${command}: --${name} must be an integer ≥ ${min}, got "${v}"`);
  }
  return n;
}

/** A `HxW` (or a single `N` for N×N) option, `undefined` when absent. @internal */
export function sizeOption(values: OptionValues, name: string, command: string): [number, number] | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const m = /^\s*(\d+)\s*(?:[x×X,]\s*(\d+))?\s*$/.exec(v);
  const h = m ? Number(m[1]) : NaN;
  const w = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(h >= 1 && w >= 1)) {
    throw new ConfigError(`${PROGRAM} ${command}: --${name} must be HEIGHTxWIDTH (e.g. 224x224) or one size (224), got "${v}"`);
  }
  return [h, w];
}
