import type { KubeObject } from '@plgkit/core';
import { parse, stringify } from 'yaml';
import { renderOverlay } from '../../support/render.js';

const cache = new Map<string, KubeObject[]>();

/** A fresh copy of an overlay's rendered objects (rendered once per test file), safe to break. */
export function rendered(overlay: string): KubeObject[] {
  if (!cache.has(overlay)) cache.set(overlay, renderOverlay(overlay));
  return structuredClone(cache.get(overlay)!);
}

/** The rendered object of that kind whose name is `name` or, for generated ConfigMaps, starts with `name-`. */
export function find<T = any>(
  objects: KubeObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find(
    (o) =>
      o.kind === kind &&
      (o.metadata.name === name || o.metadata.name.startsWith(`${name}-`)),
  );
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as T;
}

/** Edits one YAML file inside a rendered ConfigMap in place. */
export function editConfig(
  objects: KubeObject[],
  configMap: string,
  file: string,
  edit: (config: any) => void,
): void {
  const cm = find<{ data: Record<string, string> }>(
    objects,
    'ConfigMap',
    configMap,
  );
  const config = parse(cm.data[file]!);
  edit(config);
  cm.data[file] = stringify(config);
}
