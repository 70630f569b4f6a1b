import { ConfigError } from '../errors.js';
import { checkInteger, checkOneOf, describe } from '../validate.js';
import { deepStemWidths, STEM_TYPES, type StemType } from './stem.js';

/** The per-stage and stem fields every network configuration shares. @internal */
export interface StagePlanConfig {
  layers: unknown;
  widths?: unknown;
  strides?: unknown;
  stemWidth?: unknown;
  stemType?: unknown;
}

/** A validated plan of stages and stem. @internal */
export interface StagePlan {
  readonly layers: number[];
  readonly widths: number[];
  readonly strides: number[];
  readonly stemWidth: number;
  readonly stemType: StemType;
}

/**
 * Validates the block counts, widths and strides per stage (one entry per
 * stage, each a positive integer; widths default to `64 · 2^i`, strides to
 * `defaultStride(i, n)`) and the stem's width and type; throws a
 * {@link ConfigError} naming the argument.
 * @internal
 */
export function resolveStagePlan(
  config: StagePlanConfig,
  where: string,
  defaultStride: (i: number, n: number) => number,
): StagePlan {
  if (!Array.isArray(config.layers) || config.layers.length === 0) {
    throw new ConfigError(`${where}: layers must be a non-empty array of block counts per stage, got ${describe(config.layers)}`);
  }
  const n = config.layers.length;
  const perStage = (what: string, value: unknown, fallback: (i: number) => number): number[] => {
    const arr = value ?? Array.from({ length: n }, (_, i) => fallback(i));
    if (!Array.isArray(arr) || arr.length !== n) {
      throw new ConfigError(`${where}: ${what} must have one entry per stage (${n}), got ${describe(arr)}`);
    }
    return arr.map((v, i) => checkInteger(v, where, `${what}[${i}]`));
  };
  const layers = perStage('layers', config.layers, () => 1);
  const widths = perStage('widths', config.widths, (i) => 64 * 2 ** i);
  const strides = perStage('strides', config.strides, (i) => defaultStride(i, n));
  const stemWidth = checkInteger(config.stemWidth ?? 64, where, 'stemWidth');
  const stemType = checkOneOf(config.stemType ?? 'default', STEM_TYPES, where, 'stemType');
  if (stemType !== 'default' && (stemWidth % 2 !== 0 || deepStemWidths(stemType, stemWidth)[0] < 1)) {
    throw new ConfigError(`${where}: a ${stemType} stem needs an even stemWidth of at least ${stemType === 'deep' ? 2 : 8}, got ${stemWidth}`);
  }
  return { layers, widths, strides, stemWidth, stemType };
}

/**
 * timm's stochastic depth, linear over all blocks of the network: block k of
 * K (counting from 0 across stages) drops its branch with `rate·k/(K−1)` (0
 * when there is a single block). One array of rates per stage.
 * @internal
 */
export function linearDropPathRates(layers: readonly number[], rate: number): number[][] {
  const total = layers.reduce((a, b) => a + b, 0);
  let k = 0;
  return layers.map((blocks) => Array.from({ length: blocks }, () => (total > 1 ? (rate * k++) / (total - 1) : 0)));
}
