// Release hygiene of the npm tarball: `npm pack --dry-run` must hold the
// builds of both entries (ESM, CJS and their types), README, LICENSE,
// CHANGELOG and package.json — and no tests, fixtures, sources, docs or
// scratch files. The source maps must not name the build machine's paths.
// A browser bundle of `import { resnet18 } from 'tfjs-resnet'` must stay
// within BUNDLE_LIMIT of @tensorflow/tfjs alone (ONNX's protobuf code only
// when exportOnnx is used), and importing the package must still register its
// custom layers for deserialization. Prints the sizes; exits 1 on a problem.
//
//   npx tsx scripts/check-pack.ts        (after npm run build)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/node.js',
  'dist/node.cjs',
  'dist/node.d.ts',
  'dist/node.d.cts',
];
/** Paths that must never be published. */
const FORBIDDEN =
  /^(test|tests|src|docs|examples|bench|scripts|\.ci|\.changeset|\.scratch[^/]*|coverage|node_modules)\/|\.(test|spec)\.[cm]?[jt]s$|\.safetensors$|fixtures?\//;

interface PackResult {
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const [result] = JSON.parse(out) as PackResult[];
const files = result.files.map((f) => f.path);

const problems: string[] = [];
for (const f of REQUIRED) if (!files.includes(f)) problems.push(`missing ${f}${f.startsWith('dist/') ? ' (run npm run build first)' : ''}`);
for (const f of files) if (FORBIDDEN.test(f)) problems.push(`should not be published: ${f}`);

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
console.log(`npm pack: ${files.length} files, tarball ${kb(result.size)}, unpacked ${kb(result.unpackedSize)}`);
const dist = result.files.filter((f) => f.path.startsWith('dist/'));
console.log(
  `  dist/: ${dist.length} files, ${kb(dist.reduce((a, f) => a + f.size, 0))} (source maps ${kb(dist.filter((f) => f.path.endsWith('.map')).reduce((a, f) => a + f.size, 0))})`,
);
console.log(`  others: ${files.filter((f) => !f.startsWith('dist/')).join(', ')}`);

// Source maps: relative paths only (tsup.config.ts rewrites tsup's absolute ones).
const DIST = path.join(ROOT, 'dist');
const maps = readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'));
for (const f of maps) {
  const text = readFileSync(path.join(DIST, f), 'utf8');
  const map = JSON.parse(text) as { file?: string; sources?: string[]; sourceRoot?: string };
  const absolute = [map.file, map.sourceRoot, ...(map.sources ?? [])].filter((s) => s !== undefined && (path.isAbsolute(s) || /^[A-Za-z]:[\\/]/.test(s)));
  if (absolute.length > 0 || text.includes(ROOT)) problems.push(`dist/${f} names absolute paths: ${absolute.slice(0, 3).join(', ') || ROOT}`);
}
console.log(`  source maps: ${maps.length}, ${problems.some((p) => p.includes('.map ')) ? 'with' : 'no'} absolute paths`);

// package.json `sideEffects`: every ESM module that acts when imported (a top-level call such as
// tf.serialization.registerClass, or the target of a bare `import './x.js'`) must be listed, or bundlers drop it.
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { sideEffects?: string[] | boolean };
const sideEffectPatterns = (Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []).map(
  (p) =>
    new RegExp(
      `^${p
        .replace(/^\.\//, '')
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')}$`,
    ),
);
const listed = (file: string): boolean => pkg.sideEffects === true || sideEffectPatterns.some((re) => re.test(file));
const TOP_LEVEL_CALL = /^(?:void )?[A-Za-z_$][\w$.]*\(/m;
let effectful = 0;
for (const f of readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
  const file = `dist/${f.split(path.sep).join('/')}`;
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  if (TOP_LEVEL_CALL.test(text)) {
    effectful++;
    if (!listed(file)) problems.push(`${file} acts when imported (a top-level call) but package.json sideEffects does not list it`);
  }
  for (const m of text.matchAll(/^import "(\.[^"]+)";/gm)) {
    const target = path.posix.join(path.posix.dirname(file), m[1]);
    if (!listed(target)) problems.push(`${file} imports ${target} for its effects but package.json sideEffects does not list it`);
  }
}
console.log(
  `  sideEffects: ${effectful} ESM modules with import-time effects, ${problems.some((p) => p.includes('sideEffects does not')) ? 'NOT all' : 'all'} listed`,
);

// Browser bundles, minified, as a user's esbuild makes them from the package ('tfjs-resnet' resolves to this package by its exports).
// Code splitting is on, as Vite, Rollup and webpack do by default: a dynamic import() (the pretrained machinery a
// preset loads only when asked for weights) becomes a chunk fetched on first use. What an app loads at start is
// its entry plus the chunks the entry imports statically; that is what the limit applies to.
/** The most `import { resnet18 } from 'tfjs-resnet'` may add to a bundle of @tensorflow/tfjs. */
const BUNDLE_LIMIT = 100 * 1024;
interface Bundle {
  /** The entry and the chunks it imports statically: what loads at start. */
  initial: Uint8Array;
  /** Bytes of the chunks only reached by dynamic import(), loaded on first use. */
  lazyBytes: number;
  /** Every output file (path relative to ROOT → contents), to run the bundle as it is split. */
  files: Map<string, Uint8Array>;
  /** The entry's output file, relative to ROOT. */
  entry: string;
}
async function bundle(contents: string, platform: 'browser' | 'node'): Promise<Bundle> {
  const outdir = path.join(ROOT, '.bundle-check');
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: platform === 'browser',
    format: 'esm',
    platform,
    splitting: true,
    outdir,
    write: false,
    metafile: true,
    logLevel: 'error',
    tsconfigRaw: {}, // not the repository's paths, which map 'tfjs-resnet' to src/
    ...(platform === 'node' ? { external: ['@tensorflow/*'] } : {}),
  });
  const outputs = result.metafile.outputs;
  const byPath = new Map(result.outputFiles.map((f) => [path.relative(ROOT, f.path).split(path.sep).join('/'), f.contents]));
  const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint !== undefined && !k.endsWith('.map'));
  if (entry === undefined) throw new Error('esbuild made no entry output');
  const initial = new Set<string>();
  const visit = (file: string): void => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imp of outputs[file].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(entry);
  const parts = [...initial].map((f) => byPath.get(f) ?? new Uint8Array());
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  let lazyBytes = 0;
  for (const [file, bytes] of byPath) if (!initial.has(file) && file.endsWith('.js')) lazyBytes += bytes.length;
  return { initial: joined, lazyBytes, files: byPath, entry };
}
const tfjsAlone = (await bundle(`import * as tf from '@tensorflow/tfjs'; console.log(tf.zeros([1]));`, 'browser')).initial;
const withResnet18 = await bundle(
  `import * as tf from '@tensorflow/tfjs'; import { resnet18 } from 'tfjs-resnet'; console.log(tf.zeros([1]), resnet18({ inputShape: [64, 64, 3] }));`,
  'browser',
);
const added = withResnet18.initial.length - tfjsAlone.length;
const protobuf = /protobuf|onnx\.ModelProto|ModelProto/.test(new TextDecoder().decode(withResnet18.initial));
console.log(
  `browser bundle (esbuild, minified, code splitting): @tensorflow/tfjs ${kb(tfjsAlone.length)}; + import { resnet18 } from 'tfjs-resnet' ${kb(withResnet18.initial.length)} ` +
    `(+${kb(added)}, limit +${kb(BUNDLE_LIMIT)}; ${kb(withResnet18.lazyBytes)} more in chunks loaded only on first use, e.g. resnet18({ weights })); ONNX protobuf code ${protobuf ? 'included' : 'left out'}`,
);
if (added > BUNDLE_LIMIT) problems.push(`resnet18 adds ${kb(added)} to a browser bundle, more than ${kb(BUNDLE_LIMIT)}`);
if (protobuf)
  problems.push(
    'a bundle of resnet18 alone contains ONNX protobuf code (onnx-proto must stay imported only by dist/onnx/onnx-proto.js and dist/onnx-proto.cjs, out of sideEffects)',
  );

/** Writes a split bundle's files under ROOT (where @tensorflow/* resolve), runs its entry with Node and returns its stdout. */
function runSplit({ files, entry }: Bundle): string {
  const dir = path.join(ROOT, '.bundle-check');
  rmSync(dir, { recursive: true, force: true });
  try {
    for (const [file, bytes] of files) {
      mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
      writeFileSync(path.join(ROOT, file), bytes);
    }
    return execFileSync(process.execPath, [path.join(ROOT, entry)], { cwd: ROOT, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Custom layers stay registered for tf.loadLayersModel, whatever a bundle keeps of the package.
const CUSTOM_LAYERS = ['AddActivation', 'DropPath', 'GroupedConv2D', 'ShortcutPadChannels'];
for (const [what, imports] of [
  ["import 'tfjs-resnet'", `import 'tfjs-resnet';`],
  ["import { IMAGENET_CLASSES } from 'tfjs-resnet'", `import { IMAGENET_CLASSES } from 'tfjs-resnet'; void IMAGENET_CLASSES;`],
] as const) {
  const split = await bundle(
    `import * as tf from '@tensorflow/tfjs'; ${imports} console.log(JSON.stringify(Object.keys(tf.serialization.SerializationMap.getMap().classNameMap)));`,
    'node',
  );
  // Run the chunks as written (an entry importing its chunks; concatenated they would declare their imports twice).
  const out = runSplit(split);
  const registered = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
  const missing = CUSTOM_LAYERS.filter((c) => !registered.some((r) => r === c || r.endsWith(`>${c}`)));
  console.log(`  bundle of ${what}: custom layers ${missing.length === 0 ? 'registered' : `NOT registered: ${missing.join(', ')}`}`);
  if (missing.length > 0) problems.push(`a bundle of ${what} does not register ${missing.join(', ')}`);
}

for (const p of problems) console.log(`problem: ${p}`);
console.log(problems.length === 0 ? 'tarball: OK' : 'tarball: FAIL');
process.exit(problems.length === 0 ? 0 : 1);
