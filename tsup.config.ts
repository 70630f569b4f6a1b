import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // One shared chunk for both entries, so 'tfjs-resnet' and 'tfjs-resnet/node'
  // export the same classes (and register custom layers once) in CJS too.
  splitting: true,
  shims: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^@tensorflow\//, 'onnxruntime-node', /^node:/],
});
