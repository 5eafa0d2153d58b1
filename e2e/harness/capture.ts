// Real metric payloads from the e2e cluster, read through the API server's node and pod proxies as an admin would,
// for the metric fixtures (fixtures/metrics/README.md says which file came from where).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  CAPTURED_MARK,
  FIXTURES_DIR,
} from '../../support/fixture-prometheus.js';
import { kubectl, kubectlJson } from './kubectl.js';
import { NODE_NAME } from './topology.js';

export interface Payload {
  /** Path under fixtures/metrics. */
  readonly file: string;
  /** Where it was read, for the provenance line. */
  readonly source: string;
  readonly text: string;
}

/** A component's metrics port on its pod of this node, read through the pod proxy. */
function podMetrics(
  namespace: string,
  app: string,
  port: string,
  path = '/metrics',
  selector = `app.kubernetes.io/name=${app}`,
): { source: string; text: string } {
  const pod = kubectlJson<{ items: Pod[] }>([
    '-n',
    namespace,
    'get',
    'pods',
    '-l',
    selector,
    `--field-selector=spec.nodeName=${NODE_NAME},status.phase=Running`,
  ]).items[0];
  if (!pod) throw new Error(`no running ${app} pod on ${NODE_NAME} to capture`);
  const number = pod
    .spec!.containers.flatMap((c) => c.ports ?? [])
    .find((p) => p.name === port)?.containerPort;
  if (!number) throw new Error(`${app} has no port ${port}`);
  const raw = `/api/v1/namespaces/${namespace}/pods/${pod.metadata!.name}:${number}/proxy${path}`;
  return {
    source: `${app} ${pod.spec!.containers[0]!.image} :${number}${path}`,
    text: kubectl(['get', '--raw', raw]),
  };
}

/**
 * The API server's /metrics without its histograms' buckets: about 70 % of its lines (18,779 on a fresh cluster), which
 * the `kubernetes-apiservers` job drops and nothing reads.
 */
function apiServerMetrics(): { source: string; text: string } {
  const text = kubectl(['get', '--raw', '/metrics'])
    .split('\n')
    .filter((l) => !/^[a-z_:]+_bucket\{/.test(l))
    .join('\n');
  return {
    source:
      'kube-apiserver /metrics, its histograms without their _bucket series',
    text,
  };
}

function kubeletMetrics(path: string): { source: string; text: string } {
  return {
    source: `kubelet ${path} on node ${NODE_NAME}`,
    text: kubectl(['get', '--raw', `/api/v1/nodes/${NODE_NAME}/proxy${path}`]),
  };
}

/** Every payload the fixtures take from a running stack on this node. */
export function capturePayloads(namespace: string): Payload[] {
  const at = (file: string, p: { source: string; text: string }): Payload => ({
    file,
    ...p,
  });
  return [
    at('cadvisor-containerd/e2e-node.txt', kubeletMetrics('/metrics/cadvisor')),
    at('kubelet-resource/e2e-node.txt', kubeletMetrics('/metrics/resource')),
    at('kubelet/e2e-node.txt', kubeletMetrics('/metrics')),
    at(
      'kube-state-metrics.txt',
      podMetrics(namespace, 'kube-state-metrics', 'http-metrics'),
    ),
    at('node-exporter.txt', podMetrics(namespace, 'node-exporter', 'metrics')),
    at('prometheus.txt', podMetrics(namespace, 'prometheus', 'web')),
    at('loki.txt', podMetrics(namespace, 'loki', 'http')),
    at('promtail.txt', podMetrics(namespace, 'promtail', 'http-metrics')),
    at('apiserver.txt', apiServerMetrics()),
    at(
      'coredns.txt',
      podMetrics(
        'kube-system',
        'coredns',
        'metrics',
        '/metrics',
        'k8s-app=kube-dns',
      ),
    ),
  ];
}

/**
 * Writes the payloads under `dir`, each opened with a comment naming its source and date (the text format allows
 * comment lines that are not HELP or TYPE).
 */
export function writePayloads(
  dir: string,
  payloads: readonly Payload[],
  date: string,
): void {
  for (const p of payloads) {
    const path = join(dir, p.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      `${CAPTURED_MARK} on ${date}: ${p.source}.\n${p.text.endsWith('\n') ? p.text : `${p.text}\n`}`,
    );
  }
}

/** The docker node's cAdvisor payload, the only one of its kind: fixtures/metrics/cadvisor-docker. */
export const CAPTURED_DOCKER_CADVISOR = 'cadvisor-docker/e2e-node.txt';

export function captureDockerCadvisor(text: string): void {
  const date = new Date().toISOString().slice(0, 10);
  writePayloads(
    FIXTURES_DIR,
    [
      {
        file: CAPTURED_DOCKER_CADVISOR,
        source: `kubelet /metrics/cadvisor on node ${NODE_NAME} (docker through cri-dockerd)`,
        text,
      },
    ],
    date,
  );
}

/** Alloy's own /metrics, from overlays/minikube-alloy: fixtures/metrics/alloy.txt. */
export const CAPTURED_ALLOY = 'alloy.txt';

export function captureAlloy(namespace: string): void {
  const date = new Date().toISOString().slice(0, 10);
  writePayloads(
    FIXTURES_DIR,
    [
      {
        file: CAPTURED_ALLOY,
        ...podMetrics(namespace, 'alloy', 'http-metrics'),
      },
    ],
    date,
  );
}
