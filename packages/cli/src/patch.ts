// Strategic-merge patches computed from two versions of one object: what an overlay must change in a shipped base
// to get what the generator makes for other options.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Merge keys of the Kubernetes list fields plgkit's objects have (from the API's `x-kubernetes-patch-merge-key`).
 * Lists without one (args, subjects, volumeClaimTemplates, tolerations) are replaced whole by a patch.
 */
function mergeKey(field: string, items: Json[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'volumes':
    case 'env':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      // A container's ports merge by containerPort, a Service's by port.
      return items.every((i) => isObject(i) && 'containerPort' in i)
        ? 'containerPort'
        : 'port';
    default:
      return undefined;
  }
}

const isObject = (v: unknown): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const equal = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The strategic-merge patch that turns `from` into `to`, or undefined when they are equal. Keys only `from` has
 * are deleted with `null`; list items matched by their merge key are patched item by item.
 */
export function strategicDiff(
  from: Json | undefined,
  to: Json,
  field = '',
): Json | undefined {
  if (equal(from, to)) return undefined;
  if (isObject(from) && isObject(to)) {
    const patch: { [key: string]: Json } = {};
    for (const key of Object.keys(to)) {
      const d = strategicDiff(from[key], to[key]!, key);
      if (d !== undefined) patch[key] = d;
    }
    for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
    return Object.keys(patch).length > 0 ? patch : undefined;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const key = mergeKey(field, [...from, ...to]);
    if (key && [...from, ...to].every((i) => isObject(i) && key in i)) {
      const byKey = (items: Json[]) =>
        new Map(
          items.map((i) => [
            JSON.stringify((i as { [k: string]: Json })[key]),
            i,
          ]),
        );
      const before = byKey(from);
      const after = byKey(to);
      const items: Json[] = [];
      for (const [k, item] of after) {
        const d = strategicDiff(before.get(k), item, '');
        if (d !== undefined)
          items.push(
            before.has(k)
              ? {
                  [key]: (item as { [k: string]: Json })[key]!,
                  ...(d as object),
                }
              : item,
          );
      }
      for (const [k, item] of before)
        if (!after.has(k))
          items.push({
            [key]: (item as { [k: string]: Json })[key]!,
            $patch: 'delete',
          });
      return items.length > 0 ? items : undefined;
    }
  }
  return to;
}

export type { Json };
