// The one-node cluster's fixed shape: names, labels, ranges and ports, as kubeadm and minikube lay them out.
import { networkInterfaces } from 'node:os';
import { HarnessError } from '../../support/exec.js';

/** The node's container runtime: containerd (minikube v1.39's default) or docker through cri-dockerd (`--container-runtime=docker`). */
export type NodeRuntime = 'containerd' | 'docker';
export const NODE_RUNTIMES: readonly NodeRuntime[] = ['containerd', 'docker'];

export const CLUSTER_NAME = 'plgkit-e2e';
/** The node's name, as `minikube start` names its first node. */
export const NODE_NAME = 'minikube';
/** minikube's release whose node the e2e node stands for. */
export const MINIKUBE_VERSION = 'v1.39.0';

/**
 * The labels minikube puts on its first node (`kubectl describe node minikube` on v1.39.0). `updated_at` is the time
 * of the last `minikube start`, in Go's `2006_01_02T15_04_05_0700` layout, rewritten at every start.
 */
export function minikubeLabels(now = new Date()): Record<string, string> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const updatedAt = `${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}T${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}_0000`;
  return {
    'minikube.k8s.io/name': 'minikube',
    'minikube.k8s.io/primary': 'true',
    'minikube.k8s.io/version': MINIKUBE_VERSION,
    'minikube.k8s.io/commit': '7a9f6a841470a207de8cf4bafcccee0969d8ba10',
    'minikube.k8s.io/updated_at': updatedAt,
  };
}
export const SERVICE_CIDR = '10.96.0.0/12';
export const CLUSTER_DNS_IP = '10.96.0.10';
export const POD_CIDR = '10.244.0.0/16';
/** The node's share of POD_CIDR, handed out by the bridge CNI's host-local IPAM. */
export const NODE_POD_CIDR = '10.244.0.0/24';
export const CLUSTER_DOMAIN = 'cluster.local';
export const BRIDGE = 'plgkit0';

/** Every port the cluster's host processes listen on; `up` refuses to start if one is taken. */
export const PORTS = {
  apiserver: 6443,
  etcdClient: 2379,
  etcdPeer: 2380,
  etcdMetrics: 2381,
  kubelet: 10250,
  kubeletHealthz: 10248,
  scheduler: 10259,
  controllerManager: 10257,
  kubeProxyMetrics: 10249,
  kubeProxyHealthz: 10256,
} as const;

/**
 * The node's IP: the machine's own non-loopback IPv4 address. The API server's endpoint reconciler rejects
 * loopback, and pods must reach the node at an address that is not their own loopback.
 */
export function nodeIp(): string {
  const override = process.env.PLGKIT_E2E_NODE_IP;
  if (override) return override;
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (name === BRIDGE || name.startsWith('veth')) continue;
    const v4 = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  throw new HarnessError(
    'this machine has no non-loopback IPv4 address for the node: set PLGKIT_E2E_NODE_IP to one of its addresses',
  );
}
