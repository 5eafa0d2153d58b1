import { dirname, join } from 'node:path';
import type { KubeObject } from '@plgkit/core';
import { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  Namespace,
  PersistentVolumeClaim,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import ts from 'typescript';
import type { Culprit } from './patches.js';
import { describeObject } from './render.js';

/** One reason a rendered object would be rejected or silently mangled by the API server. */
export interface Problem {
  readonly object: string;
  readonly message: string;
  /** What in the object is wrong, to find the user's patch that put it there. */
  readonly culprit?: Culprit;
}

/** Where `key` first occurs in `value`, as a field path (`spec.template.spec.containers[0]`). */
function pathOf(value: unknown, key: string, at = ''): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = pathOf(v, key, `${at}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k === key) return at;
    const found = pathOf(v, key, at ? `${at}.${k}` : k);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The compiler's excess-property error, as a person reads it: the field, where it is, and what was meant. */
function unknownFieldMessage(
  object: KubeObject,
  diagnostic: string,
): { message: string; key: string } | undefined {
  const m =
    /'"?([^'"]+)"?' does not exist in type '([^']+)'\.(?: Did you mean to write '([^']+)'\?)?/.exec(
      diagnostic,
    );
  if (!m) return undefined;
  const [, key, type, meant] = m as unknown as [
    string,
    string,
    string,
    string?,
  ];
  const path = pathOf(object, key);
  return {
    key,
    message: `unknown field "${key}" in ${type}${path ? ` at ${path}` : ''}, which the API server would drop${meant ? `; did you mean "${meant}"?` : ''}`,
  };
}

interface Validatable {
  validate(): void;
}
// Each model takes its own shape; rendered data is only known to be an object until validate() has run.
// biome-ignore lint/suspicious/noExplicitAny: each model's constructor takes its own kind's shape
type ModelClass = new (data: any) => Validatable;

/** The kinds plgkit renders, with kubernetes-models' validators (OpenAPI of Kubernetes 1.31+). */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'apps/v1/DaemonSet': DaemonSet,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

/** Types, required fields, formats and enums, from the Kubernetes OpenAPI schema. Lets unknown fields through. */
export function schemaProblems(objects: readonly KubeObject[]): Problem[] {
  return objects.flatMap((o) => {
    const Model = MODELS[`${o.apiVersion}/${o.kind}`];
    if (!Model)
      return [
        {
          object: describeObject(o),
          message: `no schema for ${o.apiVersion} ${o.kind}`,
        },
      ];
    try {
      new Model(structuredClone(o)).validate();
      return [];
    } catch (e) {
      return [{ object: describeObject(o), message: (e as Error).message }];
    }
  });
}

/** `rbac.authorization.k8s.io/v1` → `rbac/v1`, the module layout of kubernetes-types. */
function typesModule(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['core', apiVersion];
  return `kubernetes-types/${group!.split('.')[0]}/${version}`;
}

/**
 * Unknown fields (`volumeMount:` for `volumeMounts:`), which the API server drops without a word: each object is
 * type-checked as a fresh object literal of its kubernetes-types type, so excess properties are errors at any depth.
 */
export function unknownFieldProblems(
  objects: readonly KubeObject[],
): Problem[] {
  const lines: string[] = [];
  const starts: number[] = [];
  objects.forEach((o, i) => {
    starts.push(lines.length);
    // Keys as identifiers where they can be, so the compiler suggests the known property a typo was meant to be.
    const literal = JSON.stringify(o, null, 2)
      .split('\n')
      .map((l) => l.replace(/^(\s*)"([A-Za-z_$][\w$]*)":/, '$1$2:'));
    lines.push(
      `export const o${i}: import('${typesModule(o.apiVersion)}').${o.kind} = ${literal[0]}`,
      ...literal.slice(1),
      ';',
    );
  });
  // A virtual file beside this module, so `kubernetes-types` resolves from this package's dependencies.
  const file = join(import.meta.dirname, '__rendered__.ts');
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === file
      ? ts.createSourceFile(name, text, lang)
      : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  host.getCurrentDirectory = () => dirname(file);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line =
      d.file && d.start !== undefined
        ? d.file.getLineAndCharacterOfPosition(d.start).line
        : 0;
    let index = 0;
    while (index + 1 < starts.length && starts[index + 1]! <= line) index++;
    const object = objects[index];
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    const unknown = object && unknownFieldMessage(object, text);
    if (unknown)
      return {
        object: describeObject(object),
        message: unknown.message,
        culprit: {
          kind: object.kind,
          name: object.metadata.name,
          key: unknown.key,
        },
      };
    const where =
      d.file && d.start !== undefined ? ` (at ${lines[line]!.trim()})` : '';
    return {
      object: object ? describeObject(object) : '?',
      message: `${text}${where}`,
    };
  });
}

interface PodTemplateOwner {
  readonly spec?: {
    readonly template?: {
      readonly spec?: {
        readonly containers?: readonly { name: string; image?: string }[];
        readonly initContainers?: readonly { name: string; image?: string }[];
      };
    };
  };
}

/** Edits (insert, delete, substitute) from `a` to `b`: how close a misspelt container name is to a real one. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}

/**
 * What the API server requires though the OpenAPI schema leaves it optional: a workload's container needs an image.
 * A strategic-merge patch that names a container the base does not have (a typo) adds one without an image.
 */
export function requiredFieldProblems(
  objects: readonly KubeObject[],
): Problem[] {
  return objects.flatMap((o) => {
    const spec = (o as PodTemplateOwner).spec?.template?.spec;
    if (!spec) return [];
    const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    const named = all.filter((c) => c.image).map((c) => c.name);
    return all
      .filter((c) => !c.image)
      .map((c) => {
        const nearest = [...named].sort(
          (x, y) => editDistance(c.name, x) - editDistance(c.name, y),
        )[0];
        return {
          object: describeObject(o),
          culprit: { kind: o.kind, name: o.metadata.name, container: c.name },
          message: `container "${c.name}" has no image, which the API server requires: a patch that names a container the base does not have adds one${nearest ? `; did you mean "${nearest}"?` : ''}`,
        };
      });
  });
}

/**
 * Strict validation: the OpenAPI schema, no unknown fields, and what the API server requires beyond the schema.
 * Empty when every object would be accepted as is.
 */
export function validateStrict(objects: readonly KubeObject[]): Problem[] {
  return [
    ...schemaProblems(objects),
    ...unknownFieldProblems(objects),
    ...requiredFieldProblems(objects),
  ];
}
