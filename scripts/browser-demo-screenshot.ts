// Takes docs/images/browser-demo.png: starts the browser demo
// (examples/browser/serve.ts), opens it in the same headless Chromium as the
// browser test, picks a sample image through the file input, waits for the
// top-5 and screenshots the page.
//
//   npx tsx scripts/browser-demo-screenshot.ts [--model DIR | --weights FILE --arch NAME] [--backend LIST] [--out PATH]
//
// Without a model it writes resnet18's untrained hash-init weights
// (test/fixtures/README.md), converts them with the CLI (`tfjs-resnet convert
// resnet18 --optimize`) into a LayersModel directory and runs that, as a user
// runs a converted model (the page says the weights are untrained); if the
// CLI fails it serves the safetensors file instead. The sample image is drawn
// by Chromium itself from an SVG, so the script needs no image file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo, type DemoOptions } from '../examples/browser/serve.js';
import { writeSafetensors } from '../src/weights/safetensors.js';
import { launchChromium } from '../test/browser/chromium.js';
import { hashStateDictTensors, torchvisionStateDict } from '../test/helpers/golden-numerics.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A 320×240 picture: sky, sun, hills and a small house. */
const SAMPLE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6fb1ff"/><stop offset="1" stop-color="#d8ecff"/></linearGradient></defs>
  <rect width="320" height="240" fill="url(#sky)"/>
  <circle cx="255" cy="55" r="28" fill="#ffd23f"/>
  <path d="M0 170 Q80 120 160 165 T320 150 V240 H0Z" fill="#4f9d3a"/>
  <path d="M0 200 Q100 170 200 200 T320 195 V240 H0Z" fill="#3b7d2b"/>
  <rect x="70" y="140" width="70" height="50" fill="#c8553d"/>
  <path d="M62 142 L105 108 L148 142Z" fill="#5b3a29"/>
  <rect x="98" y="162" width="16" height="28" fill="#3d2b1f"/>
  <rect x="78" y="150" width="14" height="12" fill="#fff6c9"/>
</svg>`;

function parseArgs(argv: string[]): { demo: DemoOptions; out: string } {
  const demo: DemoOptions = {};
  let out = path.join(ROOT, 'docs/images/browser-demo.png');
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): string => inline ?? argv[++i];
    if (flag === '--model') demo.model = value();
    else if (flag === '--weights') demo.weights = value();
    else if (flag === '--arch') demo.arch = value();
    else if (flag === '--backend') demo.backend = value();
    else if (flag === '--out') out = path.resolve(value());
    else throw new Error(`unknown option ${argv[i]}; valid: --model DIR, --weights FILE, --arch NAME, --backend LIST, --out PATH`);
  }
  return { demo, out };
}

const UNTRAINED_NOTE =
  'These are untrained test weights (the hash init of test/fixtures), so the classes are arbitrary. ' +
  'Serve a model converted from real weights (--model DIR) for real predictions.';

/**
 * The hash-init resnet18 as a converted LayersModel directory in `dir`
 * (through the CLI's `convert`), or `undefined` when the CLI fails.
 */
function convertedHashInit(dir: string): string | undefined {
  const weights = path.join(dir, 'resnet18.safetensors');
  writeFileSync(weights, writeSafetensors(hashStateDictTensors('dev', torchvisionStateDict('resnet18'))));
  const modelDir = path.join(dir, 'resnet18-tfjs');
  const tsx = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  const args = [tsx, path.join(ROOT, 'src/cli/main.ts'), 'convert', 'resnet18', '--weights', weights, '--out', modelDir, '--optimize'];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    console.warn(`tfjs-resnet convert failed (exit ${r.status}); serving the safetensors weights instead\n${r.stderr}`);
    return undefined;
  }
  console.log(r.stdout.trim());
  return modelDir;
}

async function main(): Promise<void> {
  const { demo: options, out } = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-shot-'));
  if (options.model === undefined && options.weights === undefined) {
    const modelDir = convertedHashInit(scratch);
    if (modelDir !== undefined) {
      options.model = modelDir;
      options.note = UNTRAINED_NOTE;
    }
  }
  const demo = await startDemo(options);
  const browser = await launchChromium({ viewport: { width: 980, height: 640 } });
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`console.error: ${m.text()}`);
    });

    // The sample image, rendered by Chromium.
    await page.setViewportSize({ width: 320, height: 240 });
    await page.setContent(`<html><body style="margin:0">${SAMPLE_SVG}</body></html>`);
    const sample = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 320, height: 240 } });
    await page.setViewportSize({ width: 980, height: 640 });

    await page.goto(demo.url);
    await page.waitForSelector('#file:not([disabled])', { state: 'attached', timeout: 10 * 60_000 });
    await page.setInputFiles('#file', { name: 'house.png', mimeType: 'image/png', buffer: sample });
    await page.waitForSelector('body[data-done="1"]', { timeout: 10 * 60_000 });
    const summary = await page.evaluate(() => ({
      status: document.getElementById('status')!.textContent,
      timing: document.getElementById('timing')!.innerText.replace(/\n/g, ' '),
    }));
    mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`${summary.status} ${summary.timing}`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await browser.close();
    await demo.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
