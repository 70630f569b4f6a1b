/** `1234567` → `1,234,567`; `undefined` → `?`. @internal */
export function formatCount(n: number | undefined): string {
  return n === undefined ? '?' : n.toLocaleString('en-US');
}

/** A markdown table with a header row; columns whose header ends with `:` are right-aligned. @internal */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const right = header.map((h) => h.endsWith(':'));
  const head = header.map((h) => h.replace(/:$/, ''));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const cell = (text: string, i: number) => (right[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/**
 * Plain text columns (no borders) that fit `maxWidth` characters: every
 * column but the last is as wide as its widest cell, the last one wraps at
 * spaces onto continuation lines. Columns whose header ends with `:` are
 * right-aligned. @internal
 */
export function textColumns(header: readonly string[], rows: ReadonlyArray<readonly string[]>, maxWidth: number): string {
  const right = header.map((h) => h.endsWith(':'));
  const head = header.map((h) => h.replace(/:$/, ''));
  const last = head.length - 1;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const indent = widths.slice(0, last).reduce((a, w) => a + w + 2, 0);
  const room = Math.max(20, maxWidth - indent);
  const cell = (text: string, i: number) => (right[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const lines: string[] = [];
  for (const r of [head, ...rows]) {
    const [first = '', ...rest] = wrapWords(r[last], room);
    lines.push(`${r.slice(0, last).map(cell).join('  ')}  ${first}`.trimEnd());
    for (const more of rest) lines.push(`${' '.repeat(indent)}${more}`);
  }
  return lines.join('\n');
}

/** `text` in lines of at most `width` characters, broken at spaces (a longer word gets a line of its own). @internal */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' && lines.length > 0 ? lines : [...lines, line];
}
