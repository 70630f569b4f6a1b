// Draws docs/images/blocks.svg: the basic and the bottleneck residual block,
// each with an identity and with a projection shortcut, labelled with the
// layer names the library gives them (torchvision style).
//
//   npx tsx scripts/draw-blocks-svg.ts [--out docs/images/blocks.svg]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Kind = 'conv' | 'bn' | 'relu';
interface Unit {
  kind: Kind;
  /** What it computes, e.g. `3×3 conv, 64, stride 2`. */
  text: string;
  /** Its layer name, e.g. `layer2.0.conv1`. */
  name?: string;
}
interface Panel {
  title: string;
  subtitle: string;
  input: string;
  output: string;
  main: Unit[];
  /** Units of the projection shortcut; the identity when absent. */
  shortcut?: Unit[];
  block: string;
}

const STYLE: Record<Kind, { fill: string; stroke: string; h: number }> = {
  conv: { fill: '#dce8ff', stroke: '#2f6fed', h: 36 },
  bn: { fill: '#fff1c9', stroke: '#c99a06', h: 22 },
  relu: { fill: '#ffe1dc', stroke: '#d0453a', h: 22 },
};

const conv = (text: string, name: string): Unit => ({ kind: 'conv', text, name });
const bn = (name: string): Unit => ({ kind: 'bn', text: 'BatchNorm', name });
const relu = (): Unit => ({ kind: 'relu', text: 'ReLU' });

const PANELS: Panel[] = [
  {
    title: 'Basic block, identity shortcut',
    subtitle: 'ResNet-18/34, e.g. layer1.1',
    block: 'layer1.1',
    input: '56×56×64',
    output: '56×56×64',
    main: [conv('3×3 conv, 64', 'conv1'), bn('bn1'), relu(), conv('3×3 conv, 64', 'conv2'), bn('bn2')],
  },
  {
    title: 'Basic block, projection shortcut',
    subtitle: 'first block of a stage, e.g. layer2.0',
    block: 'layer2.0',
    input: '56×56×64',
    output: '28×28×128',
    main: [conv('3×3 conv, 128, stride 2', 'conv1'), bn('bn1'), relu(), conv('3×3 conv, 128', 'conv2'), bn('bn2')],
    shortcut: [conv('1×1 conv, 128\nstride 2', 'downsample.0'), { kind: 'bn', text: 'BatchNorm', name: 'downsample.1' }],
  },
  {
    title: 'Bottleneck block, identity shortcut',
    subtitle: 'ResNet-50/101/152, e.g. layer1.1',
    block: 'layer1.1',
    input: '56×56×256',
    output: '56×56×256',
    main: [
      conv('1×1 conv, 64 (reduce)', 'conv1'),
      bn('bn1'),
      relu(),
      conv('3×3 conv, 64', 'conv2'),
      bn('bn2'),
      relu(),
      conv('1×1 conv, 256 (×4)', 'conv3'),
      bn('bn3'),
    ],
  },
  {
    title: 'Bottleneck block, projection shortcut',
    subtitle: 'first block of a stage, e.g. layer2.0',
    block: 'layer2.0',
    input: '56×56×256',
    output: '28×28×512',
    main: [
      conv('1×1 conv, 128', 'conv1'),
      bn('bn1'),
      relu(),
      conv('3×3 conv, 128, stride 2', 'conv2'),
      bn('bn2'),
      relu(),
      conv('1×1 conv, 512', 'conv3'),
      bn('bn3'),
    ],
    shortcut: [conv('1×1 conv, 512\nstride 2', 'downsample.0'), { kind: 'bn', text: 'BatchNorm', name: 'downsample.1' }],
  },
];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PANEL_W = 345;
const BOX_W = 170;
const GAP = 13;
const TOP = 92;

function drawUnit(u: Unit, at: { cx: number; y: number }, block: string, w = BOX_W): string {
  const { cx, y } = at;
  const s = STYLE[u.kind];
  const x = cx - w / 2;
  let out = `<rect x="${x}" y="${y}" width="${w}" height="${s.h}" rx="5" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.3"/>`;
  if (u.kind === 'conv') {
    out += `<text x="${cx}" y="${y + 15}" class="t">${esc(u.text)}</text>`;
    out += `<text x="${cx}" y="${y + 29}" class="n">${esc(`${block}.${u.name}`)}</text>`;
  } else if (u.name !== undefined) {
    out += `<text x="${cx}" y="${y + 15}" class="s">${esc(u.text)}  ·  <tspan class="nn">${esc(`${block}.${u.name}`)}</tspan></text>`;
  } else {
    out += `<text x="${cx}" y="${y + 15}" class="s">${esc(u.text)}</text>`;
  }
  return out;
}

const arrow = (x1: number, y1: number, x2: number, y2: number): string =>
  `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" class="a" marker-end="url(#head)"/>`;

function drawPanel(p: Panel, height: number): string {
  const x0 = 0;
  const cx = x0 + 102;
  const sx = x0 + 265; // shortcut lane
  let svg = `<g>`;
  svg += `<rect x="${x0 + 6}" y="6" width="${PANEL_W - 12}" height="${height - 12}" rx="10" fill="#ffffff" stroke="#dfe3ea"/>`; // panel
  svg += `<text x="${x0 + PANEL_W / 2}" y="32" class="h">${esc(p.title)}</text>`;
  svg += `<text x="${x0 + PANEL_W / 2}" y="50" class="sub">${esc(p.subtitle)}</text>`;

  // input
  let y = TOP - 22;
  svg += `<text x="${cx}" y="${y}" class="io">x  ·  ${esc(p.input)}</text>`;
  const forkY = y + 10;
  svg += `<circle cx="${cx}" cy="${forkY}" r="3" fill="#394150"/>`;
  y = TOP;
  svg += arrow(cx, forkY, cx, y - 2);
  for (let i = 0; i < p.main.length; i++) {
    const u = p.main[i];
    svg += drawUnit(u, { cx, y }, p.block);
    y += STYLE[u.kind].h;
    if (i < p.main.length - 1) {
      svg += arrow(cx, y, cx, y + GAP - 2);
      y += GAP;
    }
  }
  // addition
  const addY = y + 26;
  svg += arrow(cx, y, cx, addY - 13);
  svg += `<circle cx="${cx}" cy="${addY}" r="11" fill="#ffffff" stroke="#394150" stroke-width="1.5"/>`;
  svg += `<text x="${cx}" y="${addY + 5}" class="plus">+</text>`;
  svg += `<text x="${cx - 20}" y="${addY + 4}" class="nn" text-anchor="end">${esc(p.block)}.add</text>`;

  // shortcut: from the fork, right, down the lane, left into the addition
  const top = forkY;
  svg += `<path d="M${cx} ${top} H${sx} V${addY} H${cx + 14}" class="sc" fill="none" marker-end="url(#head)"/>`;
  if (p.shortcut === undefined) {
    const my = (top + addY) / 2;
    svg += `<rect x="${sx - 30}" y="${my - 11}" width="60" height="22" rx="11" fill="#f1f3f7" stroke="#8a93a6"/>`;
    svg += `<text x="${sx}" y="${my + 4}" class="s">identity</text>`;
  } else {
    const total = p.shortcut.reduce((h, u) => h + smallHeight(u), 0) + GAP * (p.shortcut.length - 1);
    let sy = (top + addY) / 2 - total / 2;
    const w = 140;
    for (let i = 0; i < p.shortcut.length; i++) {
      const u = p.shortcut[i];
      if (i > 0) svg += arrow(sx, sy - GAP, sx, sy - 2);
      svg += `<rect x="${sx - w / 2 - 3}" y="${sy - 3}" width="${w + 6}" height="${smallHeight(u) + 6}" fill="#ffffff"/>`;
      svg += drawUnitSmall(u, { cx: sx, y: sy }, p.block, w);
      sy += smallHeight(u) + GAP;
    }
  }

  // output
  y = addY + 11;
  svg += arrow(cx, y, cx, y + GAP - 2);
  y += GAP;
  svg += drawUnit({ kind: 'relu', text: 'ReLU' }, { cx, y }, p.block);
  svg += `<text x="${cx + BOX_W / 2 + 6}" y="${y + 15}" class="nn" text-anchor="start">${esc(p.block)}.act${p.main.filter((u) => u.kind === 'conv').length}</text>`;
  y += STYLE.relu.h;
  svg += arrow(cx, y, cx, y + GAP + 2);
  svg += `<text x="${cx}" y="${y + GAP + 18}" class="io">${esc(p.output)}</text>`;
  svg += `</g>`;
  return svg;
}

/** Height of a unit in the shortcut lane: 14 px per text line and for the name, plus margins. */
const smallHeight = (u: Unit): number => 14 * (u.text.split('\n').length + 1) + 8;

/** A narrower unit for the shortcut lane: its text lines, then its name. */
function drawUnitSmall(u: Unit, at: { cx: number; y: number }, block: string, w: number): string {
  const { cx, y } = at;
  const s = STYLE[u.kind];
  const lines = u.text.split('\n');
  let out = `<rect x="${cx - w / 2}" y="${y}" width="${w}" height="${smallHeight(u)}" rx="5" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.3"/>`;
  lines.forEach((line, i) => {
    out += `<text x="${cx}" y="${y + 15 + 14 * i}" class="t small">${esc(line)}</text>`;
  });
  out += `<text x="${cx}" y="${y + 15 + 14 * lines.length}" class="n">${esc(`${block}.${u.name ?? ''}`)}</text>`;
  return out;
}

function draw(): string {
  // Two columns (identity, projection), two rows (basic, bottleneck).
  const panelHeight = (p: Panel): number => TOP + p.main.reduce((h, u) => h + STYLE[u.kind].h + GAP, 0) + 120;
  const rows = [PANELS.slice(0, 2), PANELS.slice(2, 4)];
  const rowHeights = rows.map((row) => Math.max(...row.map(panelHeight)));
  const width = PANEL_W * 2;
  const height = rowHeights.reduce((a, b) => a + b, 0) + 76;
  let y = 0;
  const body = rows
    .map((row, r) => {
      const g = row.map((p, c) => `<g transform="translate(${c * PANEL_W} ${y})">${drawPanel(p, rowHeights[r])}</g>`).join('\n');
      y += rowHeights[r];
      return g;
    })
    .join('\n');
  const notes = [
    'A block gets a projection shortcut exactly when its stride is not 1 or its channels',
    "change, else the identity. Layer names are torchvision's module paths (state-dict keys).",
    "torchvision (v1.5) strides the 3×3 conv of a bottleneck; style: 'keras' (v1) strides the",
    'first 1×1, gives convs a bias and names layers conv3_block1_1_conv, conv3_block1_0_conv, …',
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif">
<title>Residual blocks of tfjs-resnet: basic and bottleneck, with identity and projection shortcuts</title>
<defs>
  <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#394150"/></marker>
  <style>
    .h { font-size: 14px; font-weight: 700; fill: #1d2330; text-anchor: middle; }
    .sub { font-size: 11.5px; fill: #5a6375; text-anchor: middle; }
    .t { font-size: 12px; font-weight: 600; fill: #1d2330; text-anchor: middle; }
    .t.small { font-size: 11px; }
    .n { font-size: 10.5px; fill: #2f4f9a; text-anchor: middle; font-family: 'DejaVu Sans Mono', Menlo, monospace; }
    .nn { font-size: 10px; fill: #6b7385; font-family: 'DejaVu Sans Mono', Menlo, monospace; }
    .s { font-size: 11px; fill: #1d2330; text-anchor: middle; }
    .io { font-size: 12px; fill: #1d2330; text-anchor: middle; font-weight: 600; }
    .plus { font-size: 17px; font-weight: 700; fill: #1d2330; text-anchor: middle; }
    .a { stroke: #394150; stroke-width: 1.3; }
    .sc { stroke: #394150; stroke-width: 1.3; stroke-dasharray: 5 3; }
    .foot { font-size: 11.5px; fill: #5a6375; }
  </style>
</defs>
<rect width="${width}" height="${height}" fill="#f6f7f9"/>
${body}
${notes.map((n, i) => `<text x="14" y="${height - 66 + 16 * i}" class="foot">${esc(n)}</text>`).join('\n')}
</svg>
`;
}

const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(ROOT, 'docs/images/blocks.svg');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, draw());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
