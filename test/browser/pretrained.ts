// `npx tsx test/browser/pretrained.ts`: published weights in a real browser.
// Serves akamaster's real resnet32 checkpoint from 127.0.0.1 at its catalog
// path under /mirror (the mirror rule), with 200 real CIFAR-10 images and
// PyTorch's logits; pretrained-page.ts downloads, verifies and caches the
// checkpoint with the Cache API, loads it again from the cache and classifies
// the images. Prints the figures; exits 0 on pass, 1 on failure.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getPretrained } from '../../src/pretrained/catalog.js';
import { bundlePage, ensureBuilt, ROOT } from './bundle.js';
import { CHROMIUM_PATH } from './chromium.js';
import type { PretrainedPageResult } from './pretrained-page.js';
import { runPage } from './run-page.js';

const TAG = 'resnet32.akamaster_cifar10';
const IMAGES = 200;
const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>tfjs-resnet pretrained browser test</title></head>
<body><pre id="log"></pre><script type="module" src="page.js"></script></body>
</html>
`;

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`pretrained browser test: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return 1;
  }
  if (ensureBuilt()) console.log('built dist/ with tsup (it was missing or older than src/)');
  const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-pretrained-browser-'));
  try {
    const fixtures = path.join(ROOT, 'test/fixtures/realworld');
    const url = new URL(getPretrained(TAG).files[0].url);
    const mirrored = path.join(dir, 'mirror', url.host, ...url.pathname.split('/').filter(Boolean));
    mkdirSync(path.dirname(mirrored), { recursive: true });
    copyFileSync(path.join(fixtures, 'resnet32.th'), mirrored);
    writeFileSync(path.join(dir, 'images.bin'), readFileSync(path.join(fixtures, 'cifar10-test-u8.bin')).subarray(0, IMAGES * 3072));
    writeFileSync(path.join(dir, 'logits.bin'), readFileSync(path.join(fixtures, 'resnet32-logits.bin')).subarray(0, IMAGES * 40));
    writeFileSync(path.join(dir, 'index.html'), HTML);
    await bundlePage(path.join(ROOT, 'test/browser/pretrained-page.ts'), path.join(dir, 'page.js'), dir);

    const run = await runPage<PretrainedPageResult>(dir, '__pretrained', { timeoutMs: 300_000 });
    const r = run.result;
    const downloads = run.log.filter((e) => e.path.endsWith(path.basename(mirrored))).length;
    console.log(`backend: ${r.backend}`);
    console.log(
      `${TAG}: first load downloaded ${r.firstDownloaded}, second ${r.secondDownloaded}; requests of the checkpoint: ${downloads}; Cache API entries: ${r.cacheEntries}`,
    );
    console.log(`top-1 equal to PyTorch's on ${r.agree}/${r.count} real images; max relative error of the logits ${r.maxRelError.toExponential(2)}`);
    for (const e of run.errors) console.log(e);
    if (r.error !== undefined) console.log(r.error);
    const ok = r.ok && downloads === 1;
    console.log(ok ? 'pretrained browser test: PASS' : 'pretrained browser test: FAIL');
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    console.log('pretrained browser test: FAIL');
    process.exit(1);
  },
);
