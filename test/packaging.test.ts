// The published package, as a user gets it: `npm pack`, install the tarball
// into a fresh project, then require() and import() every entry point and run
// resnet18 through both; publint and attw check the package metadata. Until
// it is published, users install from git or from a tarball packed from a
// clone: both paths run from a fresh clone of this repository's HEAD, whose
// `prepare` script builds dist/.
// Slow (npm installs and builds), so it runs only with PACKAGING=1 or in CI
// (.ci/run sets CI=true); otherwise its tests are skipped with that reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipAllUnless } from './helpers/skip.js';

const enabled = process.env.PACKAGING === '1' || process.env.CI === 'true';
const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT = 300_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command with the environment of the test minus npm's `npm_*`
 * variables: under `npm run`, they point npm at this project
 * (`npm_config_local_prefix`, …) and would make the temp project's install
 * land here.
 */
function run(cmd: string, args: string[], cwd: string): Run {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  const r = spawnSync(cmd, args, {
    cwd,
    env: { ...env, NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    timeout: TIMEOUT,
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function ok(r: Run, what: string): string {
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

const bin = (name: string): string => path.join(PROJECT, 'node_modules', '.bin', name);
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(path.join(PROJECT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * What both module systems run, given `load(specifier)` (require or import)
 * and `readPkg()`: load every entry point of the exports map, build resnet18,
 * predict once on the cpu backend.
 */
const CHECK_BODY = `
const tf = await load('@tensorflow/tfjs');
const pkg = readPkg();
const lib = await load('tfjs-resnet');
const exportsOf = {};
const duplicated = {};
for (const sub of Object.keys(pkg.exports).filter((k) => k !== './package.json')) {
  const m = await load(sub === '.' ? 'tfjs-resnet' : 'tfjs-resnet/' + sub.slice(2));
  exportsOf[sub] = Object.keys(m).length;
  // What an entry point re-exports from the main one must be the same object
  // (one copy of the library: instanceof, registered layer classes).
  duplicated[sub] = Object.keys(lib).filter((k) => k in m && m[k] !== lib[k]);
}
await tf.setBackend('cpu');
await tf.ready();
const model = lib.resnet18({ init: 'zeros', inputShape: [64, 64, 3] });
const y = model.predict(tf.zeros([1, 64, 64, 3]));
let configError = false;
try { lib.resnet(42); } catch (e) { configError = e instanceof lib.ConfigError; }
console.log('RESULT ' + JSON.stringify({ shape: y.shape, backend: tf.getBackend(), params: model.countParams(), exportsOf, duplicated, configError }));
`;

const CJS_CHECK = `const load = async (s) => require(s);
const readPkg = () => require('tfjs-resnet/package.json');
(async () => {${CHECK_BODY}})().catch((e) => { console.error(e); process.exit(1); });
`;

const ESM_CHECK = `import { createRequire } from 'node:module';
const load = (s) => import(s);
const readPkg = () => createRequire(import.meta.url)('tfjs-resnet/package.json');
${CHECK_BODY}`;

/**
 * The JSON that `npm pack --json` prints; the `prepare` build's own output
 * (tsup's log) may come before it on stdout.
 */
function packInfo(out: string): { filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> } {
  const start = out.search(/^\[/m);
  if (start < 0) throw new Error(`no JSON from npm pack in:\n${out}`);
  const [info] = JSON.parse(out.slice(start)) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  return info;
}

/** A fresh project in `dir` with @tensorflow/tfjs and `spec` (a tarball or a git URL) installed from the npm cache when it can. */
function installApp(dir: string, spec: string, extra: readonly string[] = []): Run {
  mkdirSync(dir, { recursive: true });
  // @types/node is "*" deep in tfjs's tree: pin it to ours so the npm cache suffices.
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, overrides: { '@types/node': versionOf('@types/node') } }, null, 2),
  );
  const deps = [spec, `@tensorflow/tfjs@${versionOf('@tensorflow/tfjs')}`, ...extra];
  const common = ['install', '--no-audit', '--no-fund', ...deps];
  let r = run('npm', [...common, '--offline'], dir);
  if (r.status !== 0) {
    console.log('offline install failed, using the registry:', r.stderr.split('\n').find((l) => l.includes('ERR')) ?? r.stderr.slice(0, 300));
    r = run('npm', [...common, '--prefer-offline'], dir);
  }
  return r;
}

describe('packaging (npm pack → install → require/import)', () => {
  skipAllUnless(enabled ? undefined : 'slow (npm pack, installs from a tarball and from git); set CI=true or PACKAGING=1 to run');
  let tmp = '';
  let tarball = '';
  let app = '';

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-pack-'));
  });
  afterAll(() => {
    if (tmp && !process.env.KEEP_PACKAGING_DIR) rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'builds dist with ESM, CJS and both declaration files',
    () => {
      const want = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((f) => path.join(PROJECT, 'dist', f));
      // Build when dist is missing or older than the sources (CI has just built it).
      const newestSource = Math.max(
        ...readdirSync(path.join(PROJECT, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => statSync(path.join(PROJECT, 'src', f)).mtimeMs),
      );
      const stale = !want.every((f) => existsSync(f) && statSync(f).mtimeMs >= newestSource);
      if (stale) ok(run('npm', ['run', 'build'], PROJECT), 'npm run build');
      for (const f of want) expect(existsSync(f), f).toBe(true);
      // Every file the exports map names exists.
      const pkg = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      const targets = (e: unknown): string[] => (typeof e === 'string' ? [e] : e !== null && typeof e === 'object' ? Object.values(e).flatMap(targets) : []);
      for (const t of targets(pkg.exports)) expect(existsSync(path.join(PROJECT, t)), t).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'npm pack ships dist and the docs, not the sources',
    () => {
      const info = packInfo(ok(run('npm', ['pack', '--json', '--pack-destination', tmp], PROJECT), 'npm pack'));
      tarball = path.join(tmp, info.filename);
      expect(existsSync(tarball)).toBe(true);
      const files = info.files.map((f) => f.path);
      console.log(
        `tarball ${info.filename}: ${(info.size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${files.length} files`,
      );
      for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
        expect(files).toContain(f);
      }
      expect(files.filter((f) => /^(src|test|bench|examples|\.ci|\.scratch)\//.test(f))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'installs into a fresh project',
    () => {
      expect(tarball, 'npm pack must have run').not.toBe('');
      app = path.join(tmp, 'app');
      ok(installApp(app, tarball, ['--ignore-scripts', `@tensorflow/tfjs-backend-wasm@${versionOf('@tensorflow/tfjs-backend-wasm')}`]), 'npm install');
      expect(existsSync(path.join(app, 'node_modules', 'tfjs-resnet', 'dist', 'index.cjs'))).toBe(true);
    },
    TIMEOUT,
  );

  const result = (out: string) => {
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (line === undefined) throw new Error(`no RESULT line in:\n${out}`);
    return JSON.parse(line.slice('RESULT '.length)) as {
      shape: number[];
      backend: string;
      params: number;
      exportsOf: Record<string, number>;
      duplicated: Record<string, string[]>;
      configError: boolean;
    };
  };

  const expectRan = (r: ReturnType<typeof result>) => {
    expect(r.shape).toEqual([1, 1000]);
    expect(r.backend).toBe('cpu');
    expect(r.params).toBe(11_689_512 + 9_600);
    expect(r.configError).toBe(true);
    for (const [sub, n] of Object.entries(r.exportsOf)) expect(n, `exports of ${sub}`).toBeGreaterThan(0);
    for (const [sub, names] of Object.entries(r.duplicated)) expect(names, `second copies of the library in ${sub}`).toEqual([]);
  };

  it(
    "require('tfjs-resnet') works from CommonJS",
    () => {
      expect(app).not.toBe('');
      writeFileSync(path.join(app, 'check.cjs'), CJS_CHECK);
      const r = result(ok(run(process.execPath, ['check.cjs'], app), 'node check.cjs'));
      console.log('CJS:', JSON.stringify(r));
      expectRan(r);
      // node -e, as a user would try it.
      const oneLiner = ok(run(process.execPath, ['-e', "const m = require('tfjs-resnet'); console.log(typeof m.resnet50)"], app), 'node -e');
      expect(oneLiner.trim().split('\n').pop()).toBe('function');
    },
    TIMEOUT,
  );

  it(
    "import('tfjs-resnet') works from an ES module",
    () => {
      expect(app).not.toBe('');
      writeFileSync(path.join(app, 'check.mjs'), ESM_CHECK);
      const r = result(ok(run(process.execPath, ['check.mjs'], app), 'node check.mjs'));
      console.log('ESM:', JSON.stringify(r));
      expectRan(r);
    },
    TIMEOUT,
  );

  /** A fresh clone of this repository's HEAD (what CI tests; uncommitted changes are not in it). */
  let clone = '';
  const freshClone = (): string => {
    if (clone !== '') return clone;
    clone = path.join(tmp, 'clone');
    ok(run('git', ['clone', '--quiet', '--depth', '1', `file://${PROJECT}`, clone], tmp), 'git clone');
    expect(existsSync(path.join(clone, 'dist')), 'a fresh clone has no dist/').toBe(false);
    return clone;
  };
  const isGitCheckout = existsSync(path.join(PROJECT, '.git'));

  /** require() and import() from `dir`: every entry point loads, resnet18 runs, one copy of the library. */
  const expectLoads = (dir: string) => {
    expect(existsSync(path.join(dir, 'node_modules', 'tfjs-resnet', 'dist', 'index.cjs'))).toBe(true);
    writeFileSync(path.join(dir, 'check.cjs'), CJS_CHECK);
    writeFileSync(path.join(dir, 'check.mjs'), ESM_CHECK);
    expectRan(result(ok(run(process.execPath, ['check.cjs'], dir), 'node check.cjs')));
    expectRan(result(ok(run(process.execPath, ['check.mjs'], dir), 'node check.mjs')));
  };

  it(
    'npm install git+file://<fresh clone> builds dist (prepare) and works from CJS and ESM',
    (ctx) => {
      if (!isGitCheckout) ctx.skip('not a git checkout');
      const url = `git+file://${freshClone()}`;
      const dir = path.join(tmp, 'app-git');
      // npm 11 lists the git dependency's prepare among the scripts "not covered by allowScripts"
      // and does not run it a second time: the clone's own `npm install` has built dist/ already.
      const r = installApp(dir, url);
      console.log(`npm install ${url}: exit ${r.status}\n${r.stderr.trim()}`);
      ok(r, `npm install ${url}`);
      expectLoads(dir);
    },
    TIMEOUT * 2,
  );

  it(
    'npm pack of a fresh clone (npm pack git+file://…) ships dist and works from CJS and ESM',
    (ctx) => {
      if (!isGitCheckout) ctx.skip('not a git checkout');
      const out = path.join(tmp, 'packed-from-clone');
      mkdirSync(out, { recursive: true });
      const info = packInfo(ok(run('npm', ['pack', '--json', '--pack-destination', out, `git+file://${freshClone()}`], out), 'npm pack git+file://'));
      const files = info.files.map((f) => f.path);
      for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/node.js', 'dist/cli.js']) expect(files).toContain(f);
      console.log(`tarball of a fresh clone: ${files.length} files, ${(info.size / 1024).toFixed(1)} KiB`);
      const dir = path.join(tmp, 'app-clone-tarball');
      ok(installApp(dir, path.join(out, info.filename), ['--ignore-scripts']), 'npm install <tarball of a fresh clone>');
      expectLoads(dir);
    },
    TIMEOUT * 2,
  );

  it(
    'publint passes',
    () => {
      const r = run(bin('publint'), [], PROJECT);
      console.log(`publint (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      expect(r.status).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'attw --pack passes',
    () => {
      const r = run(bin('attw'), ['--pack', '.', '--format', 'table-flipped'], PROJECT);
      console.log(`attw (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      expect(r.status).toBe(0);
    },
    TIMEOUT,
  );
});
