// The cluster itself behaves as minikube's does where the stack depends on it.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { expect, it } from 'vitest';
import { BUSYBOX_IMAGE, KUBERNETES_VERSION } from '../../support/versions.js';
import { isAlive } from '../harness/daemons.js';
import { kubectl, kubectlJson } from '../harness/kubectl.js';
import { waitForPodsReady } from '../harness/pods.js';
import { readRecord } from '../harness/state.js';
import { NODE_NAME, PORTS } from '../harness/topology.js';

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

it('has one Ready node running containerd at the pinned Kubernetes version', () => {
  const node = kubectlJson<{
    status: {
      nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string };
      conditions: Array<{ type: string; status: string }>;
    };
  }>(['get', 'node', NODE_NAME]);
  expect(node.status.nodeInfo.kubeletVersion).toBe(KUBERNETES_VERSION);
  expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(
    /^containerd:\/\//,
  );
  expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe(
    'True',
  );
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

it('reports the RSS of each cluster process', () => {
  const lines = readRecord()!
    .processes.filter(isAlive)
    .map((p) => {
      const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      expect(kb).toBeGreaterThan(0);
      return `  ${p.name.padEnd(24)} ${(kb / 1024).toFixed(0).padStart(5)} MiB`;
    });
  console.log(`cluster processes (RSS):\n${lines.join('\n')}`);
  expect(lines.length).toBe(7);
});
