import {
  type AppIdentity,
  appIdentity,
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
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { ResolvedNodeExporterOptions } from './options.js';
import { NODE_EXPORTER_IMAGE, NODE_EXPORTER_VERSION } from './versions.js';

export const NAME = STACK.nodeExporter.name;
export const PORT = STACK.nodeExporter.ports.metrics;
/** The image's `nobody` user: reading /proc, /sys and filesystem sizes needs no privilege. */
const UID = 65534;

export const APP: AppIdentity = appIdentity(
  STACK.nodeExporter,
  NODE_EXPORTER_VERSION,
);

/** Host paths, mounted read-only under /host so the exporter sees the node, not its container. */
const HOST_MOUNTS = [
  { name: 'proc', host: '/proc', path: '/host/proc' },
  { name: 'sys', host: '/sys', path: '/host/sys' },
  { name: 'root', host: '/', path: '/host/root' },
] as const;

export function serviceAccount(
  o: ResolvedNodeExporterOptions,
): KubeObject<ServiceAccount> {
  // node-exporter never calls the Kubernetes API.
  return serviceAccountFor(owner(APP, o.namespace), false);
}

export function daemonSet(
  o: ResolvedNodeExporterOptions,
): KubeObject<DaemonSet> {
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
        metadata: { labels: labels(APP) },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: false,
          tolerations: [{ operator: 'Exists' }],
          securityContext: restrictedPodSecurityContext(UID),
          containers: [
            {
              name: NAME,
              image: NODE_EXPORTER_IMAGE,
              args: [
                '--path.procfs=/host/proc',
                '--path.sysfs=/host/sys',
                '--path.rootfs=/host/root',
                `--web.listen-address=:${PORT}`,
                // Container and kubelet mounts would add a filesystem series per pod volume.
                '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+)($|/)',
              ],
              ports: [
                { name: 'metrics', containerPort: PORT, protocol: 'TCP' },
              ],
              readinessProbe: httpProbe('/', 'metrics'),
              livenessProbe: httpProbe('/', 'metrics', {
                initialDelaySeconds: 10,
                failureThreshold: 6,
              }),
              resources: containerResources(o.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: HOST_MOUNTS.map((m) => ({
                name: m.name,
                mountPath: m.path,
                readOnly: true,
                ...(m.name === 'root'
                  ? { mountPropagation: 'HostToContainer' }
                  : {}),
              })),
            },
          ],
          volumes: HOST_MOUNTS.map((m) => ({
            name: m.name,
            hostPath: { path: m.host },
          })),
        },
      },
    },
  };
}

/** Optional: only Prometheus may read the metrics. */
export function networkPolicy(
  o: ResolvedNodeExporterOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('nodeExporter', APP.version, o.namespace);
}
