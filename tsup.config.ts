import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const OUT_DIR = 'dist';

/**
 * `src/onnx/onnx-proto.ts`, the only module that imports onnx-proto (and
 * protobufjs), is built as its own file `dist/onnx-proto.{js,cjs}` and the
 * other files import it from there instead of carrying a copy in the shared
 * chunk. package.json's `sideEffects` lists every dist file but that one, so a
 * browser bundle that does not call `exportOnnx` leaves ONNX's protobuf code
 * out, while the chunk that registers the custom layers with
 * `tf.serialization.registerClass` is always kept.
 */
const onnxProtoApart: Plugin = {
  name: 'onnx-proto-apart',
  setup(build) {
    const ext = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\/onnx-proto\.js$/ }, (args) =>
      args.kind === 'entry-point' || !args.importer.includes(`${path.sep}src${path.sep}onnx${path.sep}`)
        ? undefined
        : { path: `./onnx-proto${ext}`, external: true },
    );
  },
};

/**
 * tsup's CJS code splitting (sucrase) names each chunk by its absolute path in
 * the source maps it merges (`file` and a `sources` entry). Rewrite absolute
 * paths relative to the map, so the published maps do not carry the build
 * machine's paths (scripts/check-pack.ts checks it).
 */
async function relativeSourceMaps(): Promise<void> {
  const dir = path.resolve(OUT_DIR);
  const relative = (p: string): string => (path.isAbsolute(p) ? path.relative(dir, p).split(path.sep).join('/') : p);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.map'))) {
    const mapPath = path.join(dir, file);
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

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    cli: 'src/cli/main.ts',
    'onnx-proto': 'src/onnx/onnx-proto.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/main.ts' } },
  sourcemap: true,
  clean: true,
  // One shared chunk for both entries, so 'tfjs-resnet' and 'tfjs-resnet/node'
  // export the same classes (and register custom layers once) in CJS too.
  splitting: true,
  shims: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^@tensorflow\//, 'onnxruntime-node', /^node:/],
  esbuildPlugins: [onnxProtoApart],
  // package.json's `sideEffects` describes dist/ for the bundlers of users; it
  // must not let this build drop modules of src/ imported for their effects
  // (layer registration, wasm training kernels).
  esbuildOptions(options) {
    options.ignoreAnnotations = true;
  },
  onSuccess: relativeSourceMaps,
});
