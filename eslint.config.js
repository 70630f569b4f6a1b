// ESLint (flat config): typescript-eslint's recommended rules, and at most
// four parameters per function — more become an options object.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'docs/api/', 'coverage/', 'node_modules/', 'test/fixtures/', 'examples/browser/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'max-params': ['error', 4],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Existing functions of five or more parameters, outside src/blocks,
    // src/models, src/layers (fixed there): to become options objects; listed
    // here rather than edited, so that parallel branches merge cleanly.
    files: ['src/cli/command.ts', 'src/imagenet/jpeg-color.ts', 'src/onnx/layers.ts', 'src/onnx/padding.ts', 'test/imagenet.test.ts'],
    rules: { 'max-params': 'off' },
  },
  {
    // Terminal escape codes are what the CLI test strips.
    files: ['test/cli.test.ts'],
    rules: { 'no-control-regex': 'off' },
  },
);
