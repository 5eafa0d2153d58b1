// The node's config files as typed values, serialized once: containerd, the bridge CNI, the kubelet, kube-proxy.
import { join } from 'node:path';
import { stringify as toToml } from 'smol-toml';
import { stringify as toYaml } from 'yaml';
import { RUN_DIR, STATE_DIR } from '../../support/paths.js';
import { PAUSE_IMAGE } from '../../support/versions.js';
import { MANIFESTS_DIR, pki } from './kubeadm.js';
import {
  BRIDGE,
  CLUSTER_DNS_IP,
  CLUSTER_DOMAIN,
  NODE_NAME,
  NODE_POD_CIDR,
  type NodeRuntime,
  POD_CIDR,
  PORTS,
} from './topology.js';

export const CONTAINERD_SOCKET = join(RUN_DIR, 'containerd.sock');
/** The kubelet's CRI socket: containerd's own, or cri-dockerd's in front of dockerd. */
export const CRI_SOCKETS: Readonly<Record<NodeRuntime, string>> = {
  containerd: CONTAINERD_SOCKET,
  docker: join(RUN_DIR, 'cri-dockerd.sock'),
};
export const CNI_CONF_DIR = join(STATE_DIR, 'cni', 'net.d');
export const CNI_BIN_DIR = '/usr/lib/cni';
export const KUBELET_DIR = join(STATE_DIR, 'kubelet');
export const LOCAL_PATH_DIR = join(STATE_DIR, 'local-path');
export const REGISTRY_HOSTS_DIR = join(STATE_DIR, 'containerd-hosts');
export const REGISTRIES = [
  'docker.io',
  'quay.io',
  'registry.k8s.io',
  'ghcr.io',
  'gcr.io',
] as const;

/** containerd's hosts.toml for one registry: its server is a closed port on loopback. */
export function registryHostsToml(): string {
  return toToml({ server: 'http://127.0.0.1:1' });
}

/**
 * containerd's config. A containerd node runs containerd 2.x (built here at the version minikube v1.39 ships) with its
 * CRI plugin serving the kubelet, in the version 3 schema (docs/cri/config.md). A docker node runs Debian's
 * containerd 1.6 under dockerd, as docker's packages ship it: the version 2 schema, with the CRI plugin off.
 */
export function containerdConfig(runtime: NodeRuntime): string {
  const base = {
    root: join(STATE_DIR, 'containerd'),
    state: join(RUN_DIR, 'containerd'),
    grpc: { address: CONTAINERD_SOCKET },
  };
  if (runtime === 'docker')
    return toToml({
      version: 2,
      ...base,
      disabled_plugins: ['io.containerd.grpc.v1.cri'],
    });
  return toToml({
    version: 3,
    ...base,
    plugins: {
      'io.containerd.cri.v1.images': {
        snapshotter: 'overlayfs',
        pinned_images: { sandbox: PAUSE_IMAGE },
        // Nothing can be pulled here; every registry points at a closed local port, so a missing image fails at
        // once (ErrImagePull) and no request leaves the machine.
        registry: { config_path: REGISTRY_HOSTS_DIR },
      },
      'io.containerd.cri.v1.runtime': {
        // This sandbox lacks CAP_SYS_RESOURCE: without this, runc fails with "can't get final child's PID from pipe".
        restrict_oom_score_adj: true,
        containerd: {
          default_runtime_name: 'runc',
          runtimes: {
            runc: {
              runtime_type: 'io.containerd.runc.v2',
              options: { SystemdCgroup: false },
            },
          },
        },
        cni: { bin_dirs: [CNI_BIN_DIR], conf_dir: CNI_CONF_DIR },
      },
    },
  });
}

/** A bridge with host-local IPAM: one node, one subnet. No masquerade: nothing outside this machine is reached. */
export function cniConfig(): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'plgkit-e2e',
      plugins: [
        {
          type: 'bridge',
          bridge: BRIDGE,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: NODE_POD_CIDR }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: join(STATE_DIR, 'cni', 'ipam'),
          },
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The kubelet as kubeadm configures it: webhook authentication and authorization, so `nodes/metrics` is enforced.
 * Its webhook caches keep their defaults, as on kubeadm and minikube nodes (where the configured `0s` also means
 * the default): an allowed request is remembered for 5 minutes, a denied one for 30 seconds.
 */
export function kubeletConfig(nodeIp: string, runtime: NodeRuntime): string {
  return toYaml({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: nodeIp,
    port: PORTS.kubelet,
    healthzBindAddress: '127.0.0.1',
    healthzPort: PORTS.kubeletHealthz,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: pki('ca.crt') },
    },
    authorization: { mode: 'Webhook' },
    cgroupDriver: 'cgroupfs',
    // This machine, like many minikube VMs and CI runners, still has cgroup v1; 1.35+ refuses it unless told.
    failCgroupV1: false,
    clusterDNS: [CLUSTER_DNS_IP],
    clusterDomain: CLUSTER_DOMAIN,
    containerRuntimeEndpoint: `unix://${CRI_SOCKETS[runtime]}`,
    failSwapOn: false,
    // Pods resolve through CoreDNS only: the host's resolver is outside this machine.
    resolvConf: join(STATE_DIR, 'resolv.conf'),
    // The control plane, as kubeadm runs it: static pods the kubelet starts before the API server exists.
    staticPodPath: MANIFESTS_DIR,
    rotateCertificates: false,
    // Images are built here and cannot be pulled again: never garbage-collect them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: {
      'memory.available': '100Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
  });
}

export function kubeletArgs(
  config: string,
  kubeconfig: string,
  nodeIp: string,
  runtime: NodeRuntime,
): string[] {
  return [
    `--config=${config}`,
    `--kubeconfig=${kubeconfig}`,
    `--root-dir=${KUBELET_DIR}`,
    `--cert-dir=${join(KUBELET_DIR, 'pki')}`,
    `--node-ip=${nodeIp}`,
    `--hostname-override=${NODE_NAME}`,
    // The kubelet's cAdvisor finds containers through containerd's own socket, not the CRI endpoint: at any other
    // path than /run/containerd/containerd.sock it sees bare cgroups, and every container series has empty
    // container, pod and namespace labels. The flag is deprecated but still the only way. A docker node gets none,
    // as on minikube: the kubelet's cAdvisor has no docker support any more, so its labels are empty there.
    ...(runtime === 'containerd' ? [`--containerd=${CONTAINERD_SOCKET}`] : []),
    '--v=1',
  ];
}

export function kubeProxyConfig(kubeconfig: string): string {
  return toYaml({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig },
    clusterCIDR: POD_CIDR,
    hostnameOverride: NODE_NAME,
    metricsBindAddress: `127.0.0.1:${PORTS.kubeProxyMetrics}`,
    healthzBindAddress: `127.0.0.1:${PORTS.kubeProxyHealthz}`,
    // Leave the host's conntrack and route_localnet settings alone.
    conntrack: {
      maxPerCore: 0,
      min: 0,
      tcpEstablishedTimeout: '0s',
      tcpCloseWaitTimeout: '0s',
    },
    iptables: { localhostNodePorts: false },
  });
}
