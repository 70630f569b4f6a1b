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
