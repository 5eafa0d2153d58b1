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
import type {
  Service,
  ServiceAccount,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { CONFIG_DIR, CONFIG_FILE, RECEIVER_DIR } from './config.js';
import type { ResolvedAlertmanagerOptions } from './options.js';
import { ALERTMANAGER_IMAGE, ALERTMANAGER_VERSION } from './versions.js';

export const NAME = STACK.alertmanager.name;
export const CONFIG_MAP = 'alertmanager-config';
export const PORT = STACK.alertmanager.ports.web;
/** Silences and the notification log (upstream's image: VOLUME /alertmanager). */
const DATA_DIR = '/alertmanager';
/** The volume of the receiver's Secret, which `--alert-secret` and the receiver Components name. */
export const RECEIVER_VOLUME = 'receiver';
/** The image's `nobody` user, which owns /alertmanager upstream. */
const UID = 65534;

export const APP: AppIdentity = appIdentity(
  STACK.alertmanager,
  ALERTMANAGER_VERSION,
);

export function serviceAccount(
  o: ResolvedAlertmanagerOptions,
): KubeObject<ServiceAccount> {
  // Alertmanager never calls the Kubernetes API.
  return serviceAccountFor(owner(APP, o.namespace), false);
}

export function service(o: ResolvedAlertmanagerOptions): KubeObject<Service> {
  return serviceFor(owner(APP, o.namespace), selectorLabels(APP), [
    { name: 'web', port: PORT, targetPort: 'web', protocol: 'TCP' },
  ]);
}

/** The receiver's Secret, mounted only when a receiver reads it: a missing Secret then holds the pod, and says so. */
function receiverVolume(o: ResolvedAlertmanagerOptions): {
  volumes: Volume[];
  mounts: VolumeMount[];
} {
  if (o.receiver === 'none') return { volumes: [], mounts: [] };
  return {
    volumes: [
      { name: RECEIVER_VOLUME, secret: { secretName: o.receiverSecret } },
    ],
    mounts: [
      { name: RECEIVER_VOLUME, mountPath: RECEIVER_DIR, readOnly: true },
    ],
  };
}

export function statefulSet(
  o: ResolvedAlertmanagerOptions,
): KubeObject<StatefulSet> {
  const receiver = receiverVolume(o);
  // One replica: silences and the notification log live on its volume. Replicas would gossip them
  // (--cluster.peer), and Prometheus would have to send to each.
  return dataStatefulSet(
    APP,
    o.namespace,
    {
      spec: {
        serviceAccountName: NAME,
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(UID),
        containers: [
          {
            name: NAME,
            image: ALERTMANAGER_IMAGE,
            args: [
              `--config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
              `--storage.path=${DATA_DIR}`,
              `--data.retention=${o.retention}`,
              // No gossip: one replica has no peer, and the cluster listener would open port 9094 for nothing.
              '--cluster.listen-address=',
            ],
            ports: [{ name: 'web', containerPort: PORT, protocol: 'TCP' }],
            readinessProbe: httpProbe('/-/ready', 'web'),
            livenessProbe: httpProbe('/-/healthy', 'web'),
            resources: containerResources(o.resources),
            securityContext: restrictedContainerSecurityContext(),
            volumeMounts: [
              { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
              { name: 'data', mountPath: DATA_DIR },
              ...receiver.mounts,
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: CONFIG_MAP } },
          ...receiver.volumes,
        ],
      },
    },
    o.storageSize,
  );
}

/** Optional: only Prometheus (alerts, scrapes) and Grafana (its Alerting pages) may reach Alertmanager. */
export function networkPolicy(
  o: ResolvedAlertmanagerOptions,
): KubeObject<NetworkPolicy> {
  return stackNetworkPolicy('alertmanager', APP.version, o.namespace);
}
