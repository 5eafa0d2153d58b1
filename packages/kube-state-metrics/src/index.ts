import type { Base, PackageOutput } from '@plgkit/core';
import {
  clusterRole,
  clusterRoleBinding,
  deployment,
  networkPolicy,
  serviceAccount,
} from './objects.js';
import {
  type KubeStateMetricsOptions,
  kubeStateMetricsOptionsSchema,
  resolveKubeStateMetricsOptions,
} from './options.js';

/** The kube-state-metrics kustomize base, with read-only RBAC on exactly the objects it reports. */
export function kubeStateMetricsBase(options?: KubeStateMetricsOptions): Base {
  const o = resolveKubeStateMetricsOptions(options);
  return {
    namespace: o.namespace,
    resources: [
      serviceAccount(o),
      clusterRole(o),
      clusterRoleBinding(o),
      deployment(o),
    ],
  };
}

/** What `emit.ts` writes into this package: the default base, the optional NetworkPolicy Component, the options schema. */
export function kubeStateMetricsOutput(
  options?: KubeStateMetricsOptions,
): PackageOutput {
  return {
    base: kubeStateMetricsBase(options),
    components: {
      'network-policy': {
        resources: [networkPolicy(resolveKubeStateMetricsOptions(options))],
      },
    },
    optionsSchema: kubeStateMetricsOptionsSchema,
  };
}

export { APP, NAME, PORT, REPORTED } from './objects.js';
export {
  DEFAULTS,
  type KubeStateMetricsOptions,
  kubeStateMetricsOptionsSchema,
  type ResolvedKubeStateMetricsOptions,
  resolveKubeStateMetricsOptions,
} from './options.js';
export {
  KUBE_STATE_METRICS_IMAGE,
  KUBE_STATE_METRICS_VERSION,
} from './versions.js';
