// The host directories the shipped manifests let the kubelet create (hostPath DirectoryOrCreate: the collectors'
// positions and storage, docker's containers directory on a containerd node). Read from the committed bases,
// Components and overlays rather than from what a test applied, so `down` also removes the ones an overlay applied
// by hand with `kubectl apply -k` made.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO } from './stack.js';

/** Where manifests are committed: each package's base and Components, and the overlays. */
function manifestDirs(): string[] {
  const packages = join(REPO, 'packages');
  return [
    ...readdirSync(packages).flatMap((p) =>
      ['base', 'components'].map((d) => join(packages, p, d)),
    ),
    join(REPO, 'overlays'),
  ].filter((d) => existsSync(d));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every `hostPath` of type DirectoryOrCreate anywhere in a document. */
function directoriesToCreate(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) directoriesToCreate(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const hostPath = (node as { hostPath?: { path?: unknown; type?: unknown } })
    .hostPath;
  if (
    typeof hostPath?.path === 'string' &&
    hostPath.type === 'DirectoryOrCreate'
  )
    found.add(hostPath.path);
  for (const value of Object.values(node)) directoriesToCreate(value, found);
}

/** The DirectoryOrCreate host paths of every shipped manifest, sorted. */
export function stackHostPaths(): string[] {
  const found = new Set<string>();
  for (const file of manifestDirs().flatMap(yamlFiles))
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8')))
      directoriesToCreate(doc.toJS(), found);
  return [...found].sort();
}

/** What creating `path` would add to the machine: its top-most missing ancestor (the kubelet makes parents too). */
export function topMostMissing(path: string): string | undefined {
  if (existsSync(path)) return undefined;
  let top = path;
  while (!existsSync(dirname(top))) top = dirname(top);
  return top;
}
