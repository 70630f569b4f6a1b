import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FetchError } from '../src/errors.js';
import { fetchBytes, sha256Hex } from '../src/io/index.js';
import { classifySource } from '../src/io/source.js';

/** Deterministic pseudo-random bytes (incompressible enough to exercise gzip sizes). */
function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const BODY = pattern(300_000);
const BODY_SHA = createHash('sha256').update(BODY).digest('hex');
const GZ = gzipSync(BODY);

let server: http.Server;
let base: string;
let dir: string;

/** Routes that misbehave on purpose. */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  switch (req.url) {
    case '/ok':
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY.byteLength });
      // Several writes so the client sees several chunks.
      for (let i = 0; i < BODY.byteLength; i += 65_536) res.write(BODY.subarray(i, i + 65_536));
      res.end();
      return;
    case '/chunked':
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no content-length
      for (let i = 0; i < BODY.byteLength; i += 50_000) res.write(BODY.subarray(i, i + 50_000));
      res.end();
      return;
    case '/gzip':
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': GZ.byteLength });
      res.end(GZ);
      return;
    case '/empty':
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    case '/auth':
      if (req.headers.authorization === 'Bearer t0ken') {
        res.writeHead(200, { 'content-length': 2 });
        res.end('ok');
      } else {
        res.writeHead(401, 'Unauthorized');
        res.end('no');
      }
      return;
    case '/404':
      res.writeHead(404, 'Not Found', { 'content-type': 'text/plain' });
      res.end('not here'.repeat(1000));
      return;
    case '/500':
      res.writeHead(500, 'Internal Server Error');
      res.end('boom');
      return;
    case '/truncated':
      res.writeHead(200, { 'content-length': 1000 });
      res.write(BODY.subarray(0, 100), () => res.socket?.destroy());
      return;
    case '/stall':
      res.writeHead(200, { 'content-length': 1000 });
      res.write(BODY.subarray(0, 100)); // ...and then nothing, ever
      return;
    case '/hang':
      return; // no headers at all
    default:
      res.writeHead(400);
      res.end();
  }
}

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-resnet-io-'));
  await writeFile(path.join(dir, 'w.bin'), BODY);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

/**
 * Runs `fn` and counts the timers of `delayMs` (the deadline's) it started and
 * those still pending afterwards: neither fired nor cleared. Only timers of
 * that delay are tracked, so other code's timers (undici's connection
 * bookkeeping, other tests) cannot make the count flaky.
 */
async function deadlineTimersOf(delayMs: number, fn: () => Promise<void>): Promise<{ started: number; pending: number }> {
  const pending = new Set<unknown>();
  let started = 0;
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: unknown = realSet(
      (...a: unknown[]) => {
        pending.delete(handle);
        handler(...a);
      },
      ms,
      ...args,
    );
    if (ms === delayMs) {
      started++;
      pending.add(handle);
    }
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(handle);
    realClear(handle);
  }) as typeof clearTimeout;
  try {
    await fn();
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
  return { started, pending: pending.size };
}

describe('fetchBytes over http', () => {
  it('returns the body of a 200 response in one tight buffer', async () => {
    const bytes = await fetchBytes(`${base}/ok`);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(BODY.byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(BODY))).toBe(true);
  });

  it('accepts a URL object and a body without Content-Length', async () => {
    const bytes = await fetchBytes(new URL(`${base}/chunked`));
    expect(Buffer.from(bytes).equals(Buffer.from(BODY))).toBe(true);
  });

  it('returns the decoded body of a gzip response (Content-Length is the compressed size)', async () => {
    const bytes = await fetchBytes(`${base}/gzip`, { sha256: BODY_SHA });
    expect(bytes.byteLength).toBe(BODY.byteLength);
  });

  it('returns an empty array for an empty body', async () => {
    expect((await fetchBytes(`${base}/empty`)).byteLength).toBe(0);
  });

  it('sends extra headers', async () => {
    expect(await fetchError(fetchBytes(`${base}/auth`))).toMatchObject({ status: 401 });
    const bytes = await fetchBytes(`${base}/auth`, { headers: { authorization: 'Bearer t0ken' } });
    expect(new TextDecoder().decode(bytes)).toBe('ok');
  });

  it('rejects a 404 with status, statusText and URL', async () => {
    const e = await fetchError(fetchBytes(`${base}/404`));
    expect(e.status).toBe(404);
    expect(e.message).toContain('404 Not Found');
    expect(e.message).toContain(`${base}/404`);
  });

  it('rejects a 500 with its status', async () => {
    const e = await fetchError(fetchBytes(`${base}/500`));
    expect(e.status).toBe(500);
    expect(e.message).toContain('500 Internal Server Error');
  });

  it('rejects a body cut off before its Content-Length', async () => {
    const e = await fetchError(fetchBytes(`${base}/truncated`));
    expect(e.status).toBeUndefined();
    expect(e.message).toMatch(/truncated/);
    expect(e.message).toContain('of 1000 bytes');
  });

  it('times out on a body that stalls, within the configured timeout', async () => {
    const e = await fetchError(fetchBytes(`${base}/stall`, { timeoutMs: 300 }));
    expect(e.message).toMatch(/timed out after 300 ms/);
    expect(e.message).toContain('100 of 1000 bytes');
  });

  it('times out on a server that never answers', async () => {
    const e = await fetchError(fetchBytes(`${base}/hang`, { timeoutMs: 200 }));
    expect(e.message).toMatch(/timed out after 200 ms/);
  });

  it('aborts a transfer in progress via AbortController', async () => {
    const controller = new AbortController();
    const e = await fetchError(fetchBytes(`${base}/stall`, { signal: controller.signal, onProgress: () => controller.abort() }));
    expect(e.message).toMatch(/^aborted/);
    expect(e.message).toContain('100 of 1000 bytes');
  });

  it('aborts while waiting for headers, and rejects an already aborted signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await fetchError(fetchBytes(`${base}/hang`, { signal: controller.signal }))).message).toMatch(/^aborted/);
    expect((await fetchError(fetchBytes(`${base}/ok`, { signal: AbortSignal.abort() }))).message).toMatch(/^aborted/);
    expect((await fetchError(fetchBytes(path.join(dir, 'w.bin'), { signal: AbortSignal.abort() }))).message).toMatch(/^aborted/);
  });

  it('rejects a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await fetchError(fetchBytes(`http://127.0.0.1:${port}/x`));
    expect(e.message).toContain(`could not fetch http://127.0.0.1:${port}/x`);
  });

  it('verifies sha256: a match passes (either case), a mismatch names both hashes', async () => {
    await expect(fetchBytes(`${base}/ok`, { sha256: BODY_SHA.toUpperCase() })).resolves.toHaveLength(BODY.byteLength);
    const wrong = '0'.repeat(64);
    const e = await fetchError(fetchBytes(`${base}/ok`, { sha256: wrong }));
    expect(e.message).toContain(`expected sha256 ${wrong}`);
    expect(e.message).toContain(`got ${BODY_SHA}`);
  });

  it('reports progress up to the Content-Length', async () => {
    const calls: Array<[number, number | undefined]> = [];
    await fetchBytes(`${base}/ok`, { onProgress: (loaded, total) => calls.push([loaded, total]) });
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every(([, total]) => total === BODY.byteLength)).toBe(true);
    expect(calls.map(([loaded]) => loaded)).toEqual([...calls.map(([loaded]) => loaded)].sort((a, b) => a - b));
    expect(calls.at(-1)).toEqual([BODY.byteLength, BODY.byteLength]);
  });

  it('reports progress with an unknown total when there is no Content-Length', async () => {
    const calls: Array<[number, number | undefined]> = [];
    await fetchBytes(`${base}/chunked`, { onProgress: (loaded, total) => calls.push([loaded, total]) });
    expect(calls.at(-1)).toEqual([BODY.byteLength, undefined]);
  });

  it('enforces maxBytes from the Content-Length and while streaming', async () => {
    expect((await fetchError(fetchBytes(`${base}/ok`, { maxBytes: 1000 }))).message).toContain('more than maxBytes (1000)');
    expect((await fetchError(fetchBytes(`${base}/chunked`, { maxBytes: 1000 }))).message).toContain('more than maxBytes (1000)');
    await expect(fetchBytes(`${base}/ok`, { maxBytes: BODY.byteLength })).resolves.toHaveLength(BODY.byteLength);
  });

  it('leaves no timer behind, on success and on failure', async () => {
    const timers = await deadlineTimersOf(30_000, async () => {
      await fetchBytes(`${base}/ok`, { timeoutMs: 30_000 });
      await fetchError(fetchBytes(`${base}/404`, { timeoutMs: 30_000 }));
      await fetchError(fetchBytes(`${base}/truncated`, { timeoutMs: 30_000 }));
    });
    expect(timers.started).toBeGreaterThanOrEqual(3); // a deadline was armed for each fetch...
    expect(timers.pending).toBe(0); // ...and none is left behind
  });
});

describe('fetchBytes from local files', () => {
  it('reads a path, a file:// URL string and a file: URL object', async () => {
    const file = path.join(dir, 'w.bin');
    for (const source of [file, pathToFileURL(file).href, pathToFileURL(file)]) {
      const bytes = await fetchBytes(source, { sha256: BODY_SHA });
      expect(bytes.byteLength).toBe(BODY.byteLength);
      expect(bytes.byteOffset).toBe(0);
    }
  });

  it('reports progress once with the file size and enforces maxBytes', async () => {
    const calls: Array<[number, number | undefined]> = [];
    await fetchBytes(path.join(dir, 'w.bin'), { onProgress: (l, t) => calls.push([l, t]) });
    expect(calls).toEqual([[BODY.byteLength, BODY.byteLength]]);
    expect((await fetchError(fetchBytes(path.join(dir, 'w.bin'), { maxBytes: 10 }))).message).toContain('maxBytes (10)');
  });

  it('rejects a missing file with its path', async () => {
    const missing = path.join(dir, 'missing.safetensors');
    const e = await fetchError(fetchBytes(missing));
    expect(e.message).toContain('file not found');
    expect(e.message).toContain(missing);
    expect((await fetchError(fetchBytes(pathToFileURL(missing)))).message).toContain(missing);
  });

  it('rejects a directory', async () => {
    expect((await fetchError(fetchBytes(dir))).message).toContain('is a directory');
  });
});

describe('fetchBytes options', () => {
  it('rejects malformed options with ConfigError', async () => {
    await expect(fetchBytes(`${base}/ok`, { sha256: 'abc' })).rejects.toThrow(ConfigError);
    await expect(fetchBytes(`${base}/ok`, { timeoutMs: 0 })).rejects.toThrow(ConfigError);
    await expect(fetchBytes(`${base}/ok`, { timeoutMs: Number.NaN })).rejects.toThrow(ConfigError);
    await expect(fetchBytes(`${base}/ok`, { maxBytes: -1 })).rejects.toThrow(ConfigError);
    await expect(fetchBytes('')).rejects.toThrow(ConfigError);
  });

  it('accepts Infinity as no timeout', async () => {
    await expect(fetchBytes(`${base}/ok`, { timeoutMs: Infinity })).resolves.toHaveLength(BODY.byteLength);
  });

  it('sha256Hex hashes with WebCrypto', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('source classification', () => {
  it('sends paths to the file system in Node and to fetch in browsers', () => {
    expect(classifySource('./w.bin', true)).toMatchObject({ kind: 'file', file: './w.bin' });
    expect(classifySource('C:\\models\\w.bin', true)).toMatchObject({ kind: 'file' });
    expect(classifySource('./w.bin', false)).toMatchObject({ kind: 'fetch', url: './w.bin' });
    expect(classifySource('file:///tmp/w.bin', true)).toMatchObject({ kind: 'file' });
    expect(classifySource('https://h/w.bin', true)).toMatchObject({ kind: 'fetch', url: 'https://h/w.bin' });
  });

  it('redacts credentials in the label used for messages', () => {
    expect(classifySource('https://user:secret@h/w.bin', true).label).toBe('https://***:***@h/w.bin');
  });
});
