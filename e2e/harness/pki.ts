// Certificates and kubeconfigs made by kubeadm's own phases, so the cluster's TLS is laid out as kubeadm lays it out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../support/exec.js';
import { STATE_DIR } from '../../support/paths.js';
import { KUBERNETES_VERSION } from '../../support/versions.js';
import {
  CLUSTER_DOMAIN,
  CLUSTER_NAME,
  NODE_NAME,
  POD_CIDR,
  PORTS,
  SERVICE_CIDR,
} from './topology.js';

export const PKI_DIR = join(STATE_DIR, 'pki');
export const pki = (file: string): string => join(PKI_DIR, file);

export interface Kubeconfigs {
  /** system:masters, for the harness and the tests. */
  readonly admin: string;
  readonly controllerManager: string;
  readonly scheduler: string;
  /** system:node:<node>, in group system:nodes, as the Node authorizer expects. */
  readonly kubelet: string;
  /** system:kube-proxy, bound by the default system:node-proxier ClusterRoleBinding. */
  readonly kubeProxy: string;
}

function kubeadmConfig(nodeIp: string): string {
  const init = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'InitConfiguration',
    localAPIEndpoint: { advertiseAddress: nodeIp, bindPort: PORTS.apiserver },
    nodeRegistration: { name: NODE_NAME },
  };
  const cluster = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    clusterName: CLUSTER_NAME,
    kubernetesVersion: KUBERNETES_VERSION,
    certificatesDir: PKI_DIR,
    controlPlaneEndpoint: `${nodeIp}:${PORTS.apiserver}`,
    networking: {
      serviceSubnet: SERVICE_CIDR,
      podSubnet: POD_CIDR,
      dnsDomain: CLUSTER_DOMAIN,
    },
    apiServer: { certSANs: ['127.0.0.1', 'localhost', nodeIp] },
  };
  return [init, cluster].map((d) => stringify(d)).join('---\n');
}

export function makePki(kubeadm: string, nodeIp: string): Kubeconfigs {
  mkdirSync(PKI_DIR, { recursive: true });
  const config = pki('kubeadm.yaml');
  writeFileSync(config, kubeadmConfig(nodeIp));
  run(kubeadm, ['init', 'phase', 'certs', 'all', '--config', config]);
  run(kubeadm, [
    'init',
    'phase',
    'kubeconfig',
    'all',
    '--config',
    config,
    '--kubeconfig-dir',
    PKI_DIR,
  ]);
  const kubeProxy = pki('kube-proxy.conf');
  writeFileSync(
    kubeProxy,
    run(kubeadm, [
      'kubeconfig',
      'user',
      '--config',
      config,
      '--client-name',
      'system:kube-proxy',
    ]),
    { mode: 0o600 },
  );
  return {
    // system:masters, like minikube's kubeconfig; it also makes the bindings that kubeadm's admin.conf relies on.
    admin: pki('super-admin.conf'),
    controllerManager: pki('controller-manager.conf'),
    scheduler: pki('scheduler.conf'),
    kubelet: pki('kubelet.conf'),
    kubeProxy,
  };
}
