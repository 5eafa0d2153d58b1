import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type {
  Container,
  PodSecurityContext,
  PodSpec,
  SecurityContext,
  Service,
  ServiceAccount,
  ServicePort,
} from 'kubernetes-types/core/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
} from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from './kube.js';
import { type AppIdentity, labels, selectorLabels } from './labels.js';

/** Who an object belongs to: its name, namespace and labels. */
export interface Owner {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The owner of a component's objects: named after the app, in its namespace, with the recommended labels. */
export function owner(app: AppIdentity, namespace: string): Owner {
  return { name: app.name, namespace, labels: labels(app) };
}

function meta(owner: Owner, namespaced = true) {
  return {
    name: owner.name,
    ...(namespaced ? { namespace: owner.namespace } : {}),
    labels: { ...owner.labels },
  };
}

/**
 * A ServiceAccount. `automount` is false for components that never call the Kubernetes API, so a compromised pod
 * holds no token.
 */
export function serviceAccount(
  owner: Owner,
  automount: boolean,
): KubeObject<ServiceAccount> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(owner),
    automountServiceAccountToken: automount,
  };
}

/** A ClusterRole named after its component. */
export function clusterRole(
  owner: Owner,
  rules: PolicyRule[],
): KubeObject<ClusterRole> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(owner, false),
    rules,
  };
}

/** Binds the component's ClusterRole to exactly its own ServiceAccount. */
export function clusterRoleBinding(
  owner: Owner,
): KubeObject<ClusterRoleBinding> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(owner, false),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: owner.name,
    },
    subjects: [
      { kind: 'ServiceAccount', name: owner.name, namespace: owner.namespace },
    ],
  };
}

/** A ClusterIP Service selecting the component's pods. */
export function service(
  owner: Owner,
  selector: Record<string, string>,
  ports: ServicePort[],
): KubeObject<Service> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(owner),
    spec: { type: 'ClusterIP', selector, ports },
  };
}

/** Pod-level settings of the Pod Security Standard "restricted": a fixed non-root user, and the runtime's seccomp. */
export function restrictedPodSecurityContext(uid: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level settings of "restricted", plus a read-only root filesystem (writable paths are volumes). */
export function restrictedContainerSecurityContext(): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** An HTTP probe on a named port. */
export function httpProbe(
  path: string,
  port: string,
  timing: {
    initialDelaySeconds?: number;
    periodSeconds?: number;
    failureThreshold?: number;
  } = {},
): Container['readinessProbe'] {
  return {
    httpGet: { path, port },
    timeoutSeconds: 5,
    periodSeconds: 10,
    failureThreshold: 3,
    ...timing,
  };
}

/**
 * A one-replica StatefulSet whose pod keeps its data on the claim `data`: one ReadWriteOnce volume, so the old pod
 * stops before the new one starts, and the claim outlives the pod and the StatefulSet (`Retain`).
 */
export function dataStatefulSet(
  app: AppIdentity,
  namespace: string,
  pod: {
    readonly spec: PodSpec;
    readonly annotations?: Readonly<Record<string, string>>;
  },
  storageSize: string,
): KubeObject<StatefulSet> {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: app.name, namespace, labels: labels(app) },
    spec: {
      serviceName: app.name,
      replicas: 1,
      selector: { matchLabels: selectorLabels(app) },
      persistentVolumeClaimRetentionPolicy: {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      },
      template: {
        metadata: {
          labels: labels(app),
          ...(pod.annotations ? { annotations: { ...pod.annotations } } : {}),
        },
        spec: pod.spec,
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: selectorLabels(app) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: storageSize } },
          },
        },
      ],
    },
  };
}
