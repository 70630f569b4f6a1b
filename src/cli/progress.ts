import type { CliStream } from './io.js';

/**
 * A progress display for a transfer or a conversion, fed with byte counts.
 * @internal
 */
export interface Progress {
  /** Reports `loaded` of `total` bytes (`undefined` when the size is unknown). */
  update(loaded: number, total: number | undefined): void;
  /** Ends the display with a final line. */
  done(note?: string): void;
}

/** Minimum milliseconds between two redraws. */
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** `12.3 MB`-style sizes. @internal */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * A progress bar on `stream` (the CLI's stderr): redrawn in place on a
 * terminal (`[#########.......]  56%  14.1 MB / 25.2 MB`), at most every
 * 100 ms; on anything else (a pipe, a log file, a test) only the final line
 * is written, so logs hold no carriage returns.
 * @internal
 */
export function progressBar(stream: CliStream, label: string, now: () => number = () => Date.now()): Progress {
  const tty = stream.isTTY === true;
  let last = -Infinity;
  let loaded = 0;
  let total: number | undefined;
  const render = (): string => {
    if (total === undefined || total <= 0) return `${label} ${formatBytes(loaded)}`;
    const fraction = Math.min(1, loaded / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    const line = `${label} ${bar} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(loaded)} / ${formatBytes(total)}`;
    return stream.columns !== undefined ? line.slice(0, Math.max(10, stream.columns - 1)) : line;
  };
  return {
    update(l, t) {
      loaded = l;
      total = t;
      if (!tty) return;
      const time = now();
      if (time - last < REDRAW_MS && !(t !== undefined && l >= t)) return;
      last = time;
      stream.write(`\r${render()}\x1b[K`);
    },
    done(note) {
      const text = `${render()}${note === undefined ? '' : `  ${note}`}`;
      stream.write(tty ? `\r${text}\x1b[K\n` : `${text}\n`);
    },
  };
}
