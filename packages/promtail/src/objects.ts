import {
  type AppIdentity,
  appIdentity,
  clusterRoleBinding as clusterRoleBindingFor,
  clusterRole as clusterRoleFor,
  containerResources,
  httpProbe,
  type KubeObject,
  type KubePatch,
  labels,
  logCollectorDockerPatch,
  owner,
  STACK,
  selectorLabels,
  serviceAccount as serviceAccountFor,
  stackNetworkPolicy,
} from '@plgkit/core';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
} from 'kubernetes-types/rbac/v1.js';
import {
  CONFIG_DIR,
  CONFIG_FILE,
  HTTP_PORT,
  NODE_NAME_ENV,
  POD_LOGS_DIR,
  POSITIONS_DIR,
  POSITIONS_HOST_DIR,
} from './config.js';
import type { ResolvedPromtailOptions } from './options.js';
import { PROMTAIL_IMAGE, PROMTAIL_VERSION } from './versions.js';

export const NAME = STACK.promtail.name;
export const CONFIG_MAP = 'promtail-config';

export const APP: AppIdentity = appIdentity(STACK.promtail, PROMTAIL_VERSION);

export function serviceAccount(
  o: ResolvedPromtailOptions,
): KubeObject<ServiceAccount> {
  // Promtail discovers pods through the API, so it needs its token.
  return serviceAccountFor(owner(APP, o.namespace), true);
}

export function clusterRole(
  o: ResolvedPromtailOptions,
): KubeObject<ClusterRole> {
  // Without list/watch on pods, discovery fails with "pods is forbidden" and no log is shipped.
  return clusterRoleFor(owner(APP, o.namespace), [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  ]);
}

export function clusterRoleBinding(
  o: ResolvedPromtailOptions,
): KubeObject<ClusterRoleBinding> {
  return clusterRoleBindingFor(owner(APP, o.namespace));
}

export function daemonSet(o: ResolvedPromtailOptions): KubeObject<DaemonSet> {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAME, namespace: o.namespace, labels: labels(APP) },
    spec: {
      selector: { matchLabels: selectorLabels(APP) },
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1 },
      },
      template: {
        metadata: {
          labels: labels(APP),
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(HTTP_PORT),
          },
        },
        spec: {
          serviceAccountName: NAME,
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
              name: NAME,
              image: PROMTAIL_IMAGE,
              args: [
                `-config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
                '-config.expand-env=true',
              ],
              env: [
                {
                  name: NODE_NAME_ENV,
                  valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
                },
              ],
              ports: [
                {
                  name: 'http-metrics',
                  containerPort: HTTP_PORT,
                  protocol: 'TCP',
                },
              ],
              readinessProbe: httpProbe('/ready', 'http-metrics'),
              // Alive is serving HTTP. /ready is false while Promtail tails nothing (e.g. its pods RBAC is missing):
              // restarting it then fixes nothing and only hides its log line saying why.
              livenessProbe: httpProbe('/metrics', 'http-metrics', {
                initialDelaySeconds: 30,
                failureThreshold: 6,
              }),
              resources: containerResources(o.resources),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'positions', mountPath: POSITIONS_DIR },
                { name: 'pod-logs', mountPath: POD_LOGS_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: CONFIG_MAP } },
            {
              name: 'positions',
              hostPath: { path: POSITIONS_HOST_DIR, type: 'DirectoryOrCreate' },
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
  };
}

/** The docker node's mount (see @plgkit/core), on Promtail's DaemonSet. */
export function dockerContainersPatch(
  type: 'Directory' | 'DirectoryOrCreate' = 'Directory',
): KubePatch {
  return logCollectorDockerPatch(NAME, type);
}

/** Optional: only Prometheus may read Promtail's /metrics. Egress stays open: the API server and Loki. */
export function networkPolicy(
  o: ResolvedPromtailOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('promtail', APP.version, o.namespace);
}
