// Bundles a browser page entry the way an application would: esbuild for the
// browser platform, `tfjs-resnet` resolved as an installed package (through
// package.json `exports`, so the ESM build `dist/index.js` is what gets
// bundled), no Node polyfills and nothing external. Then proves that no
// Node-only code came along.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The package bundled as `tfjs-resnet`: the project itself, or another
 * directory with package.json and dist/ (e.g. an unpacked `npm pack` tarball)
 * given in TFJS_RESNET_PACKAGE_DIR.
 */
export const PACKAGE_DIR = path.resolve(process.env.TFJS_RESNET_PACKAGE_DIR ?? ROOT);

/** Inputs that must never reach a browser bundle of the main entry. */
const FORBIDDEN_INPUTS: ReadonlyArray<[RegExp, string]> = [
  [/(^|\/)dist\/node\.(c?js)$/, 'the Node entry tfjs-resnet/node'],
  [/node_modules\/pngjs\//, 'pngjs (Node image decoding)'],
  [/node_modules\/@tensorflow\/tfjs-node\//, '@tensorflow/tfjs-node'],
  [/node_modules\/onnxruntime-node\//, 'onnxruntime-node'],
];

/**
 * A static `import`/`export … from`/`require` of a `node:` module. (Bare
 * built-in names such as `fs` cannot hide in bundled code: esbuild fails to
 * resolve them for the browser unless a package's `browser` field maps them
 * to an empty module, as the wasm backend's emscripten glue does.)
 */
const NODE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](node:[\w/]+)["']/g;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Runs tsup when `dist/index.js` is missing or older than any file in `src/`
 * (or than package.json / tsup.config.ts). Returns whether it built.
 */
export function ensureBuilt(): boolean {
  if (PACKAGE_DIR !== ROOT) return false;
  const out = path.join(ROOT, 'dist/index.js');
  const inputs = Math.max(
    newestMtime(path.join(ROOT, 'src')),
    statSync(path.join(ROOT, 'package.json')).mtimeMs,
    statSync(path.join(ROOT, 'tsup.config.ts')).mtimeMs,
  );
  if (existsSync(out) && statSync(out).mtimeMs >= inputs) return false;
  const tsup = path.join(ROOT, 'node_modules/.bin/tsup');
  const r = spawnSync(tsup, [], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsup failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return true;
}

/**
 * Resolves `tfjs-resnet` (and its subpaths) from `dir`, where
 * `node_modules/tfjs-resnet` links to the package: as an application's
 * dependency, through package.json `exports` with the browser and import
 * conditions — not through the project's self-reference.
 */
function resolveAsDependency(dir: string): esbuild.Plugin {
  return {
    name: 'tfjs-resnet-as-dependency',
    setup(build) {
      build.onResolve({ filter: /^tfjs-resnet(\/.*)?$/ }, async (args) => {
        if (args.pluginData === 'as-dependency') return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, resolveDir: dir, pluginData: 'as-dependency' });
        return r.errors.length > 0 ? { errors: r.errors } : { path: r.path };
      });
    },
  };
}

/** What {@link bundlePage} produced. */
export interface BundleResult {
  /** The output file. */
  outfile: string;
  /** Its size in bytes. */
  bytes: number;
  /** How many input files went in. */
  inputs: number;
  /** The file `tfjs-resnet` resolved to (should be `dist/index.js`). */
  libraryFile: string;
  /** Bytes of the bundle (unminified) that come from the package's own files. */
  libraryBytes: number;
}

/**
 * Bundles `entry` into `outfile` for browsers. `tfjs-resnet` resolves as a
 * dependency would, through a `node_modules/tfjs-resnet` symlink to the
 * package root in `outDir`; throws when esbuild needs a Node module or the
 * bundle reaches Node-only code.
 */
export async function bundlePage(entry: string, outfile: string, outDir: string): Promise<BundleResult> {
  const fakeModules = path.join(outDir, 'node_modules');
  mkdirSync(fakeModules, { recursive: true });
  if (!existsSync(path.join(fakeModules, 'tfjs-resnet'))) symlinkSync(PACKAGE_DIR, path.join(fakeModules, 'tfjs-resnet'), 'dir');

  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'import'],
    plugins: [resolveAsDependency(outDir)],
    metafile: true,
    sourcemap: false,
    // Not the project's tsconfig.json: its `paths` maps tfjs-resnet to src/index.ts,
    // and an application resolves the published package instead.
    tsconfigRaw: { compilerOptions: { target: 'es2022', useDefineForClassFields: true } },
    logLevel: 'silent',
    // No `external`, no polyfills: a Node built-in anywhere in the graph is a build error.
  });
  if (result.warnings.length > 0) {
    const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    console.warn(text.join('\n'));
  }

  const inputs = Object.keys(result.metafile.inputs);
  const libraryFile = inputs.find((f) => path.resolve(f) === path.join(realpathSync(PACKAGE_DIR), 'dist/index.js'));
  if (libraryFile === undefined) {
    throw new Error(
      `the bundle does not contain tfjs-resnet's ESM build dist/index.js; inputs from the package: ${inputs.filter((f) => !f.includes('node_modules')).join(', ')}`,
    );
  }
  const problems: string[] = [];
  const ownDir = path.join(realpathSync(PACKAGE_DIR), 'dist') + path.sep; // the package's published build
  for (const input of inputs) {
    const own = path.resolve(input).startsWith(ownDir);
    for (const [re, what] of FORBIDDEN_INPUTS) if (re.test(input)) problems.push(`${what} is bundled (${input})`);
    for (const imp of result.metafile.inputs[input].imports) {
      if (imp.external && imp.path !== '<runtime>') problems.push(`${input} imports ${imp.path}, left external`);
      if (own && imp.path.startsWith('(disabled):')) problems.push(`${input} requires ${imp.original ?? imp.path}, which the browser build disables`);
    }
  }
  const code = readFileSync(outfile, 'utf8');
  for (const m of code.matchAll(NODE_IMPORT))
    problems.push(`the bundle imports the Node module "${m[1]}": …${code.slice(Math.max(0, m.index - 60), m.index + m[0].length + 10)}…`);
  if (problems.length > 0) throw new Error(`browser bundle of ${path.relative(ROOT, entry)} pulls in Node-only code:\n- ${problems.join('\n- ')}`);
  const output = Object.values(result.metafile.outputs)[0];
  let libraryBytes = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const abs = path.resolve(input);
    if (abs.startsWith(ownDir)) libraryBytes += bytesInOutput;
  }
  return { outfile, bytes: statSync(outfile).size, inputs: inputs.length, libraryFile, libraryBytes };
}

/** The directory of the installed wasm backend's `.wasm` binaries. */
export function wasmDir(): string {
  return path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
}
