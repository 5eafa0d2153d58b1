// What must hold on every rendered overlay, each a past outage. A check returns the problems it finds: none means
// it holds. Tests run each on every overlay, and on a deliberately broken copy to show it can fail.
import { type KubeObject, SERVICE_ACCOUNT_DIR } from '@plgkit/core';
import type { Container } from 'kubernetes-types/core/v1.js';
import { canDo, findWorkload, mainContainer, mountedYaml, podSpec, serviceProblem, volumeAt, type Workload, workloads } from './inspect.js';

export type Runtime = 'docker' | 'containerd';

export interface Check {
  readonly name: string;
  readonly run: (objects: readonly KubeObject[]) => string[];
}

const TOKEN = `${SERVICE_ACCOUNT_DIR}/token`;

interface ScrapeJob {
  job_name: string;
  scheme?: string;
  metrics_path?: string;
  authorization?: { credentials_file?: string };
  relabel_configs?: { source_labels?: string[]; regex?: string; action?: string }[];
  pipeline_stages?: Record<string, unknown>[];
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingError(what);
  return value;
}

class MissingError extends Error {}

/** Runs a check body; a missing object or file is itself the problem. */
function check(name: string, body: (objects: readonly KubeObject[]) => (string | undefined | false)[]): Check {
  return {
    name,
    run: (objects) => {
      try {
        return body(objects).filter((p): p is string => typeof p === 'string');
      } catch (e) {
        if (e instanceof MissingError) return [`missing: ${e.message}`];
        throw e;
      }
    },
  };
}

const prometheus = (o: readonly KubeObject[]) => need(findWorkload(o, 'StatefulSet', 'prometheus'), 'StatefulSet prometheus');
const grafana = (o: readonly KubeObject[]) => need(findWorkload(o, 'Deployment', 'grafana'), 'Deployment grafana');
const promtail = (o: readonly KubeObject[]) => need(findWorkload(o, 'DaemonSet', 'promtail'), 'DaemonSet promtail');
const ns = (w: Workload) => w.metadata.namespace ?? 'default';

const prometheusJobs = (o: readonly KubeObject[]) =>
  need(mountedYaml<{ scrape_configs: ScrapeJob[] }>(o, prometheus(o), '/etc/prometheus', 'prometheus.yml'), 'prometheus.yml').scrape_configs;

interface PromtailFile {
  positions?: { filename?: string };
  clients?: { url: string }[];
  scrape_configs?: ScrapeJob[];
}
const promtailConfig = (o: readonly KubeObject[]) => need(mountedYaml<PromtailFile>(o, promtail(o), '/etc/promtail', 'promtail.yaml'), 'promtail.yaml');

interface DatasourcesFile {
  datasources?: { type: string; uid?: string; url: string; isDefault?: boolean }[];
}
function grafanaDatasource(o: readonly KubeObject[], type: string) {
  const file = need(mountedYaml<DatasourcesFile>(o, grafana(o), '/etc/grafana/provisioning/datasources', 'datasources.yaml'), 'datasources.yaml');
  return need(file.datasources?.find((d) => d.type === type), `${type} datasource`);
}

export const prometheusCanReadKubeletMetrics = check('Prometheus ServiceAccount may get nodes/metrics (else kubelet scrapes are 403)', (o) => [
  !canDo(o, prometheus(o), '', 'nodes/metrics', 'get') && 'the ClusterRole bound to Prometheus\'s ServiceAccount does not grant get on nodes/metrics',
  ...['nodes', 'services', 'endpoints', 'pods'].map((r) => !canDo(o, prometheus(o), '', r, 'list') && `Prometheus may not list ${r}`),
  !canDo(o, prometheus(o), 'discovery.k8s.io', 'endpointslices', 'list') && 'Prometheus may not list endpointslices',
]);

export const cadvisorScrapedWithToken = check('cAdvisor job scrapes the kubelet over https with the service-account token', (o) => {
  const job = need(prometheusJobs(o).find((j) => j.metrics_path === '/metrics/cadvisor'), 'a job with metrics_path /metrics/cadvisor');
  return [
    job.scheme !== 'https' && `job ${job.job_name} uses ${job.scheme ?? 'http'}, the kubelet serves https`,
    job.authorization?.credentials_file !== TOKEN && `job ${job.job_name} does not send the token ${TOKEN}`,
    podSpec(prometheus(o)).automountServiceAccountToken === false && 'Prometheus pods mount no service-account token',
  ];
});

export const grafanaFindsPrometheus = check('Grafana Prometheus datasource names the rendered Prometheus Service', (o) => {
  const ds = grafanaDatasource(o, 'prometheus');
  return [
    serviceProblem(o, ds.url, ns(grafana(o)), { service: 'prometheus', port: 9090 }),
    !ds.uid && 'the Prometheus datasource has no fixed uid',
    ds.isDefault !== true && 'the Prometheus datasource is not the default',
  ];
});

export const grafanaFindsLoki = check('Grafana Loki datasource names the rendered Loki Service', (o) => {
  const ds = grafanaDatasource(o, 'loki');
  return [serviceProblem(o, ds.url, ns(grafana(o)), { service: 'loki', port: 3100 }), !ds.uid && 'the Loki datasource has no fixed uid'];
});

function containerProblems(w: Workload, c: Container): (string | false)[] {
  const where = `${w.kind} ${w.metadata.name} container ${c.name}`;
  const tag = /^[^@]+:([^:/@]+)$/.exec(c.image ?? '')?.[1];
  return [
    !(c.resources?.requests?.cpu && c.resources.requests.memory) && `${where} lacks cpu and memory requests`,
    !(c.resources?.limits?.cpu && c.resources.limits.memory) && `${where} lacks cpu and memory limits`,
    !c.readinessProbe && `${where} has no readiness probe`,
    !c.livenessProbe && `${where} has no liveness probe`,
    !((tag && tag !== 'latest') || c.image?.includes('@sha256:')) && `${where} image ${c.image} is not pinned to a version`,
  ];
}

export const containersAreSized = check('every container has requests, limits, probes and a pinned image', (o) => [
  workloads(o).length === 0 && 'no workloads rendered',
  ...workloads(o).flatMap((w) => podSpec(w).containers.flatMap((c) => containerProblems(w, c))),
]);

export const promtailCanListPods = check('Promtail ServiceAccount may list and watch pods (else "pods is forbidden")', (o) => [
  !canDo(o, promtail(o), '', 'pods', 'list') && 'the ClusterRole bound to Promtail\'s ServiceAccount does not grant list on pods',
  !canDo(o, promtail(o), '', 'pods', 'watch') && 'the ClusterRole bound to Promtail\'s ServiceAccount does not grant watch on pods',
]);

export const promtailKnowsItsNode = check('Promtail HOSTNAME comes from spec.nodeName and is expanded in its config', (o) => {
  const c = need(mainContainer(promtail(o)), 'promtail container');
  const env = (c.env ?? []).find((e) => e.name === 'HOSTNAME');
  return [
    env?.valueFrom?.fieldRef?.fieldPath !== 'spec.nodeName' && 'HOSTNAME is not set from fieldRef spec.nodeName',
    !(c.args ?? []).includes('-config.expand-env=true') && 'promtail runs without -config.expand-env=true, so ${HOSTNAME} stays literal',
  ];
});

export const promtailKeepsOwnNode = check('Promtail keeps only the pods of its own node', (o) => {
  const jobs = promtailConfig(o).scrape_configs ?? [];
  return [
    jobs.length === 0 && 'promtail.yaml has no scrape job',
    ...jobs.map((j) => {
      const first = j.relabel_configs?.[0];
      const ok = first?.action === 'keep' && first.source_labels?.join(';') === '__meta_kubernetes_pod_node_name' && first.regex === '${HOSTNAME}';
      return !ok && `job ${j.job_name} does not start with keep __meta_kubernetes_pod_node_name == \${HOSTNAME}`;
    }),
  ];
});

export const promtailPositionsOnNode = check('Promtail positions file sits on a hostPath volume', (o) => {
  const file = need(promtailConfig(o).positions?.filename, 'positions.filename');
  const c = need(mainContainer(promtail(o)), 'promtail container');
  const dir = file.slice(0, file.lastIndexOf('/'));
  const mounted = volumeAt(promtail(o), c, dir);
  return [
    !mounted?.volume.hostPath && `positions file ${file} is not on a hostPath volume`,
    mounted?.readOnly === true && `the positions directory ${dir} is mounted read-only`,
  ];
});

export const promtailShipsToLoki = check('Promtail client URL names the rendered Loki Service', (o) => {
  const clients = promtailConfig(o).clients ?? [];
  return [
    clients.length === 0 && 'promtail.yaml has no client',
    ...clients.flatMap((c) => [
      serviceProblem(o, c.url, ns(promtail(o)), { service: 'loki', port: 3100 }),
      !c.url.endsWith('/loki/api/v1/push') && `${c.url} is not Loki's push endpoint /loki/api/v1/push`,
    ]),
  ];
});

/** Docker: /var/log/pods links into /var/lib/docker/containers, so that must be mounted and lines are docker JSON. */
export function promtailMatchesRuntime(runtime: Runtime): Check {
  return check(`Promtail reads ${runtime} log files`, (o) => {
    const w = promtail(o);
    const c = need(mainContainer(w), 'promtail container');
    const pods = volumeAt(w, c, '/var/log/pods');
    const docker = volumeAt(w, c, '/var/lib/docker/containers');
    const anyDockerPath = (podSpec(w).volumes ?? []).some((v) => v.hostPath?.path.startsWith('/var/lib/docker'));
    const stages = (promtailConfig(o).scrape_configs ?? []).flatMap((j) => (j.pipeline_stages ?? []).flatMap((s) => Object.keys(s)));
    const [want, other] = runtime === 'docker' ? ['docker', 'cri'] : ['cri', 'docker'];
    return [
      !(pods?.volume.hostPath?.path === '/var/log/pods' && pods.readOnly) && '/var/log/pods is not mounted read-only from the host',
      runtime === 'docker' &&
        !(docker?.volume.hostPath?.path === '/var/lib/docker/containers' && docker.readOnly) &&
        '/var/lib/docker/containers is not mounted read-only at the same path (docker log symlinks lead nowhere)',
      runtime === 'containerd' && anyDockerPath && 'a /var/lib/docker path is mounted on a containerd node',
      !stages.includes(want) && `no ${want} pipeline stage`,
      stages.includes(other) && `a ${other} pipeline stage on a ${runtime} node`,
    ];
  });
}

/** Every check an overlay for `runtime` must pass. */
export function checksFor(runtime: Runtime): Check[] {
  return [
    prometheusCanReadKubeletMetrics,
    cadvisorScrapedWithToken,
    grafanaFindsPrometheus,
    grafanaFindsLoki,
    containersAreSized,
    promtailCanListPods,
    promtailKnowsItsNode,
    promtailKeepsOwnNode,
    promtailPositionsOnNode,
    promtailShipsToLoki,
    promtailMatchesRuntime(runtime),
  ];
}
