import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KUSTOMIZATION_API, type KubeObject, toYaml } from '@plgkit/core';
import { parseAllDocuments } from 'yaml';
import { kubectlSync } from './kubectl.js';
import { relativePath } from './paths.js';

/** kubectl is missing, or kustomize refused the overlay; `message` is kubectl's own first error line. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    message: string,
    readonly missingKubectl = false,
  ) {
    super(message);
  }
}

/** Parses a multi-document YAML stream of Kubernetes objects. */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0)
        throw new Error(`invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

/** What a render wrapper adds in front of the overlay's own error (see renderWithOrigins). */
const WRAPPER_PREFIX =
  /^accumulating resources: accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': recursed accumulation of path '[^']*': /;

/**
 * kubectl's whole error, first line first. It prints `error: <message>`, a klog line `err="<message>"`, or a klog
 * block `err=<` … ` >` whose lines are tab-indented.
 */
export function kustomizeError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim());
  const [first = '', ...rest] = lines;
  let message: string[];
  if (/err=<\s*$/.test(first)) {
    const end = rest.findIndex((l) => /^\s*>\s*$/.test(l));
    message = [
      ...(end < 0 ? rest : rest.slice(0, end)).map((l) => l.replace(/^\t/, '')),
      ...(end < 0 ? [] : rest.slice(end + 1)),
    ];
  } else {
    const klog = /err="(.*)"\s*$/.exec(first)?.[1]?.replace(/\\"/g, '"');
    message = [klog ?? first.replace(/^error: /, ''), ...rest];
  }
  return message.join('\n').replace(WRAPPER_PREFIX, '');
}

function kubectlKustomize(dir: string): string {
  try {
    return kubectlSync({}, ['kustomize', dir]);
  } catch (e) {
    const error = e as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT')
      throw new RenderError('kubectl is not installed or not on PATH', true);
    throw new RenderError(kustomizeError(error.stderr ?? '') || error.message);
  }
}

/** Renders a kustomization with the real `kubectl kustomize`, as `kubectl apply -k` would. */
export function render(dir: string): KubeObject[] {
  return parseObjects(kubectlKustomize(dir));
}

/** Where kustomize read each object from (`config.kubernetes.io/origin`), relative to the overlay. */
const ORIGIN = 'config.kubernetes.io/origin';

/**
 * Renders like `render`, and tells for each object the file it came from: the overlay is wrapped in a kustomization
 * that asks kustomize for origin annotations, which are then removed again.
 */
export function renderWithOrigins(
  dir: string,
): { object: KubeObject; origin: string | undefined }[] {
  const wrapper = mkdtempSync(join(tmpdir(), 'plgkit-render-'));
  try {
    writeFileSync(
      join(wrapper, 'kustomization.yaml'),
      toYaml({
        apiVersion: KUSTOMIZATION_API,
        kind: 'Kustomization',
        resources: [relativePath(wrapper, dir)],
        buildMetadata: ['originAnnotations'],
      }),
    );
    return parseObjects(kubectlKustomize(wrapper)).map((object) => {
      const annotations = { ...object.metadata.annotations };
      // kustomize gives the path from the wrapper; say it from the overlay, as the user knows it.
      const fromWrapper = /(?:^|\n)path: (.+)/
        .exec(annotations[ORIGIN] ?? '')?.[1]
        ?.trim();
      const origin =
        fromWrapper && relativePath(dir, resolve(wrapper, fromWrapper));
      delete annotations[ORIGIN];
      const { annotations: _, ...rest } = object.metadata;
      const metadata =
        Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest;
      return { object: { ...object, metadata }, origin };
    });
  } finally {
    rmSync(wrapper, { recursive: true, force: true });
  }
}

/** "Kind namespace/name", how problems name an object. */
export function describeObject(o: {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? '?'} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}
