// Builds and serves the browser demo on 127.0.0.1.
//
//   npx tsx examples/browser/serve.ts --model out/resnet50-tfjs      # a converted LayersModel directory (CLI `convert`)
//   npx tsx examples/browser/serve.ts --weights resnet50.safetensors --arch resnet50
//   npx tsx examples/browser/serve.ts                                # resnet18 with untrained hash-init test weights
//   options: --port 8080 (default: a free port), --backend wasm,cpu, --mode torch|caffe|tf, --note TEXT
//
// The page is bundled with esbuild from examples/browser/main.ts against the
// package's ESM build (dist/, built first if stale), as an application would.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { bundlePage, ensureBuilt, wasmDir } from '../../test/browser/bundle.js';
import { serveStatic, type StaticServer } from '../../test/browser/server.js';
import { hashStateDictTensors, torchvisionStateDict } from '../../test/helpers/golden-numerics.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** How to start the demo. */
export interface DemoOptions {
  /** A converted tfjs LayersModel directory (with model.json). */
  model?: string;
  /** A PyTorch state dict as .safetensors, for `arch`. */
  weights?: string;
  /** The preset of `weights` (default resnet18). */
  arch?: string;
  /** Backends to try, comma-separated (default webgl,wasm,cpu). */
  backend?: string;
  /** Input normalization (default torch). */
  mode?: string;
  /** Port (default: any free one). */
  port?: number;
  /** A line the page shows under the results. */
  note?: string;
}

/** A running demo. */
export interface Demo {
  url: string;
  close(): Promise<void>;
}

/** Bundles the page into a temporary directory and serves it. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'tfjs-resnet-demo-'));
  const config: Record<string, string> = {};
  const routes: Record<string, string> = { '/': dir, '/wasm/': wasmDir() };
  if (options.model !== undefined) {
    const modelDir = statSync(options.model).isDirectory() ? options.model : path.dirname(options.model);
    if (!existsSync(path.join(modelDir, 'model.json'))) throw new Error(`${modelDir} has no model.json (a tfjs LayersModel directory is expected)`);
    routes['/model/'] = modelDir;
    config.model = 'model/model.json';
  } else if (options.weights !== undefined) {
    copyFileSync(options.weights, path.join(dir, 'weights.safetensors'));
    config.weights = 'weights.safetensors';
    config.arch = options.arch ?? 'resnet18';
  } else {
    writeFileSync(path.join(dir, 'weights.safetensors'), writeSafetensors(hashStateDictTensors('dev', torchvisionStateDict('resnet18'))));
    config.weights = 'weights.safetensors';
    config.arch = 'resnet18';
    config.note =
      'These are untrained test weights (the hash init of test/fixtures), so the classes are arbitrary. ' +
      'Serve a converted model (--model DIR) or a real state dict (--weights FILE --arch NAME) for real predictions.';
  }
  if (options.note !== undefined) config.note = options.note;
  if (options.backend !== undefined) config.backend = options.backend;
  if (options.mode !== undefined) config.mode = options.mode;
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  copyFileSync(path.join(HERE, 'index.html'), path.join(dir, 'index.html'));
  await bundlePage(path.join(HERE, 'main.ts'), path.join(dir, 'main.js'), dir);

  const server: StaticServer = await serveStatic(routes, options.port);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function parseArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): string => inline ?? argv[++i];
    switch (flag) {
      case '--model':
        options.model = value();
        break;
      case '--weights':
        options.weights = value();
        break;
      case '--arch':
        options.arch = value();
        break;
      case '--backend':
        options.backend = value();
        break;
      case '--mode':
        options.mode = value();
        break;
      case '--port':
        options.port = Number(value());
        break;
      case '--note':
        options.note = value();
        break;
      default:
        throw new Error(`unknown option ${argv[i]}; valid: --model DIR, --weights FILE, --arch NAME, --backend LIST, --mode MODE, --port N, --note TEXT`);
    }
  }
  return options;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const demo = await startDemo(parseArgs(process.argv.slice(2)));
  console.log(`tfjs-resnet browser demo: ${demo.url}  (Ctrl-C to stop)`);
  process.on('SIGINT', () => void demo.close().then(() => process.exit(0)));
}
