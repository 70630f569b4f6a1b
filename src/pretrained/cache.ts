/**
 * The verified cache of published weights: a folder in Node
 * (`<cacheDir>/<tag>/<file name>`), the Cache API in browsers; downloads
 * through the mirror rule, offline mode, in-process de-duplication.
 * @module
 */
import { ConfigError, FetchError } from '../errors.js';
import { describeError, withCause } from '../io/error-detail.js';
import { fetchBytes } from '../io/fetch-bytes.js';
import { fetchToFile } from '../io/fetch-to-file.js';
import { checkSha256, sha256Hex } from '../io/sha256.js';
import { createDeadline } from '../io/deadline.js';
import { hiddenImport } from '../runtime/hidden-import.js';
import { findPretrained, listPretrained } from './catalog.js';
import type { PretrainedWeights, WeightsFile } from './entry.js';
import { mirrorUrl, resolvePretrainedOptions, type DownloadProgress, type PretrainedOptions, type ResolvedPretrainedOptions } from './options.js';

/** The Cache API cache that holds weights in browsers. */
const BROWSER_CACHE = 'tfjs-resnet';

/**
 * Weights ready to load: a verified file in the Node cache, or verified bytes
 * (browsers).
 * @internal
 */
export interface FetchedWeights {
  /** The file of the catalog entry that was used. */
  readonly file: WeightsFile;
  /** Its path in the cache (Node) or its bytes (browsers). */
  readonly source: string | Uint8Array;
  /** Whether it had to be downloaded (false: it was in the cache). */
  readonly downloaded: boolean;
}

/** The name a file is cached under: the last part of its URL's path. */
function fileName(file: WeightsFile): string {
  const name = new URL(file.url).pathname.split('/').pop();
  return name === undefined || name === '' ? 'weights' : decodeURIComponent(name);
}

/** The expected digest as a (lowercase) sha256 or sha256 prefix, when one can be checked. */
function expectedSha256(file: WeightsFile): string | undefined {
  const d = file.digest;
  if (d === undefined) return undefined;
  if ('sha256' in d) return d.sha256.toLowerCase();
  if ('sha256Prefix' in d) return d.sha256Prefix.toLowerCase();
  return undefined;
}

interface NodeModules {
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
}
async function nodeModules(): Promise<NodeModules> {
  const [fs, path] = await Promise.all([
    hiddenImport<typeof import('node:fs/promises')>('node:fs/promises'),
    hiddenImport<typeof import('node:path')>('node:path'),
  ]);
  return { fs, path };
}

/** `<cacheDir>/<tag>/<file>`, absolute. */
function cachePath(m: NodeModules, cacheDir: string, tag: string, file: WeightsFile): string {
  return m.path.resolve(cacheDir, tag, fileName(file));
}

/** Whether `p` is a cached file of the right size (when the size is known). */
async function isCached(m: NodeModules, p: string, file: WeightsFile): Promise<boolean> {
  try {
    const stats = await m.fs.stat(p);
    return stats.isFile() && (file.bytes === undefined || stats.size === file.bytes);
  } catch {
    return false;
  }
}

/**
 * A download shared by the concurrent loads of one file in this process. It
 * runs under its own abort controller: each load waits for it under its own
 * signal, and only when every load waiting for it has aborted is it aborted.
 */
interface SharedFetch {
  readonly promise: Promise<FetchedWeights>;
  /** Aborts the download (when the last load waiting for it gives up). */
  readonly controller: AbortController;
  /** The loads waiting for it: their progress callbacks, and how each gives up (its callback threw). */
  readonly waiters: Set<{ onProgress?: (progress: DownloadProgress) => void; giveUp: (error: unknown) => void }>;
  /** The latest progress, for the messages of loads that give up. */
  progress?: DownloadProgress;
}

/** Downloads in flight in this process, so concurrent loads of one file share one download. */
const inFlight = new Map<string, SharedFetch>();

/** The files `createModel` can load, primary first. */
function loadableFiles(entry: PretrainedWeights, where: string): readonly WeightsFile[] {
  const files = entry.loadable ? entry.files.filter((f) => f.format !== 'h5') : [];
  if (files.length === 0) {
    throw new ConfigError(
      `${where}: the weights "${entry.tag}" are listed but not loadable yet: ${entry.files.map((f) => f.format).join(', ')} files ` +
        `(Keras HDF5) cannot be read; convert them with tensorflowjs_converter and load the manifest with loadKerasWeights, ` +
        `or choose loadable weights: listPretrained({ model: '${entry.model}', loadable: true })`,
    );
  }
  return files;
}

/**
 * Finds the weights of `entry` in the cache or downloads them (primary file
 * first, then the fallbacks), verified, into the cache. Concurrent calls for
 * one tag (same cache, mirror and offline mode) share one download, made with
 * the first call's headers and `timeoutMs`; each call keeps its own `signal`
 * and `onProgress`: one that aborts fails alone, and the download stops only
 * when every call waiting for it has aborted.
 * @internal
 */
export function fetchPretrained(entry: PretrainedWeights, o: ResolvedPretrainedOptions, where: string): Promise<FetchedWeights> {
  const files = loadableFiles(entry, where);
  // The caller's signal only: the timeout applies to each file's transfer, in the shared download.
  const deadline = createDeadline(Infinity, o.signal);
  if (deadline.signal.aborted) {
    deadline.dispose();
    return Promise.reject(deadline.error(`the weights "${entry.tag}"`, 0, undefined));
  }
  const key = [o.cacheDir ?? BROWSER_CACHE, entry.tag, o.mirror ?? '', o.offline].join('\u0000');
  let shared = inFlight.get(key);
  if (shared === undefined) {
    const controller = new AbortController();
    const waiters: SharedFetch['waiters'] = new Set();
    const onProgress = (p: DownloadProgress): void => {
      started.progress = p;
      for (const w of waiters) {
        try {
          w.onProgress?.(p);
        } catch (error) {
          w.giveUp(error); // that load fails with its callback's error; the others go on
        }
      }
    };
    const options: ResolvedPretrainedOptions = { ...o, signal: controller.signal, onProgress };
    const promise = (
      o.cacheDir !== undefined ? fetchNode(entry, files, { ...options, cacheDir: o.cacheDir }, where) : fetchBrowser(entry, files, options, where)
    ).finally(() => {
      if (inFlight.get(key) === started) inFlight.delete(key);
    });
    const started: SharedFetch = { promise, controller, waiters };
    inFlight.set(key, started);
    shared = started;
  }
  return waitFor(shared, key, o.onProgress, deadline);
}

/** Waits for a shared download until it settles or the caller's signal aborts. */
function waitFor(
  shared: SharedFetch,
  key: string,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
  deadline: ReturnType<typeof createDeadline>,
): Promise<FetchedWeights> {
  return new Promise((resolve, reject) => {
    const leave = (): void => {
      shared.waiters.delete(waiter);
      deadline.signal.removeEventListener('abort', onAbort);
      deadline.dispose();
    };
    const giveUp = (error: unknown): void => {
      if (!shared.waiters.has(waiter)) return;
      leave();
      if (shared.waiters.size > 0) {
        reject(error); // the others still wait for the download
        return;
      }
      // The last one waiting: stop the download, and answer once it has cleaned up (its temporary file).
      if (inFlight.get(key) === shared) inFlight.delete(key);
      shared.controller.abort(error);
      const fail = (): void => reject(error);
      shared.promise.then(fail, fail);
    };
    const onAbort = (): void => {
      const p = shared.progress;
      giveUp(deadline.error(p?.url ?? 'the weights', p?.loaded ?? 0, p?.total));
    };
    const waiter = { onProgress, giveUp };
    shared.waiters.add(waiter);
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    // (A load that gave up has its answer already.)
    shared.promise.then(
      (fetched) => {
        if (!shared.waiters.has(waiter)) return;
        leave();
        resolve(fetched);
      },
      (error: unknown) => {
        if (!shared.waiters.has(waiter)) return;
        leave();
        reject(error);
      },
    );
  });
}

async function fetchNode(
  entry: PretrainedWeights,
  files: readonly WeightsFile[],
  o: ResolvedPretrainedOptions & { cacheDir: string },
  where: string,
): Promise<FetchedWeights> {
  const { cacheDir } = o;
  const m = await nodeModules();
  for (const file of files) {
    const p = cachePath(m, cacheDir, entry.tag, file);
    if (await isCached(m, p, file)) return { file, source: p, downloaded: false };
  }
  if (o.offline)
    throw offlineError(
      entry,
      files.map((f) => cachePath(m, cacheDir, entry.tag, f)),
      m.path.resolve(cacheDir),
      where,
    );
  return tryEach(entry, files, o, async (file, url) => {
    const p = cachePath(m, cacheDir, entry.tag, file);
    await fetchToFile(url, p, {
      sha256: expectedSha256(file),
      bytes: file.bytes,
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      headers: o.headers,
      onProgress: (loaded, total) => o.onProgress?.({ tag: entry.tag, url, loaded, total: total ?? file.bytes }),
    });
    return { file, source: p, downloaded: true };
  });
}

async function fetchBrowser(entry: PretrainedWeights, files: readonly WeightsFile[], o: ResolvedPretrainedOptions, where: string): Promise<FetchedWeights> {
  const cache = await openBrowserCache();
  for (const file of files) {
    const hit = await cache?.match(file.url);
    if (hit !== undefined) return { file, source: new Uint8Array(await hit.arrayBuffer()), downloaded: false };
  }
  if (o.offline)
    throw offlineError(
      entry,
      files.map((f) => f.url),
      `the Cache API cache "${BROWSER_CACHE}"`,
      where,
    );
  return tryEach(entry, files, o, async (file, url) => {
    const bytes = await fetchBytes(url, {
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      headers: o.headers,
      onProgress: (loaded, total) => o.onProgress?.({ tag: entry.tag, url, loaded, total: total ?? file.bytes }),
    });
    if (file.bytes !== undefined && bytes.byteLength !== file.bytes) {
      throw new FetchError(`size check failed for ${url}: expected ${file.bytes} bytes, got ${bytes.byteLength}; the file is truncated or a different version`);
    }
    const sha = expectedSha256(file);
    if (sha !== undefined) checkSha256(await sha256Hex(bytes), sha, url, bytes.byteLength);
    // Caching is best effort in browsers (quota, private mode): the verified bytes are used either way.
    await cache
      ?.put(file.url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } }))
      .catch(() => undefined);
    return { file, source: bytes, downloaded: true };
  });
}

/**
 * Removes one fetched file from the cache (Node: the file; browsers: its
 * Cache API entry) when its contents turned out not to load — unless it was
 * verified against a published digest: then it is the publisher's file, the
 * failure lies elsewhere (e.g. the model options), and downloading it again
 * would not help. Returns whether it was removed.
 * @internal
 */
export async function discardUnverified(fetched: FetchedWeights): Promise<boolean> {
  if (expectedSha256(fetched.file) !== undefined) return false;
  if (typeof fetched.source === 'string') {
    const { fs } = await nodeModules();
    await fs.rm(fetched.source, { force: true });
  } else {
    await (await openBrowserCache())?.delete(fetched.file.url);
  }
  return true;
}

/** Tries each file in turn; an abort stops at once, other failures move on to the next file. */
async function tryEach(
  entry: PretrainedWeights,
  files: readonly WeightsFile[],
  o: ResolvedPretrainedOptions,
  fetchOne: (file: WeightsFile, url: string) => Promise<FetchedWeights>,
): Promise<FetchedWeights> {
  const failures: string[] = [];
  let last: unknown;
  for (const file of files) {
    try {
      return await fetchOne(file, mirrorUrl(file.url, o.mirror));
    } catch (e) {
      if (o.signal?.aborted === true || !(e instanceof FetchError)) throw e;
      failures.push(e.message);
      last = e;
    }
  }
  if (failures.length === 1) throw last;
  const error = new FetchError(`could not download the weights "${entry.tag}" from any of their ${files.length} sources: ${failures.join('; then ')}`);
  throw withCause(error, last);
}

function offlineError(entry: PretrainedWeights, expected: readonly string[], folder: string, where: string): FetchError {
  return new FetchError(
    `${where}: offline, and the weights "${entry.tag}" are not cached: expected ${expected.join(' or ')} in ${folder}; ` +
      `download them once online (tfjs-resnet download ${entry.tag}, or downloadPretrained("${entry.tag}")) or go online ` +
      `(unset TFJS_RESNET_OFFLINE, or pass offline: false)`,
  );
}

async function openBrowserCache(): Promise<Cache | undefined> {
  const caches = (globalThis as { caches?: CacheStorage }).caches;
  if (caches === undefined) return undefined;
  try {
    return await caches.open(BROWSER_CACHE);
  } catch {
    return undefined; // e.g. an opaque origin
  }
}

/**
 * Downloads the weights of `tag` (a tag, or a model name for its default)
 * into the cache, verified, unless they are there already — what
 * `createModel(tag, { pretrained: true })` does before loading. Returns the
 * cached file's path in Node, the file's catalog URL (its Cache API key) in
 * browsers.
 *
 * @throws {@link ConfigError} for an unknown tag or weights that are not loadable.
 * @throws {@link FetchError} when no source can be downloaded, a download is
 *   corrupt (size or digest), or, offline, the weights are not cached.
 *
 * @example
 * ```ts
 * const file = await downloadPretrained('resnet50.tv2_in1k', { onProgress: (p) => console.log(p.loaded, p.total) });
 * ```
 */
export async function downloadPretrained(tag: string, options: PretrainedOptions = {}): Promise<string> {
  const where = 'downloadPretrained';
  const entry = findPretrained(tag, where);
  const fetched = await fetchPretrained(entry, resolvePretrainedOptions(options, where), where);
  return typeof fetched.source === 'string' ? fetched.source : fetched.file.url;
}

/**
 * One cached file, as {@link cacheInfo} lists it.
 *
 * @example
 * ```ts
 * const { entries } = await cacheInfo();
 * for (const e of entries) console.log(e.tag, e.bytes, e.path);
 * ```
 */
export interface CacheEntry {
  /** The weights' tag. */
  tag: string;
  /** The cached file's path (Node) or Cache API key (browsers). */
  path: string;
  /** Its size in bytes. */
  bytes: number;
}

/**
 * What the cache holds.
 *
 * @example
 * ```ts
 * const info: CacheInfo = await cacheInfo();
 * console.log(`${info.entries.length} files, ${info.bytes} bytes in ${info.dir}`);
 * ```
 */
export interface CacheInfo {
  /** The cache folder (Node) or the Cache API cache's name (browsers). */
  dir: string;
  /** The cached files. */
  entries: CacheEntry[];
  /** Their total size in bytes. */
  bytes: number;
}

/**
 * Lists the cached weights.
 *
 * @example
 * ```ts
 * const { dir, entries, bytes } = await cacheInfo({ cacheDir: '/tmp/weights' });
 * ```
 */
export async function cacheInfo(options: Pick<PretrainedOptions, 'cacheDir'> = {}): Promise<CacheInfo> {
  const o = resolvePretrainedOptions(options, 'cacheInfo');
  const entries: CacheEntry[] = [];
  if (o.cacheDir === undefined) {
    const cache = await openBrowserCache();
    for (const request of (await cache?.keys()) ?? []) {
      const entry = tagOfUrl(request.url);
      const response = await cache?.match(request);
      if (entry !== undefined && response !== undefined) {
        entries.push({ tag: entry, path: request.url, bytes: (await response.arrayBuffer()).byteLength });
      }
    }
    return { dir: BROWSER_CACHE, entries, bytes: entries.reduce((s, e) => s + e.bytes, 0) };
  }
  const m = await nodeModules();
  const dir = m.path.resolve(o.cacheDir);
  for (const tag of await cachedTags(m, dir)) {
    for (const name of await m.fs.readdir(m.path.join(dir, tag))) {
      if (name.startsWith('.tmp-')) continue;
      const p = m.path.join(dir, tag, name);
      const stats = await m.fs.stat(p);
      if (stats.isFile()) entries.push({ tag, path: p, bytes: stats.size });
    }
  }
  return { dir, entries, bytes: entries.reduce((s, e) => s + e.bytes, 0) };
}

/** The tag whose catalog entry lists `url`. */
function tagOfUrl(url: string): string | undefined {
  for (const w of listPretrained()) if (w.files.some((f) => f.url === url)) return w.tag;
  return undefined;
}

/** Sub-folders of the cache folder named after catalog tags (nothing else is touched). */
async function cachedTags(m: NodeModules, dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await m.fs.readdir(dir);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw withCause(new FetchError(`cannot read the cache folder ${dir}: ${describeError(e)}`), e);
  }
  const tags = new Set(listPretrained().map((w) => w.tag));
  return names.filter((n) => tags.has(n)).sort();
}

/**
 * Removes cached weights: those of `tag` (a tag, or a model name for its
 * default), or every cached tag. Only the cache's tag folders (and their
 * unfinished downloads) are removed, never other files of the folder.
 * Returns the number of files removed.
 *
 * @throws {@link ConfigError} for an unknown tag.
 *
 * @example
 * ```ts
 * await clearCache('resnet50.tv2_in1k');
 * await clearCache(); // everything
 * ```
 */
export async function clearCache(tag?: string, options: Pick<PretrainedOptions, 'cacheDir'> = {}): Promise<number> {
  const where = 'clearCache';
  const only = tag === undefined ? undefined : findPretrained(tag, where);
  const o = resolvePretrainedOptions(options, where);
  if (o.cacheDir === undefined) {
    const cache = await openBrowserCache();
    if (cache === undefined) return 0;
    let removed = 0;
    for (const request of await cache.keys()) {
      if (only === undefined || only.files.some((f) => f.url === request.url)) removed += (await cache.delete(request)) ? 1 : 0;
    }
    return removed;
  }
  const m = await nodeModules();
  const dir = m.path.resolve(o.cacheDir);
  const tags = only === undefined ? await cachedTags(m, dir) : [only.tag];
  let removed = 0;
  for (const t of tags) {
    const folder = m.path.join(dir, t);
    let names: string[] = [];
    try {
      names = await m.fs.readdir(folder);
    } catch {
      continue;
    }
    removed += names.filter((n) => !n.startsWith('.tmp-')).length;
    await m.fs.rm(folder, { recursive: true, force: true });
  }
  return removed;
}
