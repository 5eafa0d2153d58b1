import {
  type AppIdentity,
  appIdentity,
  clusterRoleBinding as clusterRoleBindingFor,
  clusterRole as clusterRoleFor,
  containerResources,
  dataStatefulSet,
  httpProbe,
  type KubeObject,
  owner,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  STACK,
  selectorLabels,
  serviceAccount as serviceAccountFor,
  service as serviceFor,
  stackNetworkPolicy,
} from '@plgkit/core';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Service, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
} from 'kubernetes-types/rbac/v1.js';
import { CONFIG_DIR, CONFIG_FILE, RULES_DIR } from './config.js';
import type { ResolvedPrometheusOptions } from './options.js';
import { PROMETHEUS_IMAGE, PROMETHEUS_VERSION } from './versions.js';

export const NAME = STACK.prometheus.name;
export const CONFIG_MAP = 'prometheus-config';
export const RULES_CONFIG_MAP = 'prometheus-rules';
export const PORT = STACK.prometheus.ports.web;
const DATA_DIR = '/prometheus';
/** The image's `nobody` user, which owns /prometheus upstream. */
const UID = 65534;

export const APP: AppIdentity = appIdentity(
  STACK.prometheus,
  PROMETHEUS_VERSION,
);

export function serviceAccount(
  o: ResolvedPrometheusOptions,
): KubeObject<ServiceAccount> {
  // Prometheus discovers targets through the API, so it needs its token.
  return serviceAccountFor(owner(APP, o.namespace), true);
}

export function clusterRole(
  o: ResolvedPrometheusOptions,
): KubeObject<ClusterRole> {
  return clusterRoleFor(owner(APP, o.namespace), [
    // nodes/metrics: the kubelet authorizes /metrics and /metrics/cadvisor against it; without it scrapes are 403.
    {
      apiGroups: [''],
      resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['discovery.k8s.io'],
      resources: ['endpointslices'],
      verbs: ['get', 'list', 'watch'],
    },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ]);
}

export function clusterRoleBinding(
  o: ResolvedPrometheusOptions,
): KubeObject<ClusterRoleBinding> {
  return clusterRoleBindingFor(owner(APP, o.namespace));
}

export function service(o: ResolvedPrometheusOptions): KubeObject<Service> {
  return serviceFor(owner(APP, o.namespace), selectorLabels(APP), [
    { name: 'web', port: PORT, targetPort: 'web', protocol: 'TCP' },
  ]);
}

export function statefulSet(
  o: ResolvedPrometheusOptions,
): KubeObject<StatefulSet> {
  return dataStatefulSet(
    APP,
    o.namespace,
    {
      spec: {
        serviceAccountName: NAME,
        securityContext: restrictedPodSecurityContext(UID),
        // Long enough to flush the head block and WAL on shutdown.
        terminationGracePeriodSeconds: 120,
        containers: [
          {
            name: NAME,
            image: PROMETHEUS_IMAGE,
            args: [
              `--config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
              `--storage.tsdb.path=${DATA_DIR}`,
              `--storage.tsdb.retention.time=${o.retention}`,
              `--storage.tsdb.retention.size=${o.retentionSize}`,
            ],
            ports: [{ name: 'web', containerPort: PORT, protocol: 'TCP' }],
            readinessProbe: httpProbe('/-/ready', 'web'),
            livenessProbe: httpProbe('/-/healthy', 'web', {
              failureThreshold: 6,
            }),
            // Replaying a large WAL can take minutes; don't let liveness kill it meanwhile.
            startupProbe: httpProbe('/-/ready', 'web', {
              periodSeconds: 5,
              failureThreshold: 120,
            }),
            resources: containerResources(o.resources),
            securityContext: restrictedContainerSecurityContext(),
            volumeMounts: [
              { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
              { name: 'rules', mountPath: RULES_DIR, readOnly: true },
              { name: 'data', mountPath: DATA_DIR },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: CONFIG_MAP } },
          { name: 'rules', configMap: { name: RULES_CONFIG_MAP } },
        ],
      },
    },
    o.storageSize,
  );
}

/** Optional: only Grafana may query Prometheus (Prometheus scrapes itself over localhost). Egress stays open for scrapes. */
export function networkPolicy(
  o: ResolvedPrometheusOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('prometheus', APP.version, o.namespace);
}
