// `npm run test:browser`: the library in a real browser.
//
// 1. builds the package if dist/ is missing or stale (tsup);
// 2. writes the hash-init resnet18 state dict as safetensors (Node side);
// 3. bundles test/browser/page.ts with esbuild for the browser, importing
//    `tfjs-resnet` through the package's exports (its ESM build), and fails if
//    the bundle needs any Node module;
// 4. serves it from 127.0.0.1 (node:http, a free port) with the wasm binaries;
// 5. opens it in Debian's headless Chromium (playwright-core), where the page
//    builds resnet18 on WebGL if available (else wasm, else cpu), loads the
//    weights by URL, and compares the logits with torchvision's;
// 6. prints backend, max relative error and timings; exits 0 on pass, 1 on failure.
//
// Options: `--prefer=wasm,cpu` (backends to try in order; default webgl,wasm,cpu),
// `--keep` (keep the served directory and print its path).
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { fixturePath, hashStateDictTensors, readGolden, torchvisionStateDict } from '../helpers/golden-numerics.js';
import { bundlePage, ensureBuilt, ROOT } from './bundle.js';
import { CHROMIUM_PATH } from './chromium.js';
import type { BrowserResult } from './page.js';
import { runPage } from './run-page.js';

const GOLDEN = 'resnet18-dev-1x224x224';
const PAGE_TIMEOUT_MS = 10 * 60_000;

const args = process.argv.slice(2);
const prefer = args.find((a) => a.startsWith('--prefer='))?.slice('--prefer='.length) ?? 'webgl,wasm,cpu';
const keep = args.includes('--keep');

const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>tfjs-resnet browser test</title></head>
<body>
<h1>tfjs-resnet browser test</h1>
<pre id="log"></pre>
<script type="module" src="page.js"></script>
</body>
</html>
`;

async function main(): Promise<number> {
  const started = performance.now();
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`browser test: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return 1;
  }
  if (ensureBuilt()) console.log('built dist/ with tsup (it was missing or older than src/)');

  const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-browser-'));
  try {
    // Weights and reference, served next to the page.
    const golden = readGolden(GOLDEN);
    writeFileSync(path.join(dir, 'resnet18.safetensors'), writeSafetensors(hashStateDictTensors(golden.salt, torchvisionStateDict('resnet18'))));
    copyFileSync(fixturePath(`${GOLDEN}.json`), path.join(dir, 'fixture.json'));
    writeFileSync(path.join(dir, 'index.html'), HTML);

    const bundle = await bundlePage(path.join(ROOT, 'test/browser/page.ts'), path.join(dir, 'page.js'), dir);
    console.log(
      `bundle: ${(bundle.bytes / 1e6).toFixed(2)} MB from ${bundle.inputs} files (tfjs-resnet ${(bundle.libraryBytes / 1e3).toFixed(0)} kB, ` +
        `from ${bundle.libraryFile}; the rest tfjs and the test page, unminified); no Node modules`,
    );

    const run = await runPage<BrowserResult>(dir, '__result', { query: `?prefer=${encodeURIComponent(prefer)}`, timeoutMs: PAGE_TIMEOUT_MS });
    const result = run.result;
    const version = run.version ?? result.userAgent;

    console.log(`chromium ${version}`);
    console.log(
      `backend: ${result.backend}${result.webglVersion !== undefined ? ` (WebGL ${result.webglVersion}, ${result.webglRenderer ?? 'unknown renderer'})` : ''}`,
    );
    console.log(`resnet18 ${GOLDEN}: max relative error of the logits ${result.maxRelError.toExponential(2)} (tolerance ${result.tolerance})`);
    console.log(
      `time: load weights ${result.loadMs.toFixed(0)} ms (${result.loadedTensors} tensors), ` +
        `first forward pass ${result.firstPredictMs.toFixed(0)} ms, second ${result.predictMs.toFixed(0)} ms; ` +
        `total ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (result.leakedTensors !== 0) console.log(`leaked tensors: ${result.leakedTensors}`);
    for (const e of run.errors) console.log(e);
    if (result.error !== undefined) console.log(result.error);
    const failed = run.log.filter((r) => r.status !== 200);
    for (const r of failed) console.log(`HTTP ${r.status} ${r.path}`);
    console.log(result.ok ? 'browser test: PASS' : 'browser test: FAIL');
    return result.ok ? 0 : 1;
  } finally {
    if (keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    console.log('browser test: FAIL');
    process.exit(1);
  },
);
