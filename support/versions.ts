// What the e2e cluster runs. The stack's own images come from each package's versions.ts, the one source of truth;
// the cluster's components are pinned here, once.

import {
  ALERTMANAGER_IMAGE,
  ALERTMANAGER_VERSION,
} from '../packages/alertmanager/src/versions.js';
import { ALLOY_IMAGE, ALLOY_VERSION } from '../packages/alloy/src/versions.js';
import { GRAFANA_IMAGE } from '../packages/grafana/src/versions.js';
import {
  KUBE_STATE_METRICS_IMAGE,
  KUBE_STATE_METRICS_VERSION,
} from '../packages/kube-state-metrics/src/versions.js';
import { LOKI_IMAGE, LOKI_VERSION } from '../packages/loki/src/versions.js';
import {
  NODE_EXPORTER_IMAGE,
  NODE_EXPORTER_VERSION,
} from '../packages/node-exporter/src/versions.js';
import {
  PROMETHEUS_IMAGE,
  PROMETHEUS_VERSION,
} from '../packages/prometheus/src/versions.js';
import {
  PROMTAIL_IMAGE,
  PROMTAIL_VERSION,
} from '../packages/promtail/src/versions.js';

/** Upstream Kubernetes; its staging modules (k8s.io/api, …) are pinned to the matching v0.MINOR.PATCH. */
export const KUBERNETES_VERSION = 'v1.36.1';
/** etcd as kubeadm 1.36 pairs it (DefaultEtcdVersion in cmd/kubeadm/app/constants). */
export const ETCD_VERSION = 'v3.6.8';
/** The control plane's images, named as `kubeadm init` names them on registry.k8s.io (cmd/kubeadm/app/images). */
export const CONTROL_PLANE_IMAGES = {
  etcd: `registry.k8s.io/etcd:${ETCD_VERSION.replace(/^v/, '')}-0`,
  'kube-apiserver': `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
  'kube-controller-manager': `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
  'kube-scheduler': `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
} as const;
export type ControlPlaneComponent = keyof typeof CONTROL_PLANE_IMAGES;
/** Cluster DNS, as minikube and kubeadm deploy it. */
export const COREDNS_VERSION = 'v1.12.4';
export const COREDNS_IMAGE = `registry.k8s.io/coredns/coredns:${COREDNS_VERSION}`;
/** The dynamic provisioner behind the default StorageClass, like minikube's storage-provisioner. */
export const LOCAL_PATH_VERSION = 'v0.0.30';
export const LOCAL_PATH_IMAGE = `docker.io/rancher/local-path-provisioner:${LOCAL_PATH_VERSION}`;
/** local-path-provisioner's helper pods run busybox; Debian's busybox-static stands in for the image. */
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:1.36';
/** The docker runtime's CRI shim, as minikube v1.39 ships it for `--container-runtime=docker`. */
export const CRI_DOCKERD_VERSION = 'v0.4.3';
/**
 * The NetworkPolicy enforcer of the e2e cluster (its firewall only), as a minikube user gets one with a CNI that
 * enforces policies. The only version the module proxy serves here; upstream reports security flaws in it, and it runs
 * only inside the throwaway e2e cluster.
 */
export const KUBE_ROUTER_VERSION = 'v2.1.0';
/**
 * The containerd node's runtime, as minikube v1.39 ships it (its default runtime since that release). Kubernetes 1.35
 * was the last release to support containerd 1.x, which is what Debian 12 packages.
 */
export const CONTAINERD_VERSION = 'v2.3.4';
/** The kubelet's sandbox image; a 15-line static C pause, as kubernetes/build/pause is. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

export const STACK = {
  prometheus: { version: PROMETHEUS_VERSION, image: PROMETHEUS_IMAGE },
  alertmanager: { version: ALERTMANAGER_VERSION, image: ALERTMANAGER_IMAGE },
  loki: { version: LOKI_VERSION, image: LOKI_IMAGE },
  promtail: { version: PROMTAIL_VERSION, image: PROMTAIL_IMAGE },
  alloy: { version: ALLOY_VERSION, image: ALLOY_IMAGE },
  nodeExporter: { version: NODE_EXPORTER_VERSION, image: NODE_EXPORTER_IMAGE },
  kubeStateMetrics: {
    version: KUBE_STATE_METRICS_VERSION,
    image: KUBE_STATE_METRICS_IMAGE,
  },
  /** Grafana's server is on neither the Go module proxy nor Debian: its pod stays in ErrImagePull here. */
  grafana: { image: GRAFANA_IMAGE },
} as const;

/** "v3.5.0" → "3.5.0". */
export function bare(version: string): string {
  return version.replace(/^v/, '');
}

/** Prometheus 3.MM.P is the Go module version v0.3MM.P. */
export function prometheusModuleVersion(version: string): string {
  const [major, minor, patch] = bare(version).split('.').map(Number);
  if (major !== 3 || minor === undefined || patch === undefined)
    throw new Error(`cannot map Prometheus ${version} to a Go module version`);
  return `v0.${300 + minor}.${patch}`;
}
