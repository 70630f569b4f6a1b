// A minimal static file server on node:http for the browser test and the
// browser example: 127.0.0.1, a free port, URL prefixes mapped to directories.
// It sends the cross-origin-isolation headers so the wasm backend may use
// SharedArrayBuffer (threads) where the browser allows it.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
};

/** A running static server. */
export interface StaticServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** Requests served so far (path and status), for diagnostics. */
  readonly log: ReadonlyArray<{ path: string; status: number }>;
  close(): Promise<void>;
}

/**
 * Serves `routes` (URL prefix such as `/` or `/wasm/` → directory). The
 * longest matching prefix wins; `..` never leaves a route's directory;
 * `/` serves `index.html` of a directory. Port 0 (the default) picks a free one.
 */
export async function serveStatic(routes: Record<string, string>, port = 0): Promise<StaticServer> {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const log: Array<{ path: string; status: number }> = [];
  const server: Server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const send = (status: number, body: string): void => {
      log.push({ path: urlPath, status });
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const prefix = prefixes.find((p) => urlPath.startsWith(p));
    if (prefix === undefined) return send(404, 'not found');
    const root = path.resolve(routes[prefix]);
    let file = path.resolve(root, '.' + path.posix.sep + urlPath.slice(prefix.length));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
    let size: number;
    try {
      let st = statSync(file);
      if (st.isDirectory()) {
        file = path.join(file, 'index.html');
        st = statSync(file);
      }
      size = st.size;
    } catch {
      return send(404, 'not found');
    }
    log.push({ path: urlPath, status: 200 });
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
