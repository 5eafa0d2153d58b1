// The docker runtime of a node, as `minikube start --container-runtime=docker` runs it: dockerd (on a containerd
// the harness starts, as minikube's dockerd uses the VM's system containerd) and cri-dockerd as the kubelet's CRI.
// Pods' logs are docker's json-file logs under /var/lib/docker/containers, which /var/log/pods links to: the
// seed's "logs found but empty" setup, for real.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCKER_CONTAINERS_DIR } from '@plgkit/core';
import { HarnessError, run, succeeds } from '../../support/exec.js';
import { IMAGE_CACHE, RUN_DIR, STATE_DIR } from '../../support/paths.js';
import { PAUSE_IMAGE } from '../../support/versions.js';
import { startDaemon, tail, waitUntil } from './daemons.js';
import {
  CNI_BIN_DIR,
  CNI_CONF_DIR,
  CONTAINERD_SOCKET,
  CRI_SOCKETS,
} from './node-config.js';
import type { ClusterRecord } from './state.js';

/** docker.io's own dockerd and client; /usr/local/bin may hold a newer client that talks another API version. */
const DOCKERD = '/usr/sbin/dockerd';
const DOCKER = '/usr/bin/docker';
/** docker's data root must be the default: the collectors read /var/lib/docker/containers, where its logs live. */
export const DOCKER_DATA_ROOT = join(DOCKER_CONTAINERS_DIR, '..');
/** dockerd 20.10 writes its trust key beside /etc/docker/daemon.json whatever its config file is. */
export const DOCKER_TRUST_KEY = '/etc/docker/key.json';
export const DOCKER_SOCKET = join(RUN_DIR, 'docker.sock');
const CRI_DOCKERD_SOCKET = CRI_SOCKETS.docker;
const RUNC_WRAPPER_SOURCE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'images',
  'runc-oom-clamp.go',
);
const RUNC_WRAPPER_RUNTIME = 'runc-oom-clamp';

/** dockerd's daemon.json (docs.docker.com/reference/cli/dockerd/#daemon-configuration-file), as minikube sets it. */
export function dockerdConfig(runcWrapper: string): Record<string, unknown> {
  return {
    'data-root': DOCKER_DATA_ROOT,
    'exec-root': join(RUN_DIR, 'docker'),
    pidfile: join(RUN_DIR, 'docker.pid'),
    hosts: [`unix://${DOCKER_SOCKET}`],
    containerd: CONTAINERD_SOCKET,
    'storage-driver': 'overlay2',
    // minikube's docker runtime uses cgroupfs unless the kubelet is told systemd; the kubelet here uses cgroupfs.
    'exec-opts': ['native.cgroupdriver=cgroupfs'],
    'log-driver': 'json-file',
    'log-opts': { 'max-size': '100m' },
    // Pods get their network from the CNI through cri-dockerd: no docker0 bridge, no NAT rules, no sysctl changes.
    bridge: 'none',
    iptables: false,
    'ip-forward': false,
    'ip-masq': false,
    // This sandbox cannot lower OOM scores (no CAP_SYS_RESOURCE): keep dockerd's own, and clamp the containers'.
    'oom-score-adjust': 0,
    runtimes: { [RUNC_WRAPPER_RUNTIME]: { path: runcWrapper } },
    'default-runtime': RUNC_WRAPPER_RUNTIME,
  };
}

/** cri-dockerd with minikube's flags (pkg/minikube/cruntime/docker.go), its state and sockets in the harness's directories. */
export function criDockerdArgs(): string[] {
  return [
    `--container-runtime-endpoint=unix://${CRI_DOCKERD_SOCKET}`,
    `--docker-endpoint=unix://${DOCKER_SOCKET}`,
    `--cri-dockerd-root-directory=${join(STATE_DIR, 'cri-dockerd')}`,
    '--network-plugin=cni',
    `--cni-bin-dir=${CNI_BIN_DIR}`,
    `--cni-conf-dir=${CNI_CONF_DIR}`,
    `--cni-cache-dir=${join(STATE_DIR, 'cni', 'cache')}`,
    '--hairpin-mode=hairpin-veth',
    `--pod-infra-container-image=${PAUSE_IMAGE}`,
    // Exec and port-forward streams on loopback only, on a free port.
    '--streaming-bind-addr=127.0.0.1',
  ];
}

/** The runc wrapper that clamps negative OOM scores (see its source), compiled once into the image cache. */
function runcWrapper(): string {
  const out = join(IMAGE_CACHE, RUNC_WRAPPER_RUNTIME);
  if (!existsSync(out)) {
    mkdirSync(IMAGE_CACHE, { recursive: true });
    run('go', ['build', '-trimpath', '-o', out, RUNC_WRAPPER_SOURCE], {
      cwd: IMAGE_CACHE,
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        GOTOOLCHAIN: 'local',
        GOFLAGS: '',
      },
      hint: `compiling ${RUNC_WRAPPER_SOURCE} failed`,
    });
  }
  return out;
}

export function docker(args: string[], hint?: string): string {
  return run(DOCKER, ['--host', `unix://${DOCKER_SOCKET}`, ...args], { hint });
}

/** Refuses a machine whose docker already owns /var/lib/docker: the node's dockerd must start from an empty one. */
export function requireDockerDataRootFree(): void {
  if (existsSync(join(DOCKER_DATA_ROOT, 'image'))) {
    throw new HarnessError(
      `${DOCKER_DATA_ROOT} belongs to a docker installation on this machine; a docker-runtime e2e node needs it for itself ` +
        `(the collectors read ${DOCKER_CONTAINERS_DIR}). Stop that docker and move ${DOCKER_DATA_ROOT} away, or use the containerd node.`,
    );
  }
}

/** dockerd on the harness's containerd, then cri-dockerd; returns when both answer. */
export async function startDocker(
  record: ClusterRecord,
  criDockerd: string,
): Promise<void> {
  const config = join(STATE_DIR, 'daemon.json');
  writeFileSync(
    config,
    `${JSON.stringify(dockerdConfig(runcWrapper()), null, 2)}\n`,
  );
  const dockerd = startDaemon(record, 'dockerd', DOCKERD, [
    `--config-file=${config}`,
  ]);
  await waitUntil(
    'dockerd',
    60,
    () => succeeds(DOCKER, ['--host', `unix://${DOCKER_SOCKET}`, 'version']),
    () => tail('dockerd'),
    [dockerd],
  );
  const shim = startDaemon(record, 'cri-dockerd', criDockerd, criDockerdArgs());
  await waitUntil(
    'cri-dockerd',
    30,
    () => existsSync(CRI_DOCKERD_SOCKET),
    () => tail('cri-dockerd'),
    [dockerd, shim],
  );
}

/** `docker load` reads the same archives as `ctr images import`: they carry docker's manifest.json too. */
export function loadImages(archives: Iterable<string>): void {
  for (const archive of archives)
    docker(
      ['load', '--quiet', '--input', archive],
      `loading ${archive} into docker failed`,
    );
}

/** Removes every container through docker, so their shims exit and release their mounts. */
export function removeDockerContainers(): void {
  try {
    const ids = docker(['ps', '--all', '--quiet']).split('\n').filter(Boolean);
    if (ids.length > 0) docker(['rm', '--force', '--volumes', ...ids]);
  } catch {
    // dockerd died meanwhile: the leftover sweep finds what is left.
  }
}
