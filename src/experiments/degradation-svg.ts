import type { DegradationResult } from './degradation.js';

/**
 * Options of {@link degradationSvg}.
 *
 * @example
 * ```ts
 * const svg = degradationSvg(results, { title: 'Gradient norm at initialisation, CIFAR nets' });
 * ```
 */
export interface DegradationSvgOptions {
  /**
   * The plot's title.
   * @defaultValue `'Gradient norm at the first convolution of each stage'`
   */
  title?: string;
}

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { left: 70, right: 150, top: 40, bottom: 50 };
/** Colours by depth index (colour-blind friendly). */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const fixed = (x: number): string => x.toFixed(1);

/**
 * A line plot of the degradation experiment as a standalone SVG document:
 * stages on the x axis, gradient norm on a logarithmic y axis, one line per
 * network — solid for residual nets, dashed for plain ones, one colour per
 * depth. Hand-written SVG, no dependencies.
 *
 * @param results - from {@link degradationExperiment}.
 * @param options - the title; see {@link DegradationSvgOptions}.
 * @returns the SVG text.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('docs/degradation.svg', degradationSvg(await degradationExperiment()));
 * ```
 */
export function degradationSvg(results: readonly DegradationResult[], options: DegradationSvgOptions = {}): string {
  const title = options.title ?? 'Gradient norm at the first convolution of each stage';
  const stages = results[0]?.norms.map((n) => n.layer) ?? [];
  const values = results.flatMap((r) => r.norms.map((n) => n.norm)).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 1)));
  const top = hi === lo ? hi + 1 : hi;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number): number => MARGIN.left + (stages.length <= 1 ? plotW / 2 : (i * plotW) / (stages.length - 1));
  const y = (v: number): number => MARGIN.top + plotH - ((Math.log10(v) - lo) / (top - lo)) * plotH;
  const depths = [...new Set(results.map((r) => r.depth))];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (let e = lo; e <= top; e++) {
    const yy = fixed(y(10 ** e));
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">1e${e}</text>`);
  }
  stages.forEach((s, i) => {
    out.push(`<text x="${fixed(x(i))}" y="${MARGIN.top + plotH + 20}" text-anchor="middle">${esc(s)}</text>`);
  });
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  out.push(`<text transform="translate(18 ${fixed(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle">‖∂loss/∂W‖ (log scale)</text>`);
  results.forEach((r, k) => {
    const colour = COLOURS[depths.indexOf(r.depth) % COLOURS.length];
    const dash = r.kind === 'plain' ? ' stroke-dasharray="6 4"' : '';
    const points = r.norms.map((n, i) => `${fixed(x(i))},${fixed(y(n.norm))}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    r.norms.forEach((n, i) => out.push(`<circle cx="${fixed(x(i))}" cy="${fixed(y(n.norm))}" r="3" fill="${colour}"/>`));
    const ly = MARGIN.top + 10 + k * 20;
    const lx = MARGIN.left + plotW + 15;
    out.push(`<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 34}" y="${ly}" dominant-baseline="middle">${esc(r.model)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
