/**
 * Options of downloading and caching published weights, and the environment
 * variables that set their defaults.
 * @module
 */
import { ConfigError } from '../errors.js';
import { isNode } from '../runtime/is-node.js';
import { describe } from '../validate.js';

/**
 * Progress of a download of published weights.
 *
 * @example
 * ```ts
 * const onProgress = (p: DownloadProgress) => console.log(`${p.tag}: ${p.loaded} / ${p.total ?? '?'} bytes`);
 * ```
 */
export interface DownloadProgress {
  /** The weights' tag. */
  tag: string;
  /** The URL being fetched (after the mirror rule). */
  url: string;
  /** Bytes received so far. */
  loaded: number;
  /** The size, when known. */
  total: number | undefined;
}

/**
 * Where published weights are cached and how they are fetched. Every field
 * is optional; the environment supplies the defaults (`TFJS_RESNET_CACHE`,
 * `TFJS_RESNET_OFFLINE`, `TFJS_RESNET_MIRROR`).
 *
 * @example
 * ```ts
 * const options: PretrainedOptions = { mirror: 'https://models.example.com', timeoutMs: 600_000 };
 * const model = await createModel('resnet18', { pretrained: true, ...options });
 * ```
 */
export interface PretrainedOptions {
  /**
   * The cache folder (Node).
   * @defaultValue `$TFJS_RESNET_CACHE`, else `$XDG_CACHE_HOME/tfjs-resnet`, else `~/.cache/tfjs-resnet`
   */
  cacheDir?: string;
  /**
   * Use the cache only: never fetch; weights that are not cached fail with a
   * `FetchError` naming the tag, the file and the cache folder.
   * @defaultValue `true` when `TFJS_RESNET_OFFLINE` is `1`/`true`/`yes`, else `false`
   */
  offline?: boolean;
  /**
   * A base URL that replaces each catalog URL's scheme: `https://host/path` is
   * fetched as `<mirror>/host/path`, so one static folder can mirror every source.
   * @defaultValue `$TFJS_RESNET_MIRROR`, else none
   */
  mirror?: string;
  /**
   * Extra request headers, e.g. `{ Authorization: 'Bearer …' }`. They go
   * with every request to every source tried: without a mirror, an entry's
   * fallback files are on other hosts (download.pytorch.org, huggingface.co,
   * github.com), so a token meant for one host reaches the next when a
   * download fails. Use them with a mirror, or with weights of one host.
   */
  headers?: HeadersInit;
  /**
   * Milliseconds allowed for each file's whole transfer; `Infinity` for none.
   * @defaultValue 600000 ({@link DEFAULT_DOWNLOAD_TIMEOUT_MS})
   */
  timeoutMs?: number;
  /** Aborts the download. */
  signal?: AbortSignal;
  /** Called as bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * The default of {@link PretrainedOptions.timeoutMs}: ten minutes per file.
 *
 * @example
 * ```ts
 * await downloadPretrained('resnet152', { timeoutMs: 3 * DEFAULT_DOWNLOAD_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 600_000;

/** {@link PretrainedOptions} with the environment's defaults applied. @internal */
export interface ResolvedPretrainedOptions {
  cacheDir: string | undefined;
  offline: boolean;
  mirror: string | undefined;
  headers?: HeadersInit;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

/** An absolute path: POSIX `/…`, Windows `C:\…` or `\\server\…`. */
const ABSOLUTE_PATH = /^(\/|[a-z]:[\\/]|\\\\)/i;

function env(name: string): string | undefined {
  if (!isNode()) return undefined;
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The cache folder of Node: `TFJS_RESNET_CACHE`, else
 * `$XDG_CACHE_HOME/tfjs-resnet` (when it is an absolute path, as the XDG
 * spec requires), else `~/.cache/tfjs-resnet`; `undefined` in browsers
 * (which use the Cache API).
 * @internal
 */
export function defaultCacheDir(): string | undefined {
  if (!isNode()) return undefined;
  const explicit = env('TFJS_RESNET_CACHE');
  if (explicit !== undefined) return explicit;
  // The XDG Base Directory spec: a relative path in XDG_CACHE_HOME is invalid and ignored.
  const xdgEnv = env('XDG_CACHE_HOME');
  const xdg = xdgEnv !== undefined && ABSOLUTE_PATH.test(xdgEnv) ? xdgEnv : undefined;
  const home = env('HOME') ?? env('USERPROFILE') ?? '.';
  return `${xdg ?? `${home}/.cache`}/tfjs-resnet`;
}

/** Checks the options and fills in the environment's defaults. @internal */
export function resolvePretrainedOptions(options: PretrainedOptions, where: string): ResolvedPretrainedOptions {
  const { cacheDir, offline, mirror, headers, timeoutMs, signal, onProgress } = options;
  if (cacheDir !== undefined && (typeof cacheDir !== 'string' || cacheDir === '')) {
    throw new ConfigError(`${where}: cacheDir must be a folder path, got ${describe(cacheDir)}`);
  }
  if (offline !== undefined && typeof offline !== 'boolean') {
    throw new ConfigError(`${where}: offline must be true or false, got ${describe(offline)}`);
  }
  const mirrorUrl = mirror ?? env('TFJS_RESNET_MIRROR');
  if (mirrorUrl !== undefined && (typeof mirrorUrl !== 'string' || !/^[a-z][a-z\d+.-]*:\/\/./i.test(mirrorUrl))) {
    throw new ConfigError(`${where}: mirror must be a base URL such as "https://models.example.com/mirror", got ${describe(mirrorUrl)}`);
  }
  const timeout = timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !(timeout > 0)) {
    throw new ConfigError(`${where}: timeoutMs must be a positive number of milliseconds, or Infinity for none, got ${describe(timeout)}`);
  }
  const offlineEnv = env('TFJS_RESNET_OFFLINE');
  return {
    cacheDir: cacheDir ?? defaultCacheDir(),
    offline: offline ?? (offlineEnv !== undefined && /^(1|true|yes|on)$/i.test(offlineEnv)),
    mirror: mirrorUrl,
    headers,
    timeoutMs: timeout,
    signal,
    onProgress,
  };
}

/**
 * The mirror rule: `https://host/path` becomes `<mirror>/host/path` (the
 * scheme dropped, host and path kept), one rule for every source.
 *
 * @example
 * ```ts
 * mirrorUrl('https://download.pytorch.org/models/resnet18-f37072fd.pth', 'http://127.0.0.1:8080/m');
 * // 'http://127.0.0.1:8080/m/download.pytorch.org/models/resnet18-f37072fd.pth'
 * ```
 */
export function mirrorUrl(url: string, mirror: string | undefined): string {
  if (mirror === undefined) return url;
  return `${mirror.replace(/\/+$/, '')}/${url.replace(/^[a-z][a-z\d+.-]*:\/\//i, '')}`;
}
