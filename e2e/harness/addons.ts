// What minikube and kubeadm add to every cluster: CoreDNS, and a default StorageClass with a dynamic provisioner.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type {
  ConfigMap,
  Pod,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
  Subject,
} from 'kubernetes-types/rbac/v1.js';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { GO_CACHE } from '../../support/paths.js';
import { localPathProvisioner } from '../../support/recipes.js';
import {
  BUSYBOX_IMAGE,
  COREDNS_IMAGE,
  LOCAL_PATH_IMAGE,
} from '../../support/versions.js';
import { LOCAL_PATH_DIR } from './node-config.js';
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from './topology.js';

const NS = 'kube-system';

function bind(
  name: string,
  role: string,
  subject: Subject,
): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role,
    },
    subjects: [subject],
  };
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The two bindings `kubeadm init` makes once the API server is up: its admin group to cluster-admin
 * (phases/kubeconfig), and the API server's kubelet client to system:kubelet-api-admin (phases/bootstraptoken/node),
 * without which `kubectl logs` and `exec` are forbidden at the kubelet.
 */
export function kubeadmBindings(): ClusterRoleBinding[] {
  return [
    bind('kubeadm:cluster-admins', 'cluster-admin', {
      apiGroup: RBAC_GROUP,
      kind: 'Group',
      name: 'kubeadm:cluster-admins',
    }),
    bind('kubeadm:apiserver-kubelet-client', 'system:kubelet-api-admin', {
      apiGroup: RBAC_GROUP,
      kind: 'User',
      name: 'kube-apiserver-kubelet-client',
    }),
  ];
}
const DNS_LABELS = { 'k8s-app': 'kube-dns' };

/**
 * kubeadm's Corefile without `forward` and `loop`: nothing outside the cluster is resolved, because this
 * machine's resolver is outside it. A constant, not a template.
 */
const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    cache 30
    reload
}
`;

/** CoreDNS as kubeadm's addon phase deploys it (cmd/kubeadm/app/phases/addons/dns). */
export function corednsObjects(): object[] {
  const sa: ServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'coredns', namespace: NS },
  };
  const role: ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'system:coredns' },
    rules: [
      {
        apiGroups: [''],
        resources: ['endpoints', 'services', 'pods', 'namespaces'],
        verbs: ['list', 'watch'],
      },
      {
        apiGroups: ['discovery.k8s.io'],
        resources: ['endpointslices'],
        verbs: ['list', 'watch'],
      },
    ],
  };
  const binding = bind('system:coredns', 'system:coredns', {
    kind: 'ServiceAccount',
    name: 'coredns',
    namespace: NS,
  });
  const config: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: NS },
    data: { Corefile: COREFILE },
  };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: NS, labels: DNS_LABELS },
    spec: {
      replicas: 1,
      selector: { matchLabels: DNS_LABELS },
      template: {
        metadata: { labels: DNS_LABELS },
        spec: {
          serviceAccountName: 'coredns',
          priorityClassName: 'system-cluster-critical',
          dnsPolicy: 'Default',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
          // Upstream's image sets a file capability for port 53; a layer written here carries none, so the pod's
          // own (namespaced, "safe") sysctl lets the non-root user bind it.
          securityContext: {
            sysctls: [
              { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
            ],
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              resources: {
                requests: { cpu: '100m', memory: '70Mi' },
                limits: { memory: '170Mi' },
              },
              livenessProbe: {
                httpGet: { path: '/health', port: 8080 },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              volumeMounts: [
                {
                  name: 'config-volume',
                  mountPath: '/etc/coredns',
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            {
              name: 'config-volume',
              configMap: {
                name: 'coredns',
                items: [{ key: 'Corefile', path: 'Corefile' }],
              },
            },
          ],
        },
      },
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: NS,
      labels: { ...DNS_LABELS, 'kubernetes.io/name': 'CoreDNS' },
      // As kubeadm annotates it: Prometheus's annotation job scrapes CoreDNS through it.
      annotations: {
        'prometheus.io/port': '9153',
        'prometheus.io/scrape': 'true',
      },
    },
    spec: {
      clusterIP: CLUSTER_DNS_IP,
      selector: DNS_LABELS,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
  return [sa, role, binding, config, deployment, service];
}

interface Doc {
  kind?: string;
  metadata?: { annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } };
}

/**
 * local-path-provisioner's own deploy/local-path-storage.yaml from the module it is built from, with three changes:
 * the image reference, the directory volumes live in (under the cluster's state), and the StorageClass made the
 * default, as minikube's is.
 */
export function localPathObjects(): object[] {
  const dir = join(
    GO_CACHE,
    'mod',
    `${localPathProvisioner.module}@${localPathProvisioner.version}`,
  );
  const docs = parseAllDocuments(
    readFileSync(join(dir, 'deploy', 'local-path-storage.yaml'), 'utf8'),
  )
    .map((d) => d.toJSON() as Doc | null)
    .filter((d): d is Doc => d !== null);
  for (const d of docs) {
    if (d.kind === 'Deployment')
      for (const c of d.spec?.template?.spec?.containers ?? [])
        c.image = LOCAL_PATH_IMAGE;
    if (d.kind === 'StorageClass')
      d.metadata = {
        ...d.metadata,
        annotations: {
          ...d.metadata?.annotations,
          'storageclass.kubernetes.io/is-default-class': 'true',
        },
      };
    if (d.kind === 'ConfigMap' && d.data) {
      const config = JSON.parse(d.data['config.json']!) as {
        nodePathMap: Array<{ node: string; paths: string[] }>;
      };
      for (const entry of config.nodePathMap) entry.paths = [LOCAL_PATH_DIR];
      d.data['config.json'] = JSON.stringify(config, null, 2);
      const helper = d.data['helperPod.yaml'];
      if (helper) {
        const pod = parse(helper) as Pod;
        for (const c of pod.spec?.containers ?? []) c.image = BUSYBOX_IMAGE;
        d.data['helperPod.yaml'] = stringify(pod);
      }
    }
  }
  return docs;
}
