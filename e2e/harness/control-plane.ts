// The control plane's flags, following the static pod manifests `kubeadm init` writes.
import { join } from 'node:path';
import { STATE_DIR } from '../../support/paths.js';
import { type Kubeconfigs, pki } from './pki.js';
import {
  CLUSTER_NAME,
  NODE_NAME,
  POD_CIDR,
  PORTS,
  SERVICE_CIDR,
} from './topology.js';

export function etcdArgs(): string[] {
  const client = `https://127.0.0.1:${PORTS.etcdClient}`;
  const peer = `https://127.0.0.1:${PORTS.etcdPeer}`;
  return [
    `--name=${NODE_NAME}`,
    `--data-dir=${join(STATE_DIR, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${NODE_NAME}=${peer}`,
    `--listen-metrics-urls=http://127.0.0.1:${PORTS.etcdMetrics}`,
    `--cert-file=${pki('etcd/server.crt')}`,
    `--key-file=${pki('etcd/server.key')}`,
    '--client-cert-auth=true',
    `--trusted-ca-file=${pki('etcd/ca.crt')}`,
    `--peer-cert-file=${pki('etcd/peer.crt')}`,
    `--peer-key-file=${pki('etcd/peer.key')}`,
    '--peer-client-cert-auth=true',
    `--peer-trusted-ca-file=${pki('etcd/ca.crt')}`,
    '--snapshot-count=10000',
  ];
}

export function apiserverArgs(nodeIp: string): string[] {
  return [
    // The endpoint reconciler rejects loopback: advertise the node's own address.
    `--advertise-address=${nodeIp}`,
    `--secure-port=${PORTS.apiserver}`,
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    // The default plugins (PodSecurity among them) stay on; kubeadm adds NodeRestriction.
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    `--client-ca-file=${pki('ca.crt')}`,
    `--tls-cert-file=${pki('apiserver.crt')}`,
    `--tls-private-key-file=${pki('apiserver.key')}`,
    `--etcd-servers=https://127.0.0.1:${PORTS.etcdClient}`,
    `--etcd-cafile=${pki('etcd/ca.crt')}`,
    `--etcd-certfile=${pki('apiserver-etcd-client.crt')}`,
    `--etcd-keyfile=${pki('apiserver-etcd-client.key')}`,
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    // So that `kubectl logs` and `exec` reach the kubelet at the node IP.
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
    `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
    '--requestheader-allowed-names=front-proxy-client',
    `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki('sa.pub')}`,
    `--service-account-signing-key-file=${pki('sa.key')}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
  ];
}

export function controllerManagerArgs(k: Kubeconfigs): string[] {
  return [
    `--kubeconfig=${k.controllerManager}`,
    `--authentication-kubeconfig=${k.controllerManager}`,
    `--authorization-kubeconfig=${k.controllerManager}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${PORTS.controllerManager}`,
    `--client-ca-file=${pki('ca.crt')}`,
    `--cluster-name=${CLUSTER_NAME}`,
    `--cluster-signing-cert-file=${pki('ca.crt')}`,
    `--cluster-signing-key-file=${pki('ca.key')}`,
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--leader-elect=false',
    `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
    `--root-ca-file=${pki('ca.crt')}`,
    `--service-account-private-key-file=${pki('sa.key')}`,
    '--use-service-account-credentials=true',
    '--allocate-node-cidrs=true',
    `--cluster-cidr=${POD_CIDR}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
  ];
}

export function schedulerArgs(k: Kubeconfigs): string[] {
  return [
    `--kubeconfig=${k.scheduler}`,
    `--authentication-kubeconfig=${k.scheduler}`,
    `--authorization-kubeconfig=${k.scheduler}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${PORTS.scheduler}`,
    '--leader-elect=false',
  ];
}
