// Runs the browser test (test/browser/run.ts: the ESM build bundled for the
// browser, resnet18 in headless Chromium checked against torchvision's logits)
// as part of `npm test`, where Debian's Chromium is installed; skipped elsewhere.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipAllUnless } from './helpers/skip.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('browser (headless Chromium)', () => {
  skipAllUnless(existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  it('bundles the ESM build without Node modules and reproduces torchvision resnet18 logits in the page', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/browser/run.ts'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    console.log(output.trimEnd());
    expect(output).toMatch(/^backend: (webgl|wasm|cpu)/m);
    expect(output, output).toContain('browser test: PASS');
    expect(code).toBe(0);
  }, 900_000);
});
