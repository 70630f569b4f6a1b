import * as tf from '@tensorflow/tfjs';
import { WeightsError } from '../errors.js';
import { formatShape } from '../validate.js';
import type { LoadReport, WeightsProgress } from './load-options.js';
import type { WeightSource } from './weight-source.js';

/** A model weight to fill from the source entry of the same key. @internal */
export interface LoadTarget {
  readonly key: string;
  /** The shape the source entry should have (in the source's layout). */
  readonly expected: readonly number[];
  /** Whether a source entry of `shape` fits (at least `expected` itself). */
  accepts(shape: readonly number[]): boolean;
  /** The model-side weight, for error messages (e.g. `tfjs weight "fc/kernel" [512, 1000]`). */
  readonly describe: string;
  /** Writes a float32 tensor of an accepted shape into the model; called inside `tf.tidy`. */
  assign(t: tf.Tensor): void;
}

/** How to match and what to report. @internal */
export interface AssignOptions {
  readonly strict: boolean;
  /** Source keys skipped on purpose (e.g. `num_batches_tracked`). */
  readonly isIgnored: (key: string) => boolean;
  readonly onProgress?: (p: WeightsProgress) => void;
  /** A sentence added to a strict-mode key mismatch error. */
  readonly hint?: string;
  /** `performance.now()` when the load started. */
  readonly start: number;
}

const SHOWN_KEYS = 5;

/** `"a", "b", "c"` or `"a", "b", "c", "d", "e" and 7 more`. @internal */
export function listKeys(keys: readonly string[]): string {
  const shown = keys
    .slice(0, SHOWN_KEYS)
    .map((k) => JSON.stringify(k))
    .join(', ');
  return keys.length > SHOWN_KEYS ? `${shown} and ${keys.length - SHOWN_KEYS} more` : shown;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Matches the source's keys to the targets', enforces the strict and shape
 * rules before anything is written (so a failed load leaves the model as it
 * was), then writes the weights one by one and releases each source entry.
 * @internal
 */
export function assignWeights(fn: string, targets: readonly LoadTarget[], source: WeightSource, o: AssignOptions): LoadReport {
  const byKey = new Map<string, LoadTarget>();
  for (const t of targets) {
    if (byKey.has(t.key)) {
      throw new WeightsError(
        `${fn}: two weights of the model (${byKey.get(t.key)!.describe} and ${t.describe}) are both matched by the key "${t.key}"; weight names must be unique`,
      );
    }
    byKey.set(t.key, t);
  }
  const ignored: string[] = [];
  const unexpected: string[] = [];
  for (const key of source.shapes.keys()) {
    if (byKey.has(key)) continue;
    (o.isIgnored(key) ? ignored : unexpected).push(key);
  }
  const matched = targets.filter((t) => source.shapes.has(t.key));
  const missing = targets.filter((t) => !source.shapes.has(t.key)).map((t) => t.key);

  if (o.strict && (missing.length > 0 || unexpected.length > 0)) {
    const parts: string[] = [];
    if (missing.length > 0) {
      parts.push(
        `${plural(missing.length, 'key', 'keys')} of the model ${missing.length === 1 ? 'is' : 'are'} missing from the weights (${listKeys(missing)})`,
      );
    }
    if (unexpected.length > 0) {
      parts.push(`${plural(unexpected.length, 'key', 'keys')} of the weights ${unexpected.length === 1 ? 'is' : 'are'} unexpected (${listKeys(unexpected)})`);
    }
    throw new WeightsError(
      `${fn}: the weights do not match the model: ${parts.join(' and ')}; ` +
        `pass { strict: false } to load the matching keys and get the rest in the report${o.hint ? `. ${o.hint}` : ''}`,
    );
  }

  const mismatched = matched.filter((t) => !t.accepts(source.shapes.get(t.key)!));
  if (mismatched.length > 0) {
    const t = mismatched[0];
    const more = mismatched.length > 1 ? ` (${mismatched.length} shape mismatches in all: ${listKeys(mismatched.map((m) => m.key))})` : '';
    throw new WeightsError(
      `${fn}: shape mismatch for "${t.key}": the weights have ${formatShape(source.shapes.get(t.key)!)}, ` +
        `the model expects ${formatShape(t.expected)} (${t.describe})${more}`,
    );
  }

  // float32 bytes of each weight (layouts keep the element count).
  const bytes = (t: LoadTarget): number => 4 * tf.util.sizeFromShape([...t.expected]);
  const total = matched.reduce((sum, t) => sum + bytes(t), 0);
  let done = 0;
  for (const t of matched) {
    source.use(t.key, (tensor) => t.assign(tensor));
    done += bytes(t);
    o.onProgress?.({ phase: 'assign', loaded: done, total });
  }
  return {
    loaded: matched.map((t) => t.key),
    missing,
    unexpected,
    ignored,
    bytes: total,
    ms: performance.now() - o.start,
  };
}
