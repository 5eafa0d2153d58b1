// The cluster itself behaves as minikube's does where the stack depends on it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:https';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { expect, it } from 'vitest';
import {
  BUSYBOX_IMAGE,
  bare,
  CONTAINERD_VERSION,
  CONTROL_PLANE_IMAGES,
  KUBERNETES_VERSION,
} from '../../support/versions.js';
import { isAlive } from '../harness/daemons.js';
import { CONTROL_PLANE_COMPONENTS, MANIFESTS_DIR } from '../harness/kubeadm.js';
import { kubectl, kubectlJson } from '../harness/kubectl.js';
import { isReady, waitForPodsReady } from '../harness/pods.js';
import { readRecord } from '../harness/state.js';
import { MINIKUBE_VERSION, NODE_NAME, PORTS } from '../harness/topology.js';

function kubeletGet(
  nodeIp: string,
  path: string,
  token: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: nodeIp,
        port: PORTS.kubelet,
        path,
        headers: { Authorization: `Bearer ${token}` },
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('has one Ready node running containerd 2.x at the pinned Kubernetes version', () => {
  const node = kubectlJson<{
    metadata: { labels: Record<string, string> };
    spec: { taints?: unknown[] };
    status: {
      nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string };
      conditions: Array<{ type: string; status: string }>;
    };
  }>(['get', 'node', NODE_NAME]);
  expect(node.status.nodeInfo.kubeletVersion).toBe(KUBERNETES_VERSION);
  expect(node.status.nodeInfo.containerRuntimeVersion).toBe(
    `containerd://${bare(CONTAINERD_VERSION)}`,
  );
  expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe(
    'True',
  );
  // Named and labelled as minikube's first node, with kubeadm's control-plane role and no taint.
  expect(node.metadata.labels).toMatchObject({
    'kubernetes.io/hostname': 'minikube',
    'node-role.kubernetes.io/control-plane': '',
    'minikube.k8s.io/name': 'minikube',
    'minikube.k8s.io/primary': 'true',
    'minikube.k8s.io/version': MINIKUBE_VERSION,
    'minikube.k8s.io/updated_at': expect.stringMatching(
      /^\d{4}_\d\d_\d\dT\d\d_\d\d_\d\d_0000$/,
    ),
  });
  expect(node.spec.taints ?? []).toEqual([]);
  expect(kubectl(['version', '-o', 'json'])).toContain(
    `"gitVersion": "${KUBERNETES_VERSION}"`,
  );
});

it('answers a token without nodes/metrics with 403 at the kubelet, and 200 once it is granted, as on minikube', async () => {
  const nodeIp = readRecord()!.nodeIp!;
  kubectl(['-n', 'default', 'create', 'serviceaccount', 'e2e-scraper']);
  try {
    const token = kubectl([
      '-n',
      'default',
      'create',
      'token',
      'e2e-scraper',
    ]).trim();
    expect(await kubeletGet(nodeIp, '/metrics', token)).toBe(403);
    kubectl([
      'create',
      'clusterrole',
      'e2e-scraper',
      '--verb=get',
      '--resource=nodes/metrics',
    ]);
    kubectl([
      'create',
      'clusterrolebinding',
      'e2e-scraper',
      '--clusterrole=e2e-scraper',
      '--serviceaccount=default:e2e-scraper',
    ]);
    // The kubelet remembers a denial for 30 s (its webhook cache's default, as on minikube).
    let status = 0;
    for (let i = 0; i < 90 && status !== 200; i++) {
      status = await kubeletGet(nodeIp, '/metrics', token);
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
    expect(await kubeletGet(nodeIp, '/metrics/cadvisor', token)).toBe(200);
  } finally {
    kubectl([
      'delete',
      'clusterrolebinding,clusterrole',
      'e2e-scraper',
      '--ignore-not-found',
    ]);
    kubectl([
      '-n',
      'default',
      'delete',
      'serviceaccount',
      'e2e-scraper',
      '--ignore-not-found',
    ]);
  }
});

it('enforces Pod Security admission per namespace', () => {
  kubectl(['create', 'namespace', 'e2e-restricted']);
  try {
    kubectl([
      'label',
      'namespace',
      'e2e-restricted',
      'pod-security.kubernetes.io/enforce=restricted',
    ]);
    let refusal = '';
    try {
      kubectl([
        '-n',
        'e2e-restricted',
        'run',
        'privileged',
        `--image=${BUSYBOX_IMAGE}`,
        '--privileged',
        '--dry-run=server',
      ]);
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(refusal).toMatch(/violates PodSecurity "restricted/);
  } finally {
    kubectl(['delete', 'namespace', 'e2e-restricted', '--wait=false']);
  }
});

it('resolves Services through CoreDNS and routes ClusterIPs through kube-proxy from a pod', async () => {
  kubectl([
    '-n',
    'default',
    'run',
    'e2e-dns',
    `--image=${BUSYBOX_IMAGE}`,
    '--restart=Never',
    '--command',
    '--',
    'sh',
    '-c',
    'nslookup kubernetes.default.svc.cluster.local && nc -w 5 kubernetes.default.svc.cluster.local 443 </dev/null && echo reachable',
  ]);
  try {
    for (let i = 0; i < 60; i++) {
      const phase = kubectl([
        '-n',
        'default',
        'get',
        'pod',
        'e2e-dns',
        '-o',
        'jsonpath={.status.phase}',
      ]);
      if (phase === 'Succeeded' || phase === 'Failed') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const log = kubectl(['-n', 'default', 'logs', 'e2e-dns']);
    expect(log).toMatch(/Address:\s+10\.96\.0\.1/);
    expect(log).toContain('reachable');
  } finally {
    kubectl(['-n', 'default', 'delete', 'pod', 'e2e-dns', '--wait=false']);
  }
});

it('runs its add-ons Ready: CoreDNS and the local-path provisioner', async () => {
  await waitForPodsReady('kube-system', { seconds: 60 });
  await waitForPodsReady('local-path-storage', { seconds: 60 });
  expect(
    kubectl([
      'get',
      'storageclass',
      'local-path',
      '-o',
      'jsonpath={.metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class}',
    ]),
  ).toBe('true');
});

it("runs the control plane as kubeadm's static pods, with mirror pods and logs in kube-system", () => {
  expect(readdirSync(MANIFESTS_DIR).sort()).toEqual(
    CONTROL_PLANE_COMPONENTS.map((c) => `${c}.yaml`).sort(),
  );
  for (const component of CONTROL_PLANE_COMPONENTS) {
    const pod = kubectlJson<Pod>([
      '-n',
      'kube-system',
      'get',
      'pod',
      `${component}-${NODE_NAME}`,
    ]);
    expect(pod.metadata?.annotations?.['kubernetes.io/config.source']).toBe(
      'file',
    );
    expect(pod.metadata?.ownerReferences?.[0]?.kind).toBe('Node');
    expect(pod.metadata?.labels).toMatchObject({
      component,
      tier: 'control-plane',
    });
    expect(pod.spec?.containers.map((c) => c.image)).toEqual([
      CONTROL_PLANE_IMAGES[component],
    ]);
    expect(isReady(pod)).toBe(true);
    // A newcomer's first question: where are the API server's logs?
    expect(
      kubectl(['-n', 'kube-system', 'logs', `${component}-${NODE_NAME}`]),
    ).not.toBe('');
  }
});

/** The processes of the control plane's containers, found by the program each runs (its image's /usr/local/bin). */
function controlPlanePids(): Array<{ name: string; pid: number }> {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const exe = readlinkSync(`/proc/${p}/exe`);
        const name = CONTROL_PLANE_COMPONENTS.find(
          (c) => exe === `/usr/local/bin/${c}`,
        );
        return name ? [{ name, pid: Number(p) }] : [];
      } catch {
        return [];
      }
    });
}

it('reports the RSS of each cluster process and control plane container', () => {
  const processes = [
    ...readRecord()!.processes.filter(isAlive),
    ...controlPlanePids(),
  ];
  const lines = processes.map((p) => {
    const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    expect(kb).toBeGreaterThan(0);
    return `  ${p.name.padEnd(24)} ${(kb / 1024).toFixed(0).padStart(5)} MiB`;
  });
  console.log(`cluster processes (RSS):\n${lines.join('\n')}`);
  // containerd, the kubelet and kube-proxy on the host; etcd and the three control plane components in pods.
  expect(processes.map((p) => p.name).sort()).toEqual(
    ['containerd', 'kubelet', 'kube-proxy', ...CONTROL_PLANE_COMPONENTS].sort(),
  );
});
