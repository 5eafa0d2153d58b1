// kubeadm's own configuration, and the phases of `kubeadm init` the node runs: certificates, kubeconfigs and the
// control plane's static pod manifests, so the cluster is laid out as a kubeadm (and so a minikube) node lays it out.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { HarnessError, run } from '../../support/exec.js';
import { POD_LOG_DIR, STATE_DIR } from '../../support/paths.js';
import {
  CONTROL_PLANE_IMAGES,
  type ControlPlaneComponent,
  ETCD_VERSION,
  KUBERNETES_VERSION,
} from '../../support/versions.js';
import {
  CLUSTER_DOMAIN,
  CLUSTER_NAME,
  NODE_NAME,
  POD_CIDR,
  PORTS,
  SERVICE_CIDR,
} from './topology.js';

/** kubeadm's fixed home for kubeconfigs and manifests (KubernetesDir in cmd/kubeadm/app/constants): not movable. */
export const KUBERNETES_DIR = '/etc/kubernetes';
/** Where `kubeadm init` writes the control plane's static pods, and the kubelet's staticPodPath. */
export const MANIFESTS_DIR = join(KUBERNETES_DIR, 'manifests');
/** The cluster's certificates, where minikube keeps them under its own directory (/var/lib/minikube/certs). */
export const PKI_DIR = join(STATE_DIR, 'pki');
export const pki = (file: string): string => join(PKI_DIR, file);
/** etcd's data, as minikube's /var/lib/minikube/etcd. */
export const ETCD_DATA_DIR = join(STATE_DIR, 'etcd');

export interface Kubeconfigs {
  /** system:masters, for the harness and the tests. */
  readonly admin: string;
  /** system:node:<node>, in group system:nodes, as the Node authorizer expects. */
  readonly kubelet: string;
  /** system:kube-proxy, bound by the default system:node-proxier ClusterRoleBinding. */
  readonly kubeProxy: string;
}

type ExtraArgs = ReadonlyArray<{ name: string; value: string }>;
const args = (a: Record<string, string>): ExtraArgs =>
  Object.entries(a).map(([name, value]) => ({ name, value }));

/**
 * The InitConfiguration and ClusterConfiguration minikube writes (bsutil/ktmpl/v1beta4.go), with its component
 * defaults: its admission plugins, no leader election on one control plane, and no taint on the primary node.
 */
function kubeadmConfig(nodeIp: string): string {
  const init = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'InitConfiguration',
    localAPIEndpoint: { advertiseAddress: nodeIp, bindPort: PORTS.apiserver },
    nodeRegistration: { name: NODE_NAME, taints: [] },
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
    etcd: {
      local: {
        dataDir: ETCD_DATA_DIR,
        imageTag: CONTROL_PLANE_IMAGES.etcd.split(':')[1],
      },
    },
    apiServer: {
      certSANs: ['127.0.0.1', 'localhost', nodeIp],
      extraArgs: args({
        'enable-admission-plugins':
          'NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota',
      }),
    },
    controllerManager: {
      extraArgs: args({
        'allocate-node-cidrs': 'true',
        'leader-elect': 'false',
      }),
    },
    scheduler: { extraArgs: args({ 'leader-elect': 'false' }) },
  };
  return [init, cluster].map((d) => stringify(d)).join('---\n');
}

function writeConfig(nodeIp: string): string {
  mkdirSync(PKI_DIR, { recursive: true });
  const config = pki('kubeadm.yaml');
  writeFileSync(config, kubeadmConfig(nodeIp));
  return config;
}

/** `kubeadm init phase certs` and `kubeconfig`: the PKI under PKI_DIR, the kubeconfigs in /etc/kubernetes. */
export function makePki(kubeadm: string, nodeIp: string): Kubeconfigs {
  const config = writeConfig(nodeIp);
  run(kubeadm, ['init', 'phase', 'certs', 'all', '--config', config]);
  run(kubeadm, ['init', 'phase', 'kubeconfig', 'all', '--config', config]);
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
    admin: join(KUBERNETES_DIR, 'super-admin.conf'),
    kubelet: join(KUBERNETES_DIR, 'kubelet.conf'),
    kubeProxy,
  };
}

interface StaticPod {
  metadata: { name: string };
  spec: {
    containers: Array<{ name: string; image: string }>;
    volumes?: Array<{ hostPath?: { path: string } }>;
  };
}

/** The static pod manifests in MANIFESTS_DIR, parsed. */
export function staticPods(): StaticPod[] {
  return readdirSync(MANIFESTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map(
      (f) => parse(readFileSync(join(MANIFESTS_DIR, f), 'utf8')) as StaticPod,
    );
}

/**
 * `kubeadm init phase control-plane all` and `etcd local`: the four static pods, as kubeadm writes them. Each image
 * must be one the harness built; a kubeadm that asks for another is refused here rather than left in ErrImagePull.
 */
export function writeStaticPods(kubeadm: string, nodeIp: string): StaticPod[] {
  const config = writeConfig(nodeIp);
  run(kubeadm, ['init', 'phase', 'control-plane', 'all', '--config', config]);
  run(kubeadm, ['init', 'phase', 'etcd', 'local', '--config', config]);
  const pods = staticPods();
  const built = new Set<string>(Object.values(CONTROL_PLANE_IMAGES));
  for (const pod of pods)
    for (const c of pod.spec.containers)
      if (!built.has(c.image))
        throw new HarnessError(
          `kubeadm's ${pod.metadata.name} asks for ${c.image}, which the harness does not build (${[...built].join(', ')}): ` +
            `pin ETCD_VERSION and KUBERNETES_VERSION (support/versions.ts) to what kubeadm ${KUBERNETES_VERSION} pairs (etcd ${ETCD_VERSION} now)`,
        );
  return pods;
}

/** The host paths the static pods mount; the kubelet creates the missing ones (DirectoryOrCreate, FileOrCreate). */
export function staticPodHostPaths(pods: readonly StaticPod[]): string[] {
  return pods.flatMap((p) =>
    (p.spec.volumes ?? []).flatMap((v) =>
      v.hostPath ? [v.hostPath.path] : [],
    ),
  );
}

/** The component each control plane image runs, by its static pod's container name. */
export const CONTROL_PLANE_COMPONENTS = Object.keys(
  CONTROL_PLANE_IMAGES,
) as ControlPlaneComponent[];

/** Refuses a machine that is a kubeadm node already: its kubeconfigs and manifests would be overwritten. */
export function requireKubernetesDirFree(): void {
  for (const p of [MANIFESTS_DIR, join(KUBERNETES_DIR, 'admin.conf')])
    if (existsSync(p))
      throw new HarnessError(
        `${p} exists: this machine looks like a kubeadm node, and the e2e node writes its own control plane there. ` +
          `Remove ${KUBERNETES_DIR} if it is a leftover, or run the e2e on another machine.`,
      );
}

/**
 * The last lines a static pod's container wrote, read from the kubelet's log directory: while the API server is not
 * up, `kubectl logs` cannot tell why.
 */
export function staticPodLog(component: string, lines = 15): string {
  if (!existsSync(POD_LOG_DIR)) return '(no pod logs yet)';
  const prefix = `kube-system_${component}-${NODE_NAME}_`;
  const files = readdirSync(POD_LOG_DIR)
    .filter((d) => d.startsWith(prefix))
    .flatMap((d) => {
      const dir = join(POD_LOG_DIR, d, component);
      return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
    })
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) return `(${component} has not written a log yet)`;
  return readFileSync(files[0]!, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .join('\n');
}

/**
 * `kubeadm init phase mark-control-plane`: the node's control-plane role and load-balancer exclusion labels, and no
 * taint (minikube's `taints: []`), through kubeadm's own admin.conf.
 */
export function markControlPlane(kubeadm: string, nodeIp: string): void {
  run(kubeadm, [
    'init',
    'phase',
    'mark-control-plane',
    '--config',
    writeConfig(nodeIp),
  ]);
}
