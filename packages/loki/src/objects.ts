import {
  type AppIdentity,
  appIdentity,
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
import {
  CONFIG_DIR,
  CONFIG_FILE,
  DATA_DIR,
  GRPC_PORT,
  HTTP_PORT,
} from './config.js';
import type { ResolvedLokiOptions } from './options.js';
import { LOKI_IMAGE, LOKI_VERSION } from './versions.js';

export const NAME = STACK.loki.name;
export const CONFIG_MAP = 'loki-config';
/** The image's `loki` user. */
const UID = 10001;

export const APP: AppIdentity = appIdentity(STACK.loki, LOKI_VERSION);

export function serviceAccount(
  o: ResolvedLokiOptions,
): KubeObject<ServiceAccount> {
  // Loki never calls the Kubernetes API.
  return serviceAccountFor(owner(APP, o.namespace), false);
}

export function service(o: ResolvedLokiOptions): KubeObject<Service> {
  return serviceFor(owner(APP, o.namespace), selectorLabels(APP), [
    { name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' },
    { name: 'grpc', port: GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' },
  ]);
}

export function statefulSet(o: ResolvedLokiOptions): KubeObject<StatefulSet> {
  return dataStatefulSet(
    APP,
    o.namespace,
    {
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(HTTP_PORT),
      },
      spec: {
        serviceAccountName: NAME,
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(UID),
        // Time for the ingester to flush its in-memory chunks to the volume.
        terminationGracePeriodSeconds: 60,
        containers: [
          {
            name: NAME,
            image: LOKI_IMAGE,
            args: [`-config.file=${CONFIG_DIR}/${CONFIG_FILE}`, '-target=all'],
            ports: [
              { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
              { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
            ],
            readinessProbe: httpProbe('/ready', 'http', {
              initialDelaySeconds: 15,
            }),
            // /ready stays false while the ingester joins its ring; liveness only asks whether the server answers.
            livenessProbe: {
              tcpSocket: { port: 'http' },
              initialDelaySeconds: 30,
              periodSeconds: 10,
              failureThreshold: 6,
            },
            resources: containerResources(o.resources),
            // Go's soft memory limit from the container's own limit, in bytes, whatever an overlay sets it to: the
            // runtime collects harder as it nears the limit instead of growing past it. The Downward API cannot
            // take 90% of it, so the WAL replay ceiling (loki.yaml) is what keeps a restart well below the limit.
            // Prometheus 3 sets its own (--auto-gomemlimit, 90% of the cgroup's limit); Loki does not.
            env: [
              {
                name: 'GOMEMLIMIT',
                valueFrom: {
                  resourceFieldRef: { resource: 'limits.memory' },
                },
              },
            ],
            securityContext: restrictedContainerSecurityContext(),
            volumeMounts: [
              { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
              { name: 'data', mountPath: DATA_DIR },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: CONFIG_MAP } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    },
    o.storageSize,
  );
}

/**
 * Optional: Promtail pushes and Grafana queries on the http port; Prometheus may read /metrics there too. gRPC
 * (9095) stays closed: the single binary talks to itself only. Loki itself only needs DNS.
 */
export function networkPolicy(
  o: ResolvedLokiOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('loki', APP.version, o.namespace);
}
