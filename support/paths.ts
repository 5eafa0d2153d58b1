import { homedir } from 'node:os';
import { join } from 'node:path';

/** Built binaries, images and Go caches: outside the repo, kept between runs (like setup-envtest's assets). */
export const CACHE_DIR =
  process.env.PLGKIT_E2E_CACHE ?? join(homedir(), '.cache', 'plgkit-e2e');
/** Existing binaries to use instead of building (like envtest's KUBEBUILDER_ASSETS): one file per binary name. */
export const BIN_OVERRIDE = process.env.PLGKIT_E2E_BIN;
/** Everything a running cluster owns on disk; `down` removes it. */
export const STATE_DIR = process.env.PLGKIT_E2E_STATE ?? '/var/lib/plgkit-e2e';
/** Sockets and pid files. */
export const RUN_DIR = '/run/plgkit-e2e';
/** The kubelet writes container logs here, as on minikube; the collectors read the same host path. */
export const POD_LOG_DIR = '/var/log/pods';
export const CONTAINER_LOG_DIR = '/var/log/containers';

export const GO_CACHE = join(CACHE_DIR, 'go');
export const BIN_CACHE = join(CACHE_DIR, 'bin');
export const IMAGE_CACHE = join(CACHE_DIR, 'images');
export const LOG_CACHE = join(CACHE_DIR, 'logs');

/** The admin kubeconfig (system:masters) of the running cluster. */
export const KUBECONFIG = join(STATE_DIR, 'kubeconfig');

/** Set (by e2e/vitest.suites.config.ts) to the kubeconfig of a cluster the harness did not make. */
export const OUTSIDE_KUBECONFIG_ENV = 'PLGKIT_E2E_OUTSIDE_KUBECONFIG';

/** kubectl's own default kubeconfig, as a user's kubectl reads it. */
export function defaultKubeconfig(): string {
  return (
    process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config')
  );
}

export const NETNS_DIR = '/run/netns';
/**
 * Host directories the node writes into; created by `up`, the kubelet or the CNI, removed by `down` if they were not
 * there. The kubelet's device manager keeps its socket in /var/lib/kubelet/device-plugins whatever its root
 * directory, and libcni caches results in /var/lib/cni, which containerd's CRI plugin cannot move.
 */
export const HOST_PATHS = [
  STATE_DIR,
  RUN_DIR,
  POD_LOG_DIR,
  CONTAINER_LOG_DIR,
  NETNS_DIR,
  '/var/lib/kubelet',
  '/var/lib/cni',
] as const;
