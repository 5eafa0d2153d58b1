import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import type {
  Base,
  Component,
  ConfigMapGenerator,
  Overlay,
  PackageOutput,
} from './base.js';
import type { KubeObject, KubePatch } from './kube.js';
import {
  COMPONENT_API,
  type ConfigMapGeneratorEntry,
  KUSTOMIZATION_API,
  type Kustomization,
} from './kustomization.js';
import { toJson, toYaml } from './yaml.js';

/** The directories `emit` owns inside a package; it replaces them whole. */
export const EMITTED_DIRS = ['base', 'components', 'schema'] as const;

/** Emitted files: path relative to the package directory → content. Sorted by path. */
export type FileTree = Map<string, string>;

function objectFileName(
  o: { kind: string; metadata: { name: string } },
  suffix = '.yaml',
): string {
  return `${o.kind.toLowerCase()}-${o.metadata.name}${suffix}`;
}

function generatorEntries(
  dir: string,
  files: FileTree,
  generators: readonly ConfigMapGenerator[],
): ConfigMapGeneratorEntry[] {
  return generators.map((g) => {
    const names = Object.keys(g.files).sort();
    for (const name of names)
      files.set(posix.join(dir, g.name, name), g.files[name]!);
    return {
      name: g.name,
      ...(g.behavior ? { behavior: g.behavior } : {}),
      files: names.map((n) => `${g.name}/${n}`),
      ...(g.labels ? { options: { labels: { ...g.labels } } } : {}),
    };
  });
}

function addObjects(
  dir: string,
  files: FileTree,
  objects: readonly (KubeObject | KubePatch)[],
  suffix?: string,
): string[] {
  const names = objects.map((o) => {
    const name = objectFileName(o, suffix);
    const path = posix.join(dir, name);
    if (files.has(path))
      throw new Error(`two objects would be written to ${path}`);
    files.set(path, toYaml(o, { sort: true }));
    return name;
  });
  return names.sort();
}

function addKustomization(
  dir: string,
  files: FileTree,
  k: Kustomization,
  header: readonly string[] = [],
): void {
  const clean = Object.fromEntries(
    Object.entries(k).filter(([, v]) => !(Array.isArray(v) && v.length === 0)),
  );
  files.set(
    posix.join(dir, 'kustomization.yaml'),
    `${header.map((l) => `# ${l}\n`).join('')}${toYaml(clean)}`,
  );
}

function patchEntries(
  dir: string,
  files: FileTree,
  patches: readonly KubePatch[],
): Kustomization['patches'] {
  // A target by kind and name matches whatever namespace the overlay chose.
  return patches.map((p) => ({
    path: addObjects(dir, files, [p], '.patch.yaml')[0]!,
    target: { kind: p.kind, name: p.metadata.name },
  }));
}

function renderBase(files: FileTree, base: Base): void {
  addKustomization('base', files, {
    apiVersion: KUSTOMIZATION_API,
    kind: 'Kustomization',
    namespace: base.namespace,
    resources: addObjects('base', files, base.resources),
    configMapGenerator: generatorEntries(
      'base',
      files,
      base.configMapGenerators ?? [],
    ),
  });
}

function renderComponent(files: FileTree, dir: string, c: Component): void {
  addKustomization(dir, files, {
    apiVersion: COMPONENT_API,
    kind: 'Component',
    resources: [...addObjects(dir, files, c.resources ?? [])],
    configMapGenerator: generatorEntries(
      dir,
      files,
      c.configMapGenerators ?? [],
    ),
    patches: patchEntries(dir, files, c.patches ?? []),
  });
}

/** Where an overlay's own changes go, as a Component. */
export const OVERLAY_CHANGES_DIR = 'changes';

/** An overlay's files, relative to its directory. Pure: builds the whole tree or throws. */
export function renderOverlay(overlay: Overlay): FileTree {
  const files: FileTree = new Map();
  const c = overlay.changes;
  const changed =
    (c.resources ?? []).length +
      (c.patches ?? []).length +
      (c.configMapGenerators ?? []).length >
    0;
  if (changed) renderComponent(files, OVERLAY_CHANGES_DIR, c);
  addKustomization(
    '',
    files,
    {
      apiVersion: KUSTOMIZATION_API,
      kind: 'Kustomization',
      namespace: overlay.namespace,
      resources: [
        ...addObjects('', files, overlay.resources),
        ...overlay.bases,
      ],
      components: [
        ...overlay.components,
        ...(changed ? [OVERLAY_CHANGES_DIR] : []),
      ],
    },
    overlay.header,
  );
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Everything a package emits, as files in memory. Pure: builds the whole tree or throws. */
export function renderPackage(output: PackageOutput): FileTree {
  const files: FileTree = new Map();
  renderBase(files, output.base);
  for (const name of Object.keys(output.components ?? {}).sort())
    renderComponent(files, `components/${name}`, output.components![name]!);
  files.set('schema/options.schema.json', toJson(output.optionsSchema));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function readTree(root: string, dir: string, into: FileTree): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readTree(root, path, into);
    else into.set(relative(root, path), readFileSync(path, 'utf8'));
  }
}

/** The emitted files now on disk under a package directory. */
export function readEmitted(packageDir: string): FileTree {
  const files: FileTree = new Map();
  for (const d of EMITTED_DIRS)
    readTree(packageDir, join(packageDir, d), files);
  return files;
}

/** How the files on disk differ from `expected`: one line per missing, extra or changed file; empty if none. */
export function diffEmitted(packageDir: string, expected: FileTree): string[] {
  const actual = readEmitted(packageDir);
  const problems: string[] = [];
  for (const [path, content] of expected) {
    if (!actual.has(path)) problems.push(`missing ${path}`);
    else if (actual.get(path) !== content) problems.push(`changed ${path}`);
  }
  for (const path of actual.keys())
    if (!expected.has(path)) problems.push(`extra ${path}`);
  return problems;
}

/**
 * Writes a package's emitted directories atomically: the new tree is built in a temporary sibling directory, then
 * each owned directory is swapped in by rename. If anything fails before the swap, the old files are untouched.
 */
export function writeEmitted(packageDir: string, files: FileTree): void {
  const staging = join(packageDir, `.emit-new-${process.pid}`);
  const retired = join(packageDir, `.emit-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  rmSync(retired, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    mkdirSync(retired);
    for (const d of EMITTED_DIRS) {
      if (existsSync(join(packageDir, d)))
        renameSync(join(packageDir, d), join(retired, d));
      if (existsSync(join(staging, d)))
        renameSync(join(staging, d), join(packageDir, d));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
}

/** Renders a package and writes it; bad options or a failed render leave the committed files as they were. */
export function emitPackage(
  packageDir: string,
  output: () => PackageOutput,
): void {
  writeEmitted(packageDir, renderPackage(output()));
}
