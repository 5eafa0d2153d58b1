// What every plgkit log collector (Promtail, Alloy) shares: the runtimes it reads, where their files are on the node,
// and the mount a docker node needs.
import type { KubePatch } from './kube.js';

/**
 * The container runtime of the nodes, which decides where log files really are and their format. `auto` reads
 * each container's runtime from its ID (`docker://…`, `containerd://…`, `cri-o://…`), so one overlay fits both
 * minikube defaults: docker before v1.39, containerd since.
 */
export type Runtime = 'docker' | 'containerd' | 'auto';
export const RUNTIMES: readonly Runtime[] = ['docker', 'containerd', 'auto'];

/** Where the kubelet writes (or links) every container's log, per pod: `<ns>_<pod>_<uid>/<container>/<n>.log`. */
export const POD_LOGS_DIR = '/var/log/pods';
/** With docker (cri-dockerd), the files in /var/log/pods are symlinks into here. */
export const DOCKER_CONTAINERS_DIR = '/var/lib/docker/containers';
/** With `auto`: the runtime named by the container ID's scheme, kept as a label only while the pipeline runs. */
export const RUNTIME_LABEL = 'container_runtime';

/**
 * With docker, /var/log/pods holds symlinks into /var/lib/docker/containers: without this mount the collector
 * follows links into nothing and ships no lines. Mounted at the same path so the links resolve. `Directory` requires
 * it (a docker node); `DirectoryOrCreate` lets the pod start where it is missing (a containerd node, with `auto`).
 */
export function dockerContainersPatch(
  daemonSet: string,
  type: 'Directory' | 'DirectoryOrCreate' = 'Directory',
): KubePatch {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: daemonSet },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: daemonSet,
              volumeMounts: [
                {
                  name: 'docker-containers',
                  mountPath: DOCKER_CONTAINERS_DIR,
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            {
              name: 'docker-containers',
              hostPath: { path: DOCKER_CONTAINERS_DIR, type },
            },
          ],
        },
      },
    },
  };
}
