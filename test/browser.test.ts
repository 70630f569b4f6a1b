// Runs the browser tests as part of `npm test`, where Debian's Chromium is
// installed; skipped elsewhere:
// - test/browser/run.ts: the ESM build bundled for the browser, resnet18 in
//   headless Chromium checked against torchvision's logits;
// - test/browser/pretrained.ts: published weights from a local mirror,
//   verified and cached with the Cache API, loaded again from the cache.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipAllUnless } from './helpers/skip.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs a tsx script of test/browser and collects its output. */
function runScript(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('browser (headless Chromium)', () => {
  skipAllUnless(existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  it('bundles the ESM build without Node modules and reproduces torchvision resnet18 logits in the page', async () => {
    const { code, output } = await runScript('test/browser/run.ts');
    console.log(output.trimEnd());
    expect(output).toMatch(/^backend: (webgl|wasm|cpu)/m);
    expect(output, output).toContain('browser test: PASS');
    expect(code).toBe(0);
  }, 900_000);

  it('loads a CIFAR tag from the local mirror, caches it with the Cache API and loads it again from the cache', async () => {
    const { code, output } = await runScript('test/browser/pretrained.ts');
    console.log(output.trimEnd());
    expect(output).toMatch(/requests of the checkpoint: 1; Cache API entries: 1/);
    expect(output, output).toContain('pretrained browser test: PASS');
    expect(code).toBe(0);
  }, 900_000);
});
