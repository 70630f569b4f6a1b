// A local HTTP server on 127.0.0.1 that plays a mirror of the weights
// catalog: `/<host>/<path>` serves the bytes registered for
// `https://<host>/<path>` (the mirror rule), counts requests per path, and
// can misbehave on purpose (truncate, drop the connection, corrupt bytes).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a path misbehaves. */
export type Misbehaviour = 'truncate' | 'close' | 'corrupt' | 'stall' | 'status404' | 'hold';

export interface MirrorServer {
  /** The mirror base URL, e.g. `http://127.0.0.1:41234/mirror`. */
  readonly base: string;
  /** Serves `bytes` as the catalog URL `url` (https://host/path). */
  serve(url: string, bytes: Uint8Array): void;
  /** Makes the next `times` requests of `url` misbehave. */
  misbehave(url: string, how: Misbehaviour, times?: number): void;
  /** Requests of `url` so far. */
  requests(url: string): number;
  /** Sends the rest of every held response of `url` (see the `'hold'` misbehaviour). */
  release(url: string): void;
  /** Request headers of the last request of `url`. */
  lastHeaders(url: string): http.IncomingHttpHeaders | undefined;
  close(): Promise<void>;
}

const PREFIX = '/mirror';

export async function startMirrorServer(): Promise<MirrorServer> {
  const files = new Map<string, Uint8Array>();
  const counts = new Map<string, number>();
  const headers = new Map<string, http.IncomingHttpHeaders>();
  const faults = new Map<string, { how: Misbehaviour; times: number }>();
  const held = new Map<string, (() => void)[]>();
  const pathOf = (url: string): string => `${PREFIX}/${url.replace(/^https?:\/\//, '')}`;

  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(req.url ?? '');
    counts.set(p, (counts.get(p) ?? 0) + 1);
    headers.set(p, req.headers);
    const body = files.get(p);
    if (body === undefined) {
      res.writeHead(404, 'Not Found');
      res.end();
      return;
    }
    const fault = faults.get(p);
    if (fault !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) faults.delete(p);
    }
    const half = Math.floor(body.byteLength / 2);
    switch (fault?.how) {
      case 'status404':
        res.writeHead(404, 'Not Found');
        res.end();
        return;
      case 'truncate':
        // Announces the whole size, sends half, ends the connection.
        res.writeHead(200, { 'content-length': body.byteLength, 'content-type': 'application/octet-stream' });
        res.write(body.subarray(0, half), () => res.socket?.destroy());
        return;
      case 'close':
        // No Content-Length: the client learns of the failure only from the broken connection.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
        res.write(body.subarray(0, half), () => res.socket?.destroy());
        return;
      case 'stall':
        res.writeHead(200, { 'content-length': body.byteLength });
        res.write(body.subarray(0, half));
        return; // never ends
      case 'hold':
        // Sends half, then the rest when the test calls release(url).
        res.writeHead(200, { 'content-length': body.byteLength, 'content-type': 'application/octet-stream' });
        res.write(body.subarray(0, half));
        held.set(p, [...(held.get(p) ?? []), () => res.end(body.subarray(half))]);
        return;
      case 'corrupt': {
        const bad = body.slice();
        bad[half] ^= 0xff;
        res.writeHead(200, { 'content-length': bad.byteLength });
        res.end(bad);
        return;
      }
      default:
        res.writeHead(200, { 'content-length': body.byteLength, 'content-type': 'application/octet-stream' });
        for (let i = 0; i < body.byteLength; i += 1 << 16) res.write(body.subarray(i, i + (1 << 16)));
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}${PREFIX}`,
    serve: (url, bytes) => void files.set(pathOf(url), bytes),
    misbehave: (url, how, times = 1) => void faults.set(pathOf(url), { how, times }),
    release: (url) => {
      for (const finish of held.get(pathOf(url)) ?? []) finish();
      held.delete(pathOf(url));
    },
    requests: (url) => counts.get(pathOf(url)) ?? 0,
    lastHeaders: (url) => headers.get(pathOf(url)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
