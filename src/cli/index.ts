/**
 * The command line, in-process: {@link runCli} and its I/O types, and the
 * Node file-system model handler the `convert` command writes with.
 *
 * @example
 * ```ts
 * import { runCli } from 'tfjs-resnet/node';
 * process.exitCode = await runCli(['summary', 'resnet50']);
 * ```
 * @module
 */
export { runCli, CLI_EXIT_CODES } from './run.js';
export { nodeCliIo, type CliIo, type CliStream } from './io.js';
export { nodeFileSystem } from './file-system.js';
