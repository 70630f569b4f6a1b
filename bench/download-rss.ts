// Peak memory of a download of published weights: a 100 MB file served from
// 127.0.0.1 (the mirror rule), downloaded into the cache by
// downloadPretrained — streamed to a temporary file, hashed as it arrives,
// verified, renamed — against the same bytes fetched into memory by
// fetchBytes. Each runs in a fresh child process and reports how much its
// peak RSS (process.resourceUsage().maxRSS) rose during the download, as a
// ratio of the file size; one run, figures from that run.
//
//   npx tsx bench/download-rss.ts            # 100 MB
//   npx tsx bench/download-rss.ts --mb 300
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const ME = fileURLToPath(import.meta.url);
const TSX = path.join(path.dirname(ME), '../node_modules/tsx/dist/cli.mjs');

interface ChildResult {
  mode: string;
  bytes: number;
  rssRiseBytes: number;
}

/** One measurement: how the bytes are fetched, from where, and what they are. */
interface ChildArgs {
  mode: 'stream' | 'buffer';
  base: string;
  sha: string;
  size: number;
  cacheDir: string;
}

async function child({ mode, base, sha, size, cacheDir }: ChildArgs): Promise<void> {
  const { downloadPretrained } = await import('../src/pretrained/cache.js');
  const { fetchBytes } = await import('../src/io/fetch-bytes.js');
  const { mirrorUrl } = await import('../src/pretrained/options.js');
  const catalog = await import('../src/pretrained/catalog-data.js');
  // A catalog-shaped entry for the bench file: a mutable copy of one entry, pointed at the bench file.
  const entry = catalog.PRETRAINED_TABLE.find((w) => w.tag === 'resnet50.tv2_in1k')!;
  const file = { url: 'https://bench.invalid/models/bench-100mb.pth', format: 'pth' as const, digest: { sha256: sha }, bytes: size };
  (entry as { files: unknown }).files = [file];
  // Warm up fetch (undici) and the modules with a small request.
  await fetchBytes(`${base}/small`);
  const before = process.resourceUsage().maxRSS * 1024;
  if (mode === 'stream') await downloadPretrained(entry.tag, { mirror: base, cacheDir, timeoutMs: Infinity });
  else {
    const bytes = await fetchBytes(mirrorUrl(file.url, base), { timeoutMs: Infinity, sha256: sha });
    if (bytes.byteLength !== size) throw new Error('short read');
  }
  const after = process.resourceUsage().maxRSS * 1024;
  const result: ChildResult = { mode, bytes: size, rssRiseBytes: after - before };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const mb = Number(args[args.indexOf('--mb') + 1] ?? 100) || 100;
  const size = mb * 1024 * 1024;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfjs-resnet-download-bench-'));
  const data = path.join(dir, 'bench.bin');
  const hash = createHash('sha256');
  const chunk = randomBytes(1 << 20);
  const out: Buffer[] = [];
  for (let i = 0; i < mb; i++) {
    out.push(chunk);
    hash.update(chunk);
  }
  writeFileSync(data, Buffer.concat(out));
  out.length = 0;
  const sha = hash.digest('hex');
  const server = http.createServer((req, res) => {
    if (req.url === '/mirror/small') {
      res.writeHead(200, { 'content-length': 4 }).end('warm');
      return;
    }
    res.writeHead(200, { 'content-length': statSync(data).size, 'content-type': 'application/octet-stream' });
    createReadStream(data).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`;
  try {
    const results: ChildResult[] = [];
    for (const mode of ['stream', 'buffer'] as const) {
      const cacheDir = path.join(dir, `cache-${mode}`);
      const run = await spawnChild({ mode, base, sha, size, cacheDir });
      results.push(JSON.parse(run.trim().split('\n').pop()!) as ChildResult);
    }
    console.log(`download of ${mb} MB from 127.0.0.1, peak RSS rise in a fresh process (one run):`);
    for (const r of results) {
      const what = r.mode === 'stream' ? 'downloadPretrained (streamed to the cache)' : 'fetchBytes (into memory)     ';
      console.log(`  ${what}: +${(r.rssRiseBytes / 2 ** 20).toFixed(1)} MB = ${(r.rssRiseBytes / r.bytes).toFixed(3)}× the file`);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnChild({ mode, base, sha, size, cacheDir }: ChildArgs): Promise<string> {
  // Asynchronous: the server runs in this process.
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [TSX, ME, '--child', mode, base, sha, String(size), cacheDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`child ${mode} exited ${code}`))));
  });
}

if (args[0] === '--child') {
  const [, mode, base, sha, size, cacheDir] = args;
  await child({ mode: mode as ChildArgs['mode'], base, sha, size: Number(size), cacheDir });
} else {
  await main();
}
