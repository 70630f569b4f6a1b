/**
 * The catalog of published weights: lookup by tag, by model name (its
 * default), by torchvision enum name, and filtered listings.
 * @module
 */
import { ConfigError } from '../errors.js';
import { didYouMean } from '../models/nearest-names.js';
import { checkOneOf, describe } from '../validate.js';
import { PRETRAINED_TABLE, type PretrainedTag } from './catalog-data.js';
import { PRETRAINED_ORIGINS, type PretrainedOrigin, type PretrainedWeights } from './entry.js';

/**
 * A filter of {@link listPretrained}: a string or regular expression matched
 * against the tag, or an object of criteria (all must hold).
 *
 * @example
 * ```ts
 * listPretrained('resnet50.');                             // every ResNet-50 weights
 * listPretrained({ origin: 'torchvision', loadable: true });
 * listPretrained({ model: 'resnet18', match: /a\d_in1k$/ });
 * ```
 */
export type PretrainedFilter =
  | string
  | RegExp
  | {
      /** Only tags containing this string, or matching this expression. */
      match?: string | RegExp;
      /** Only weights of this registered model. */
      model?: string;
      /** Only weights of this publisher (or these publishers). */
      origin?: PretrainedOrigin | readonly PretrainedOrigin[];
      /** Only weights `createModel` can load (`true`) or only those it cannot yet (`false`). */
      loadable?: boolean;
    };

let byTag: Map<string, PretrainedWeights> | undefined;
function table(): Map<string, PretrainedWeights> {
  if (byTag === undefined) {
    byTag = new Map();
    for (const entry of PRETRAINED_TABLE) byTag.set(entry.tag, deepFreeze(entry));
  }
  return byTag;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const matches = (tag: string, match: string | RegExp): boolean =>
  typeof match === 'string' ? tag.includes(match) : new RegExp(match.source, match.flags.replace('g', '')).test(tag);

/**
 * The catalog's entries, in registry order with each model's default first,
 * optionally filtered.
 *
 * @throws {@link ConfigError} for a malformed filter.
 *
 * @example
 * ```ts
 * for (const w of listPretrained('resnet50')) console.log(w.tag, w.top1 ?? '', w.license);
 * listPretrained({ origin: 'akamaster' }).map((w) => w.tag); // ['resnet20.akamaster_cifar10', …]
 * ```
 */
export function listPretrained(filter?: PretrainedFilter): PretrainedWeights[] {
  const all = [...table().values()];
  if (filter === undefined) return all;
  if (typeof filter === 'string' || filter instanceof RegExp) return all.filter((w) => matches(w.tag, filter));
  if (typeof filter !== 'object' || filter === null) {
    throw new ConfigError(`listPretrained: the filter must be a string, a RegExp or an object such as { origin: 'timm' }, got ${describe(filter)}`);
  }
  const { match, model, origin, loadable } = filter;
  if (match !== undefined && typeof match !== 'string' && !(match instanceof RegExp)) {
    throw new ConfigError(`listPretrained: match must be a string or a RegExp, got ${describe(match)}`);
  }
  const origins = origin === undefined ? undefined : ([] as PretrainedOrigin[]).concat(origin as PretrainedOrigin);
  origins?.forEach((o) => checkOneOf(o, PRETRAINED_ORIGINS, 'listPretrained', 'origin'));
  return all.filter(
    (w) =>
      (match === undefined || matches(w.tag, match)) &&
      (model === undefined || w.model === model) &&
      (origins === undefined || origins.includes(w.origin)) &&
      (loadable === undefined || w.loadable === loadable),
  );
}

/**
 * The catalog entry of `tag` (`resnet50.tv2_in1k`); a registered model name
 * (`resnet50`) gives its default weights (torchvision's `DEFAULT` where it
 * exists, else timm's first tag).
 *
 * @throws {@link ConfigError} for an unknown tag, with the nearest tags as a
 *   did-you-mean hint, or a model without published weights.
 *
 * @example
 * ```ts
 * getPretrained('resnet50').tag;                 // 'resnet50.tv2_in1k'
 * getPretrained('resnet32.akamaster_cifar10').labels; // 'cifar-10'
 * ```
 */
export function getPretrained(tag: PretrainedTag | (string & Record<never, never>)): PretrainedWeights {
  return findPretrained(tag, 'getPretrained');
}

/** {@link getPretrained} with the caller's name in messages. @internal */
export function findPretrained(tag: unknown, where: string): PretrainedWeights {
  const entries = table();
  if (typeof tag === 'string') {
    const entry = entries.get(tag) ?? (tag.includes('.') ? undefined : defaultOf(tag));
    if (entry !== undefined) return entry;
  }
  const tags = [...entries.keys()];
  const models = [...new Set(PRETRAINED_TABLE.map((w) => w.model))];
  if (typeof tag === 'string' && models.includes(tag)) {
    // A model whose only published weights cannot be loaded (Keras HDF5): no default to give.
    const listed = [...entries.values()].filter((w) => w.model === tag).map((w) => `"${w.tag}" (${w.files.map((f) => f.format).join(', ')})`);
    throw new ConfigError(
      `${where}: ${tag} has no loadable published weights, so no default: listed are ${listed.join(', ')}, not loadable yet; ` +
        `createModel(tag, { pretrained: true }) with one of them says how to load them otherwise`,
    );
  }
  const hint = typeof tag === 'string' ? didYouMean(tag, tag.includes('.') ? tags : [...models, ...tags], 3) : '';
  throw new ConfigError(
    `${where}: no published weights named ${describe(tag)}; ${hint}listPretrained() lists the ${tags.length} tags ` +
      `(<model>.<weights>, e.g. resnet50.tv2_in1k) of ${models.length} models`,
  );
}

/** The default weights of a registered model, if it has published weights. */
function defaultOf(model: string): PretrainedWeights | undefined {
  for (const entry of table().values()) if (entry.model === model && entry.isDefault) return entry;
  return undefined;
}

/** torchvision's weights enum names: `DEFAULT`, `IMAGENET1K_V1`, … @internal */
export const TORCHVISION_ENUM = /^(DEFAULT|IMAGENET1K_V\d+)$/;

/**
 * The tag of a model's weights named as torchvision names them
 * (`IMAGENET1K_V1`, `IMAGENET1K_V2`, `DEFAULT`), or `undefined` when `name`
 * is not such a name.
 *
 * @throws {@link ConfigError} when it is an enum name the model has no weights for.
 * @example
 * ```ts
 * torchvisionWeightsTag('resnet50', 'IMAGENET1K_V2', 'resnet50'); // 'resnet50.tv2_in1k'
 * ```
 * @internal
 */
export function torchvisionWeightsTag(model: string, name: unknown, where: string): string | undefined {
  if (typeof name !== 'string' || !TORCHVISION_ENUM.test(name)) return undefined;
  const mine = listPretrained({ model, origin: 'torchvision' });
  const found = name === 'DEFAULT' ? mine.find((w) => w.isDefault) : mine.find((w) => w.torchvisionEnum === name);
  if (found !== undefined) return found.tag;
  const valid = mine.map((w) => w.torchvisionEnum!);
  throw new ConfigError(
    `${where}: ${model} has no torchvision weights ${JSON.stringify(name)}; ` +
      (valid.length > 0
        ? `valid are ${[...valid, 'DEFAULT'].map((v) => JSON.stringify(v)).join(', ')}`
        : 'torchvision publishes none for it; see listPretrained()'),
  );
}
