// Reading a rendered stack: find workloads, their pods' containers and volumes, the config files they mount,
// and what RBAC grants their ServiceAccounts. Pure functions over rendered objects.
import type { KubeObject } from '@plgkit/core';
import type {
  Container,
  PodSpec,
  Service,
  Volume,
} from 'kubernetes-types/core/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
} from 'kubernetes-types/rbac/v1.js';
import { parse } from 'yaml';

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
] as const;

export type Workload = KubeObject<{
  spec?: {
    replicas?: number;
    template: {
      metadata?: {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      spec?: PodSpec;
    };
  };
}>;

export function workloads(objects: readonly KubeObject[]): Workload[] {
  return objects.filter((o): o is Workload =>
    (WORKLOAD_KINDS as readonly string[]).includes(o.kind),
  );
}

export function findWorkload(
  objects: readonly KubeObject[],
  kind: string,
  name: string,
): Workload | undefined {
  return workloads(objects).find(
    (w) => w.kind === kind && w.metadata.name === name,
  );
}

export function podSpec(w: Workload): PodSpec {
  return w.spec?.template.spec ?? { containers: [] };
}

export function allContainers(w: Workload): Container[] {
  const spec = podSpec(w);
  return [...(spec.initContainers ?? []), ...spec.containers];
}

export function mainContainer(w: Workload): Container | undefined {
  return (
    podSpec(w).containers.find((c) => c.name === w.metadata.name) ??
    podSpec(w).containers[0]
  );
}

/** The pod volume mounted at `mountPath` in the container, if any. */
export function volumeAt(
  w: Workload,
  container: Container,
  mountPath: string,
): { volume: Volume; readOnly: boolean } | undefined {
  const mount = (container.volumeMounts ?? []).find(
    (m) => m.mountPath === mountPath,
  );
  const volume =
    mount && (podSpec(w).volumes ?? []).find((v) => v.name === mount.name);
  return volume ? { volume, readOnly: mount.readOnly === true } : undefined;
}

/** The content of `file` in the ConfigMap mounted at `dir` in the workload's main container. */
export function mountedConfig(
  objects: readonly KubeObject[],
  w: Workload,
  dir: string,
  file: string,
): string | undefined {
  const container = mainContainer(w);
  const volume = container && volumeAt(w, container, dir)?.volume;
  const name = volume?.configMap?.name;
  const cm = objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      o.metadata.name === name &&
      o.metadata.namespace === w.metadata.namespace,
  ) as KubeObject<{ data?: Record<string, string> }> | undefined;
  return cm?.data?.[file];
}

/** Parses a mounted YAML config file; undefined when it is not there. */
export function mountedYaml<T>(
  objects: readonly KubeObject[],
  w: Workload,
  dir: string,
  file: string,
): T | undefined {
  const text = mountedConfig(objects, w, dir, file);
  return text === undefined ? undefined : (parse(text) as T);
}

/** The rules granted to a ServiceAccount through ClusterRoleBindings. */
export function rulesOf(
  objects: readonly KubeObject[],
  namespace: string,
  serviceAccount: string,
): PolicyRule[] {
  const roles = objects
    .filter(
      (o): o is KubeObject<ClusterRoleBinding> =>
        o.kind === 'ClusterRoleBinding',
    )
    .filter((b) =>
      (b.subjects ?? []).some(
        (s) =>
          s.kind === 'ServiceAccount' &&
          s.name === serviceAccount &&
          s.namespace === namespace,
      ),
    )
    .map((b) => b.roleRef.name);
  return objects
    .filter(
      (o): o is KubeObject<ClusterRole> =>
        o.kind === 'ClusterRole' && roles.includes(o.metadata.name),
    )
    .flatMap((r) => r.rules ?? []);
}

/** Whether the workload's ServiceAccount may `verb` the `resource` of `apiGroup` (wildcards count). */
export function canDo(
  objects: readonly KubeObject[],
  w: Workload,
  apiGroup: string,
  resource: string,
  verb: string,
): boolean {
  const sa = podSpec(w).serviceAccountName ?? 'default';
  const has = (list: string[] | undefined, v: string) =>
    (list ?? []).includes(v) || (list ?? []).includes('*');
  return rulesOf(objects, w.metadata.namespace ?? 'default', sa).some(
    (r) =>
      has(r.apiGroups, apiGroup) &&
      has(r.resources, resource) &&
      has(r.verbs, verb),
  );
}

/** A rendered Service by name and namespace. */
export function findService(
  objects: readonly KubeObject[],
  name: string,
  namespace: string,
): KubeObject<Service> | undefined {
  return objects.find(
    (o) =>
      o.kind === 'Service' &&
      o.metadata.name === name &&
      o.metadata.namespace === namespace,
  ) as KubeObject<Service> | undefined;
}

/**
 * The Service and port a URL names: `http://<svc>.<ns>.svc[.cluster.local]:<port>` or `http://<svc>:<port>` (the
 * referrer's namespace). A problem when no rendered Service matches.
 */
export function serviceProblem(
  objects: readonly KubeObject[],
  url: string,
  fromNamespace: string,
  expected: { service: string; port: number },
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  const parts = parsed.hostname.split('.');
  const [name, namespace = fromNamespace] = parts;
  if (
    parts.length > 1 &&
    !/^[^.]+\.[^.]+\.svc(\.cluster\.local)?$/.test(parsed.hostname)
  )
    return `${url}: host is not <service>.<namespace>.svc`;
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const svc = findService(objects, name!, namespace);
  if (!svc) return `${url}: no Service ${name} in namespace ${namespace}`;
  if (!(svc.spec?.ports ?? []).some((p) => p.port === port))
    return `${url}: Service ${namespace}/${name} has no port ${port}`;
  if (name !== expected.service || port !== expected.port)
    return `${url}: expected Service ${expected.service} port ${expected.port}`;
  return undefined;
}
