// The patches a user's overlay applies, read from its own kustomization files, so that a problem a patch causes is
// reported against that patch and not against the shipped base it lands in.
// Fields: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { relativePath } from './paths.js';

/** One document of a patch, and where the user wrote it (relative to the overlay). */
export interface PatchDocument {
  readonly file: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly body: unknown;
}

interface KustomizationFile {
  namespace?: string;
  resources?: string[];
  components?: string[];
  patches?: {
    path?: string;
    patch?: string;
    target?: { kind?: string; name?: string; namespace?: string };
  }[];
  patchesStrategicMerge?: string[];
}

const KUSTOMIZATION_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

function kustomizationFile(dir: string): string | undefined {
  const name = KUSTOMIZATION_NAMES.find((n) => existsSync(join(dir, n)));
  return name && join(dir, name);
}

function readKustomization(dir: string): KustomizationFile | undefined {
  const file = kustomizationFile(dir);
  if (!file) return undefined;
  const doc = parseAllDocuments(readFileSync(file, 'utf8'))[0];
  if (!doc || doc.errors.length > 0) return undefined;
  return (doc.toJS() ?? undefined) as KustomizationFile | undefined;
}

function documents(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && !!d);
}

function describe(
  file: string,
  body: Record<string, unknown>,
  target?: { kind?: string; name?: string; namespace?: string },
): PatchDocument {
  const metadata = (body.metadata ?? {}) as {
    name?: string;
    namespace?: string;
  };
  return {
    file,
    kind: target?.kind ?? (body.kind as string | undefined),
    name: target?.name ?? metadata.name,
    namespace: target?.namespace ?? metadata.namespace,
    body,
  };
}

/** One of the user's kustomization files: the overlay's, or one inside it (`changes/` of `plgkit new-overlay`). */
interface LocalKustomization {
  readonly dir: string;
  readonly file: string;
  /** Undefined when the file is not valid YAML. */
  readonly content: KustomizationFile | undefined;
}

/**
 * The overlay's kustomization and those it lists (resources, Components) inside its own directory; not the bases it
 * points to outside it, which are not the user's.
 */
function localKustomizations(root: string): LocalKustomization[] {
  const out: LocalKustomization[] = [];
  const visit = (dir: string) => {
    const file = kustomizationFile(dir);
    if (!file || out.some((k) => k.dir === dir)) return;
    const content = readKustomization(dir);
    out.push({ dir, file, content });
    for (const entry of [
      ...(content?.resources ?? []),
      ...(content?.components ?? []),
    ]) {
      const sub = resolve(dir, entry);
      if (isLocal(root, sub) && statSync(sub).isDirectory()) visit(sub);
    }
  };
  visit(root);
  return out;
}

/** Whether `path` exists inside the overlay's directory `root`. */
function isLocal(root: string, path: string): boolean {
  return path.startsWith(`${root}/`) && existsSync(path);
}

/** Every patch document of the overlay in `dir` and of the kustomizations inside it. */
export function overlayPatches(dir: string): PatchDocument[] {
  const root = resolve(dir);
  return localKustomizations(root).flatMap(({ dir: at, content: k }) => {
    const from = (path: string) => relativePath(root, join(at, path));
    const read = (path: string) =>
      isLocal(root, resolve(at, path))
        ? documents(readFileSync(join(at, path), 'utf8'))
        : [];
    return [
      ...(k?.patches ?? []).flatMap((p) => [
        ...(p.path ? read(p.path) : []).map((body) =>
          describe(from(p.path!), body, p.target),
        ),
        ...(p.patch ? documents(p.patch) : []).map((body) =>
          describe(from('kustomization.yaml'), body, p.target),
        ),
      ]),
      ...(k?.patchesStrategicMerge ?? []).flatMap((path) =>
        read(path).map((body) => describe(from(path), body)),
      ),
    ];
  });
}

/**
 * The first YAML syntax error in the overlay's own files (its kustomization files, and the patches and resource
 * files they name), with the file, line and column: kustomize reports only that it could not parse a patch.
 */
export function yamlSyntaxError(dir: string): string | undefined {
  const root = resolve(dir);
  const files = localKustomizations(root).flatMap(
    ({ dir: at, file, content: k }) => [
      file,
      ...[
        ...(k?.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])),
        ...(k?.patchesStrategicMerge ?? []),
        ...(k?.resources ?? []),
      ]
        .map((entry) => resolve(at, entry))
        .filter((path) => isLocal(root, path) && statSync(path).isFile()),
    ],
  );
  for (const file of files) {
    const error = parseAllDocuments(readFileSync(file, 'utf8'))
      .flatMap((d) => d.errors)
      .at(0);
    if (error)
      return `${relativePath(root, file)}: ${error.message.split('\n')[0]!.replace(/:$/, '')}`;
  }
  return undefined;
}

/** The namespace the overlay in `dir` puts everything in, if it sets one. */
export function overlayNamespace(dir: string): string | undefined {
  return readKustomization(resolve(dir))?.namespace;
}

/** Whether `value` has the key `key` at any depth. */
function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
}

/** Whether `value` lists a container (or init container) named `name`. */
function namesContainer(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((v) => namesContainer(v, name));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) =>
    (k === 'containers' || k === 'initContainers') && Array.isArray(v)
      ? v.some((c) => (c as { name?: string })?.name === name) ||
        namesContainer(v, name)
      : namesContainer(v, name),
  );
}

/** What a problem points at in an object: an unknown key, or a container by its name. */
export interface Culprit {
  readonly kind: string;
  readonly name: string;
  readonly key?: string;
  readonly container?: string;
}

/** The user's patch file that wrote the culprit into the object, if one did. */
export function patchFileOf(
  patches: readonly PatchDocument[],
  culprit: Culprit,
): string | undefined {
  return patches.find(
    (p) =>
      p.kind === culprit.kind &&
      p.name === culprit.name &&
      ((culprit.key !== undefined && hasKey(p.body, culprit.key)) ||
        (culprit.container !== undefined &&
          namesContainer(p.body, culprit.container))),
  )?.file;
}
