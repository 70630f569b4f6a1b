import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

const OUT_DIR = 'dist';
const SRC_DIR = path.resolve('src');
/** The CLI's source, built as `dist/cli.js` (package.json `bin`). */
const CLI_SOURCE = path.join(SRC_DIR, 'cli', 'main.ts');

/**
 * The dist file (relative to dist/, without extension) of a module of src/:
 * `src/models/resnet.ts` → `models/resnet`; the CLI → `cli`.
 */
function outName(source: string): string {
  if (source === CLI_SOURCE) return 'cli';
  return path.relative(SRC_DIR, source).replace(/\.ts$/, '').split(path.sep).join('/');
}

/** Every module of src/ as an ESM entry (but `except`): dist file name → source. */
function everyModule(except: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const file of readdirSync(SRC_DIR, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const source = path.join(SRC_DIR, file);
    if (source !== except) entries[outName(source)] = source;
  }
  return entries;
}

/** The import path of `target`'s dist file from `importer`'s (both src modules). */
function distImport(importer: string, target: string): string {
  const relative = path.posix.relative(path.posix.dirname(outName(importer)), outName(target));
  return `${relative.startsWith('.') ? '' : './'}${relative}.js`;
}

/** The src module a relative import names (`./x.js` → `…/src/…/x.ts`), if it is one. */
function srcModule(resolveDir: string, specifier: string): string | undefined {
  const target = path.resolve(resolveDir, specifier.replace(/\.js$/, '.ts'));
  return target.startsWith(SRC_DIR + path.sep) && existsSync(target) ? target : undefined;
}

/**
 * The ESM build keeps one dist module per src module: an import of another
 * module of src/ stays an import, of that module's dist file. Users' bundlers
 * then see the package's module graph and drop (or split into lazy chunks)
 * each module the app does not reach, as they would in their own code —
 * esbuild, Rollup and webpack place whole modules in chunks, so a bundled
 * dist/ put code an app never calls into the chunk it loads at start (e.g.
 * the pretrained machinery that `resnet18({ weights })` imports dynamically).
 * Anything else (package.json, whose `version` the CLI prints) is inlined.
 */
const oneModulePerFile: Plugin = {
  name: 'one-module-per-file',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = args.kind === 'entry-point' ? undefined : srcModule(args.resolveDir, args.path);
      return target === undefined ? undefined : { path: distImport(args.importer, target), external: true };
    });
  },
};

/**
 * The pretrained loader, `src/pretrained/load.ts`, which the presets import
 * dynamically (`resnet18({ weights })`), is built as one file,
 * `dist/pretrained/load.js`, with its own copy of the modules it uses (the
 * catalog, the cache, the checkpoint readers …). esbuild puts in the chunk an
 * app loads at start every module that the package entry re-exports from and
 * that the app's bundle holds at all (even one used only by a lazy chunk): were
 * the loader to import `dist/pretrained/catalog.js`, `dist/weights/…` (which
 * dist/index.js re-exports), the whole pretrained machinery would load with
 * `resnet18` again. Modules whose identity or state the loader must share with
 * the rest of the package stay imports of their dist files: the error classes,
 * the registries and WeakMaps others read (model info, weight mappings,
 * pretrained info) and the custom layers. The build fails when the loader
 * would copy another module with import-time state or effects.
 */
const LOADER_SOURCE = path.join(SRC_DIR, 'pretrained', 'load.ts');
const SHARED_WITH_LOADER = new Set(['errors.ts', 'models/model-info.ts', 'weights/weight-mapping.ts', 'pretrained/info.ts'].map((f) => path.join(SRC_DIR, f)));
/**
 * Copied despite module-level state: the cache's map of downloads in flight
 * only joins concurrent requests for one file (two copies: a preset's load and
 * `downloadPretrained` of the same file at the same moment each download it;
 * concurrent writers are safe either way, as two processes sharing a cache are).
 */
const COPIED_WITH_STATE = new Set([path.join(SRC_DIR, 'pretrained', 'cache.ts')]);
/** Module-level state (a registry, a cache: an empty Map/Set/WeakMap filled later), or effects at import. */
const MODULE_STATE = /^(?:export )?(?:const|let) \w+ = new (?:Weak)?(?:Map|Set)(?:<.*>)?\(\)|registerClass|registerKernel|registerGradient|^import '/m;
const loaderApart: Plugin = {
  name: 'pretrained-loader-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = args.kind === 'entry-point' ? undefined : srcModule(args.resolveDir, args.path);
      if (target === undefined) return undefined;
      if (SHARED_WITH_LOADER.has(target) || target.startsWith(path.join(SRC_DIR, 'layers') + path.sep)) {
        return { path: distImport(LOADER_SOURCE, target), external: true };
      }
      if (!COPIED_WITH_STATE.has(target) && MODULE_STATE.test(readFileSync(target, 'utf8'))) {
        return { errors: [{ text: `${path.relative(SRC_DIR, target)} has import-time state or effects: add it to SHARED_WITH_LOADER (tsup.config.ts)` }] };
      }
      return undefined;
    });
  },
};

/**
 * In the CJS build, `src/onnx/onnx-proto.ts`, the only module that imports
 * onnx-proto (and protobufjs), is built as its own file `dist/onnx-proto.cjs`
 * and the other files require it from there instead of carrying a copy in the
 * shared chunk (package.json's `sideEffects` leaves it out, as it does
 * `dist/onnx/onnx-proto.js` of the ESM build).
 */
const onnxProtoApart: Plugin = {
  name: 'onnx-proto-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/onnx-proto\.js$/ }, (args) =>
      args.kind === 'entry-point' || !args.importer.includes(`${path.sep}src${path.sep}onnx${path.sep}`)
        ? undefined
        : { path: './onnx-proto.cjs', external: true },
    );
  },
};

/**
 * tsup's CJS code splitting (sucrase) names each chunk by its absolute path in
 * the source maps it merges (`file` and a `sources` entry). Rewrite absolute
 * paths relative to the map, so the published maps do not carry the build
 * machine's paths (scripts/check-pack.ts checks it). The ESM build's maps
 * (esbuild's) name their sources relative already.
 */
async function relativeSourceMaps(): Promise<void> {
  const dir = path.resolve(OUT_DIR);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cjs.map'))) {
    const mapPath = path.join(dir, file);
    const relative = (p: string): string => (path.isAbsolute(p) ? path.relative(dir, p).split(path.sep).join('/') : p);
    const text = await readFile(mapPath, 'utf8');
    const map = JSON.parse(text) as { file?: string; sources?: string[]; sourceRoot?: string };
    const fixed = {
      ...map,
      ...(map.file === undefined ? {} : { file: relative(map.file) }),
      sources: (map.sources ?? []).map((s) => relative(path.resolve(dir, map.sourceRoot ?? '', s))),
    };
    delete fixed.sourceRoot;
    const out = JSON.stringify(fixed);
    if (out !== text) await writeFile(mapPath, out);
  }
}

const COMMON: Options = {
  outDir: OUT_DIR,
  sourcemap: true,
  // The configs below build into dist/ side by side: dist/ is emptied once, here.
  clean: false,
  target: 'es2022',
  platform: 'neutral',
  external: [/^@tensorflow\//, 'onnxruntime-node', /^node:/],
  // package.json's `sideEffects` describes dist/ for the bundlers of users; it
  // must not let this build drop modules of src/ imported for their effects
  // (layer registration, wasm training kernels).
  esbuildOptions(options) {
    options.ignoreAnnotations = true;
  },
};

export default defineConfig(() => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  return [
    // ESM: one file per module of src/ (dist/index.js, dist/models/resnet.js,
    // ...), plus the CLI as dist/cli.js. package.json's `sideEffects` lists the
    // modules with import-time effects: custom layer and gradient registration
    // (dist/layers/*), the wasm training kernels, the entries and the barrels
    // that lead to them, so that `import 'tfjs-resnet'` registers the custom
    // layers whatever else a bundle drops.
    {
      ...COMMON,
      entry: everyModule(LOADER_SOURCE),
      format: ['esm'],
      splitting: false,
      esbuildPlugins: [oneModulePerFile],
    },
    // ESM: the pretrained loader, one file with its own copies (see loaderApart).
    {
      ...COMMON,
      entry: { [outName(LOADER_SOURCE)]: LOADER_SOURCE },
      format: ['esm'],
      splitting: false,
      esbuildPlugins: [loaderApart],
    },
    // CJS: bundled, one shared chunk for both entries, so 'tfjs-resnet' and
    // 'tfjs-resnet/node' export the same classes (and register custom layers
    // once).
    {
      ...COMMON,
      entry: { index: 'src/index.ts', node: 'src/node.ts', 'onnx-proto': 'src/onnx/onnx-proto.ts' },
      format: ['cjs'],
      splitting: true,
      shims: true,
      esbuildPlugins: [onnxProtoApart],
      onSuccess: relativeSourceMaps,
    },
    // Types: dist/{index,node}.d.ts and .d.cts, bundled (one run for both).
    {
      ...COMMON,
      entry: { index: 'src/index.ts', node: 'src/node.ts' },
      format: ['esm', 'cjs'],
      dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' }, only: true },
    },
  ];
});
