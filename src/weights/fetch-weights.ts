import { fetchBytes } from '../io/fetch-bytes.js';
import type { LoadWeightsOptions } from './load-options.js';

/**
 * Reads a weights file for a loader: {@link fetchBytes} with the loader's
 * fetch options, reporting bytes read through `onBytes`.
 * @internal
 */
export function fetchWeightBytes(
  source: string | URL,
  options: LoadWeightsOptions,
  onBytes?: (loaded: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const { signal, timeoutMs, sha256, maxBytes, headers } = options;
  return fetchBytes(source, { signal, timeoutMs, sha256, maxBytes, headers, onProgress: onBytes });
}
