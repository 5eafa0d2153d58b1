import { stringify } from 'yaml';

const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/** Drops `undefined` and sorts object keys, with `apiVersion`, `kind`, `metadata` first, so output never depends
 *  on the order code happened to build an object in. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

function rank(key: string): number {
  const i = HEAD_KEYS.indexOf(key);
  return i === -1 ? HEAD_KEYS.length : i;
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, dropUndefined(v)]),
  );
}

/**
 * The only YAML serializer in plgkit. YAML 1.1 quotes strings such as `on`, `yes` and `0755` that older parsers
 * (kubectl's included) would read as booleans or octal; `lineWidth: 0` never folds long lines (PromQL, args).
 *
 * Kubernetes objects get sorted keys; config files keep the builder's order, which reads like upstream docs.
 */
export function toYaml(
  value: unknown,
  { sort = false }: { sort?: boolean } = {},
): string {
  const data = sort ? sortKeys(value) : dropUndefined(value);
  return stringify(data, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  });
}

/** Serializes a value as JSON with a trailing newline (dashboards, JSON Schemas). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(dropUndefined(value), null, 2)}\n`;
}
