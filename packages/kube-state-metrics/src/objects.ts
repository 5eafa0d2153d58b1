import {
  type AppIdentity,
  appIdentity,
  clusterRoleBinding as clusterRoleBindingFor,
  clusterRole as clusterRoleFor,
  containerResources,
  httpProbe,
  type KubeObject,
  labels,
  owner,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  STACK,
  selectorLabels,
  serviceAccount as serviceAccountFor,
  stackNetworkPolicy,
} from '@plgkit/core';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
} from 'kubernetes-types/rbac/v1.js';
import type { ResolvedKubeStateMetricsOptions } from './options.js';
import {
  KUBE_STATE_METRICS_IMAGE,
  KUBE_STATE_METRICS_VERSION,
} from './versions.js';

export const NAME = STACK.kubeStateMetrics.name;
export const PORT = STACK.kubeStateMetrics.ports['http-metrics'];
export const TELEMETRY_PORT = STACK.kubeStateMetrics.ports.telemetry;
const UID = 65534;

export const APP: AppIdentity = appIdentity(
  STACK.kubeStateMetrics,
  KUBE_STATE_METRICS_VERSION,
);

/**
 * The objects reported on: what the bundled dashboards and alerts ask about (pods, restarts, OOMKills, readiness,
 * workloads' replicas, node capacity). Never Secrets or ConfigMaps: their metrics would need read access to them.
 */
export const REPORTED: readonly { group: string; resource: string }[] = [
  { group: 'apps', resource: 'daemonsets' },
  { group: 'apps', resource: 'deployments' },
  { group: '', resource: 'nodes' },
  { group: '', resource: 'pods' },
  { group: 'apps', resource: 'statefulsets' },
];

export function serviceAccount(
  o: ResolvedKubeStateMetricsOptions,
): KubeObject<ServiceAccount> {
  return serviceAccountFor(owner(APP, o.namespace), true);
}

export function clusterRole(
  o: ResolvedKubeStateMetricsOptions,
): KubeObject<ClusterRole> {
  const groups = [...new Set(REPORTED.map((r) => r.group))].sort();
  return clusterRoleFor(
    owner(APP, o.namespace),
    groups.map((g) => ({
      apiGroups: [g],
      resources: REPORTED.filter((r) => r.group === g).map((r) => r.resource),
      verbs: ['list', 'watch'],
    })),
  );
}

export function clusterRoleBinding(
  o: ResolvedKubeStateMetricsOptions,
): KubeObject<ClusterRoleBinding> {
  return clusterRoleBindingFor(owner(APP, o.namespace));
}

export function deployment(
  o: ResolvedKubeStateMetricsOptions,
): KubeObject<Deployment> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: o.namespace, labels: labels(APP) },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels(APP) },
      template: {
        metadata: { labels: labels(APP) },
        spec: {
          serviceAccountName: NAME,
          securityContext: restrictedPodSecurityContext(UID),
          containers: [
            {
              name: NAME,
              image: KUBE_STATE_METRICS_IMAGE,
              args: [
                `--resources=${REPORTED.map((r) => r.resource).join(',')}`,
                `--port=${PORT}`,
                `--telemetry-port=${TELEMETRY_PORT}`,
              ],
              ports: [
                { name: 'http-metrics', containerPort: PORT, protocol: 'TCP' },
                {
                  name: 'telemetry',
                  containerPort: TELEMETRY_PORT,
                  protocol: 'TCP',
                },
              ],
              readinessProbe: httpProbe('/readyz', 'telemetry'),
              livenessProbe: httpProbe('/livez', 'http-metrics', {
                initialDelaySeconds: 10,
              }),
              resources: containerResources(o.resources),
              securityContext: restrictedContainerSecurityContext(),
            },
          ],
        },
      },
    },
  };
}

/** Optional: only Prometheus may read the metrics. Egress stays open: the API server. */
export function networkPolicy(
  o: ResolvedKubeStateMetricsOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('kubeStateMetrics', APP.version, o.namespace);
}
