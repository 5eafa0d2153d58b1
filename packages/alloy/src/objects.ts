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
  STORAGE_DIR,
  STORAGE_HOST_DIR,
} from './config.js';
import type { ResolvedAlloyOptions } from './options.js';
import { ALLOY_IMAGE, ALLOY_VERSION } from './versions.js';

export const NAME = STACK.alloy.name;
export const CONFIG_MAP = 'alloy-config';

export const APP: AppIdentity = appIdentity(
  STACK.alloy,
  ALLOY_VERSION.replace(/^v/, ''),
);

export function serviceAccount(
  o: ResolvedAlloyOptions,
): KubeObject<ServiceAccount> {
  // discovery.kubernetes lists and watches pods through the API, so Alloy needs its token.
  return serviceAccountFor(owner(APP, o.namespace), true);
}

export function clusterRole(o: ResolvedAlloyOptions): KubeObject<ClusterRole> {
  // The same grant as Promtail's: without list/watch on pods, discovery fails and no log is shipped.
  return clusterRoleFor(owner(APP, o.namespace), [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  ]);
}

export function clusterRoleBinding(
  o: ResolvedAlloyOptions,
): KubeObject<ClusterRoleBinding> {
  return clusterRoleBindingFor(owner(APP, o.namespace));
}

export function daemonSet(o: ResolvedAlloyOptions): KubeObject<DaemonSet> {
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
          // Root, to read the root-owned files under /var/log/pods; nothing else (see securityContext). As Promtail.
          securityContext: {
            runAsUser: 0,
            runAsGroup: 0,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: NAME,
              image: ALLOY_IMAGE,
              // Upstream's image runs /bin/alloy; only generally available components, as upstream's default.
              args: [
                'run',
                `${CONFIG_DIR}/${CONFIG_FILE}`,
                `--storage.path=${STORAGE_DIR}`,
                `--server.http.listen-addr=0.0.0.0:${HTTP_PORT}`,
                '--stability.level=generally-available',
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
              readinessProbe: httpProbe('/-/ready', 'http-metrics'),
              livenessProbe: httpProbe('/-/healthy', 'http-metrics', {
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
                { name: 'storage', mountPath: STORAGE_DIR },
                { name: 'pod-logs', mountPath: POD_LOGS_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: CONFIG_MAP } },
            {
              name: 'storage',
              hostPath: {
                path: `${STORAGE_HOST_DIR}/data`,
                type: 'DirectoryOrCreate',
              },
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

/** The docker node's mount (see @plgkit/core), on Alloy's DaemonSet. */
export function dockerContainersPatch(
  type: 'Directory' | 'DirectoryOrCreate' = 'Directory',
): KubePatch {
  return logCollectorDockerPatch(NAME, type);
}

/** Optional: only Prometheus may read Alloy's /metrics. Egress stays open: the API server and Loki. */
export function networkPolicy(
  o: ResolvedAlloyOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('alloy', APP.version, o.namespace);
}
