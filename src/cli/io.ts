/**
 * Where the CLI writes: injectable streams, so tests run it in-process.
 * @module
 */

/**
 * A text stream the CLI writes to: `process.stdout`/`process.stderr`, or any
 * object with a `write` method (a test's string buffer).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const stream: CliStream = { write: (text) => lines.push(text) };
 * ```
 */
export interface CliStream {
  /** Writes text as is (the CLI adds its own newlines). */
  write(text: string): unknown;
  /** Whether the stream is a terminal: progress bars redraw in place only then. */
  isTTY?: boolean;
  /** The terminal's width in columns, when it is one. */
  columns?: number;
}

/**
 * The streams of one CLI run: results go to `stdout`, progress and errors to `stderr`.
 *
 * @example
 * ```ts
 * let out = '';
 * const io: CliIo = { stdout: { write: (t) => (out += t) }, stderr: { write: () => true } };
 * const code = await runCli(['summary', 'resnet18', '--json'], io);
 * const summary = JSON.parse(out);
 * ```
 */
export interface CliIo {
  /** Results (tables, JSON, predictions). */
  stdout: CliStream;
  /** Progress bars, warnings and error messages. */
  stderr: CliStream;
}

/**
 * The process's own streams.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), nodeCliIo());
 * ```
 */
export function nodeCliIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** Writes one line. @internal */
export function writeLine(stream: CliStream, text = ''): void {
  stream.write(`${text}\n`);
}
