// What every plgkit log collector (Promtail, Alloy) shares: the runtimes it reads, where their files are on the node,
// the mount a docker node needs, and one builder for its workload and runtime Components.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
} from 'kubernetes-types/rbac/v1.js';
import type { Component, ConfigMapGenerator } from './base.js';
import type { KubeObject, KubePatch } from './kube.js';
import { type AppIdentity, labels, selectorLabels } from './labels.js';
import { LOG_DELIVERY } from './log-delivery.js';
import {
  clusterRoleBinding as clusterRoleBindingFor,
  clusterRole as clusterRoleFor,
  httpProbe,
  owner,
  serviceAccount as serviceAccountFor,
} from './objects.js';
import { containerResources, type ResolvedResources } from './resources.js';

/**
 * The container runtime of the nodes, which decides where log files really are and their format. `auto` reads
 * each container's runtime from its ID (`docker://…`, `containerd://…`, `cri-o://…`), so one overlay fits both
 * minikube defaults: docker before v1.39, containerd since.
 */
export type Runtime = 'docker' | 'containerd' | 'auto';
export const RUNTIMES: readonly Runtime[] = ['docker', 'containerd', 'auto'];

/** Where the kubelet writes (or links) every container's log, per pod: `<ns>_<pod>_<uid>/<container>/<n>.log`. */
export const POD_LOGS_DIR = '/var/log/pods';
/** With docker (cri-dockerd), the files in /var/log/pods are symlinks into here. */
export const DOCKER_CONTAINERS_DIR = '/var/lib/docker/containers';
/** Set from the pod's `spec.nodeName`, for the config to keep only its own node's pods. */
export const NODE_NAME_ENV = 'HOSTNAME';
/** With `auto`: the runtime named by the container ID's scheme, kept as a label only while the pipeline runs. */
export const RUNTIME_LABEL = 'container_runtime';

/**
 * With docker, /var/log/pods holds symlinks into /var/lib/docker/containers: without this mount the collector
 * follows links into nothing and ships no lines. Mounted at the same path so the links resolve. `Directory` requires
 * it (a docker node); `DirectoryOrCreate` lets the pod start where it is missing (a containerd node, with `auto`).
 */
export function dockerContainersPatch(
  daemonSet: string,
  type: 'Directory' | 'DirectoryOrCreate' = 'Directory',
): KubePatch {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: daemonSet },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: daemonSet,
              volumeMounts: [
                {
                  name: 'docker-containers',
                  mountPath: DOCKER_CONTAINERS_DIR,
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            {
              name: 'docker-containers',
              hostPath: { path: DOCKER_CONTAINERS_DIR, type },
            },
          ],
        },
      },
    },
  };
}

/** What sets one log collector's workload apart; the rest of its DaemonSet and RBAC is {@link logCollectorWorkload}'s. */
export interface LogCollectorSpec {
  readonly app: AppIdentity;
  readonly namespace: string;
  readonly image: string;
  readonly args: readonly string[];
  /** Its HTTP port (metrics and probes), named `http-metrics`. */
  readonly port: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly configMap: string;
  readonly configDir: string;
  /** Where it keeps its read positions: a hostPath, so that a restarted pod resumes where it stopped. */
  readonly state: {
    readonly volume: string;
    readonly mountPath: string;
    readonly hostPath: string;
  };
  readonly resources: ResolvedResources;
}

/** A log collector's ServiceAccount, RBAC and DaemonSet. */
export interface LogCollectorWorkload {
  readonly serviceAccount: KubeObject<ServiceAccount>;
  readonly clusterRole: KubeObject<ClusterRole>;
  readonly clusterRoleBinding: KubeObject<ClusterRoleBinding>;
  readonly daemonSet: KubeObject<DaemonSet>;
}

/** One builder for every log collector's workload: a DaemonSet on every node that reads its own node's pod logs. */
export function logCollectorWorkload(
  s: LogCollectorSpec,
): LogCollectorWorkload {
  const who = owner(s.app, s.namespace);
  return {
    // It discovers pods through the API, so it needs its token.
    serviceAccount: serviceAccountFor(who, true),
    // Without list/watch on pods, discovery fails with "pods is forbidden" and no log is shipped.
    clusterRole: clusterRoleFor(who, [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ]),
    clusterRoleBinding: clusterRoleBindingFor(who),
    daemonSet: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: s.app.name,
        namespace: s.namespace,
        labels: labels(s.app),
      },
      spec: {
        selector: { matchLabels: selectorLabels(s.app) },
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1 },
        },
        template: {
          metadata: {
            labels: labels(s.app),
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(s.port),
            },
          },
          spec: {
            serviceAccountName: s.app.name,
            // Time to push what it has read before it exits (see log-delivery.ts).
            terminationGracePeriodSeconds:
              LOG_DELIVERY.terminationGracePeriodSeconds,
            // Every node has logs, control-plane nodes and tainted nodes included.
            tolerations: [{ operator: 'Exists' }],
            // Root, to read the root-owned files under /var/log/pods; nothing else (see securityContext).
            securityContext: {
              runAsUser: 0,
              runAsGroup: 0,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: s.app.name,
                image: s.image,
                args: [...s.args],
                env: [
                  {
                    name: NODE_NAME_ENV,
                    valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
                  },
                ],
                ports: [
                  {
                    name: 'http-metrics',
                    containerPort: s.port,
                    protocol: 'TCP',
                  },
                ],
                readinessProbe: httpProbe(s.readinessPath, 'http-metrics'),
                // Alive is serving HTTP. Readiness is false while it tails nothing (its pods RBAC missing, say):
                // restarting it then fixes nothing and only hides its log line saying why.
                livenessProbe: httpProbe(s.livenessPath, 'http-metrics', {
                  initialDelaySeconds: 30,
                  failureThreshold: 6,
                }),
                resources: containerResources(s.resources),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'config', mountPath: s.configDir, readOnly: true },
                  { name: s.state.volume, mountPath: s.state.mountPath },
                  { name: 'pod-logs', mountPath: POD_LOGS_DIR, readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: s.configMap } },
              {
                name: s.state.volume,
                hostPath: { path: s.state.hostPath, type: 'DirectoryOrCreate' },
              },
              {
                name: 'pod-logs',
                hostPath: { path: POD_LOGS_DIR, type: 'Directory' },
              },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
  };
}

/** The Component that switches a collector's base to `runtime`: its config merged in, and the mounts it needs. */
export function logCollectorRuntimeComponent(
  runtime: Runtime,
  daemonSet: string,
  config: ConfigMapGenerator,
): Component {
  return {
    configMapGenerators: [{ ...config, behavior: 'merge' }],
    patches:
      runtime === 'containerd'
        ? []
        : [
            dockerContainersPatch(
              daemonSet,
              runtime === 'auto' ? 'DirectoryOrCreate' : 'Directory',
            ),
          ],
  };
}
