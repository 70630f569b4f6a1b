// Release hygiene of the npm tarball: `npm pack --dry-run` must hold the
// builds of both entries (ESM, CJS and their types), README, LICENSE,
// CHANGELOG and package.json — and no tests, fixtures, sources, docs or
// scratch files. Prints the tarball's size; exits 1 on a problem.
//
//   npx tsx scripts/check-pack.ts        (after npm run build)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const FORBIDDEN = /^(test|tests|src|docs|examples|bench|scripts|\.ci|\.changeset|\.scratch[^/]*|coverage|node_modules)\/|\.(test|spec)\.[cm]?[jt]s$|\.safetensors$|fixtures?\//;

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
console.log(`  dist/: ${dist.length} files, ${kb(dist.reduce((a, f) => a + f.size, 0))} (source maps ${kb(dist.filter((f) => f.path.endsWith('.map')).reduce((a, f) => a + f.size, 0))})`);
console.log(`  others: ${files.filter((f) => !f.startsWith('dist/')).join(', ')}`);
for (const p of problems) console.log(`problem: ${p}`);
console.log(problems.length === 0 ? 'tarball: OK' : 'tarball: FAIL');
process.exit(problems.length === 0 ? 0 : 1);
