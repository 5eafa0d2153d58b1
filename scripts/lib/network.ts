// Who may talk to whom under the rendered NetworkPolicies, following the API's semantics: a pod that no policy
// selects for a direction is open in that direction; otherwise some rule of a selecting policy must allow the peer
// and the port. Enough of the API for plgkit's policies (matchLabels, matchExpressions In, TCP/UDP ports).
import { type KubeObject, STACK } from '@plgkit/core';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type {
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1.js';
import {
  findService,
  type Workload,
  workloads,
} from '../../support/inspect.js';
import {
  collector,
  grafanaDatasources,
  prometheusAlertmanagers,
  prometheusJobs,
} from './checks.js';

export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports, to resolve a policy's named ports. */
  readonly ports?: Readonly<Record<string, number>>;
}

export interface Connection {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

function matches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(
    ([k, v]) => labels[k] === v,
  );
  const byExpressions = (selector.matchExpressions ?? []).every((e) =>
    e.operator === 'In'
      ? (e.values ?? []).includes(labels[e.key] ?? '\u0000')
      : e.operator === 'Exists'
        ? e.key in labels
        : false,
  );
  return byLabels && byExpressions;
}

function peerMatches(
  peer: NetworkPolicyPeer,
  policyNamespace: string,
  pod: Pod,
): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, {
        'kubernetes.io/metadata.name': pod.namespace,
      })
    : pod.namespace === policyNamespace;
  return namespaceOk && matches(peer.podSelector, pod.labels);
}

function portMatches(
  ports: NetworkPolicyPort[] | undefined,
  c: Connection,
  target: Pod,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    const number = typeof p.port === 'string' ? target.ports?.[p.port] : p.port;
    return (
      (p.protocol ?? 'TCP') === (c.protocol ?? 'TCP') &&
      (p.port === undefined || number === c.port)
    );
  });
}

function policies(objects: readonly KubeObject[]): KubeObject<NetworkPolicy>[] {
  return objects.filter(
    (o): o is KubeObject<NetworkPolicy> => o.kind === 'NetworkPolicy',
  );
}

function selecting(
  objects: readonly KubeObject[],
  pod: Pod,
  direction: 'Ingress' | 'Egress',
) {
  return policies(objects).filter(
    (p) =>
      p.metadata.namespace === pod.namespace &&
      matches(p.spec?.podSelector, pod.labels) &&
      (p.spec?.policyTypes ?? ['Ingress']).includes(direction),
  );
}

/** Whether `from` may open `connection` to `to`: egress of `from` and ingress of `to` must both allow it. */
export function allowed(
  objects: readonly KubeObject[],
  from: Pod,
  to: Pod,
  connection: Connection,
): boolean {
  const egress = selecting(objects, from, 'Egress');
  const ingress = selecting(objects, to, 'Ingress');
  const out =
    egress.length === 0 ||
    egress.some((p) =>
      (p.spec?.egress ?? []).some(
        (r) =>
          (!r.to ||
            r.to.some((peer) =>
              peerMatches(peer, p.metadata.namespace!, to),
            )) &&
          portMatches(r.ports, connection, to),
      ),
    );
  const into =
    ingress.length === 0 ||
    ingress.some((p) =>
      (p.spec?.ingress ?? []).some(
        (r) =>
          (!r.from ||
            r.from.some((peer) =>
              peerMatches(peer, p.metadata.namespace!, from),
            )) &&
          portMatches(r.ports, connection, to),
      ),
    );
  return out && into;
}

/** A rendered workload's pods as a peer. */
export function podOf(w: Workload): Pod {
  const ports = Object.fromEntries(
    (w.spec?.template.spec?.containers ?? []).flatMap((c) =>
      (c.ports ?? [])
        .filter((p) => p.name)
        .map((p) => [p.name!, p.containerPort]),
    ),
  );
  return {
    namespace: w.metadata.namespace ?? 'default',
    labels: w.spec?.template.metadata?.labels ?? {},
    ports,
  };
}

export function podNamed(objects: readonly KubeObject[], name: string): Pod {
  const w = workloads(objects).find((x) => x.metadata.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return podOf(w);
}

/** A connection the rendered stack's own config opens, resolved to the pods at both ends. */
export interface ConfiguredConnection {
  /** Who opens it and why, e.g. `alloy pushes to http://loki.monitoring.svc:3100/loki/api/v1/push`. */
  readonly what: string;
  readonly from: Pod;
  readonly to: Pod;
  readonly connection: Connection;
}

/** The pods behind a Service URL (`http://<svc>.<ns>.svc:<port>/…`) and the container port it reaches. */
export function serviceBackend(
  objects: readonly KubeObject[],
  url: string,
  fromNamespace: string,
): { pod: Pod; port: number } {
  const u = new URL(url);
  const [name, namespace = fromNamespace] = u.hostname.split('.');
  const port = Number(u.port || 80);
  const svc = findService(objects, name!, namespace);
  if (!svc) throw new Error(`${url}: no Service ${namespace}/${name}`);
  const servicePort = (svc.spec?.ports ?? []).find((p) => p.port === port);
  if (!servicePort)
    throw new Error(`${url}: Service ${namespace}/${name} has no port ${port}`);
  const w = workloads(objects).find(
    (x) =>
      x.metadata.namespace === namespace &&
      matches(
        { matchLabels: svc.spec?.selector ?? {} },
        x.spec?.template.metadata?.labels ?? {},
      ),
  );
  if (!w)
    throw new Error(`${url}: Service ${namespace}/${name} selects no workload`);
  const pod = podOf(w);
  const target = servicePort.targetPort ?? port;
  return {
    pod,
    port: typeof target === 'number' ? target : pod.ports![target]!,
  };
}

/** What Prometheus scrapes among the rendered workloads: its exporter jobs (label and port name) and annotated pods. */
function scrapeTargets(
  objects: readonly KubeObject[],
): Array<{ workload: Workload; port: number; job: string }> {
  const keep = (
    job: {
      relabel_configs?: {
        source_labels?: string[];
        regex?: string;
        action?: string;
      }[];
    },
    label: string,
  ) =>
    job.relabel_configs?.find(
      (r) => r.action === 'keep' && r.source_labels?.[0] === label,
    )?.regex;
  return prometheusJobs(objects).flatMap((job) => {
    const app = keep(job, '__meta_kubernetes_pod_label_app_kubernetes_io_name');
    const portName = keep(job, '__meta_kubernetes_pod_container_port_name');
    if (app && portName) {
      return workloads(objects)
        .filter((w) =>
          new RegExp(`^(?:${app})$`).test(
            w.spec?.template.metadata?.labels?.['app.kubernetes.io/name'] ?? '',
          ),
        )
        .map((w) => ({
          workload: w,
          port: podOf(w).ports![portName]!,
          job: job.job_name,
        }));
    }
    if (keep(job, '__meta_kubernetes_pod_annotation_prometheus_io_scrape')) {
      return workloads(objects)
        .filter(
          (w) =>
            w.spec?.template.metadata?.annotations?.['prometheus.io/scrape'] ===
            'true',
        )
        .map((w) => ({
          workload: w,
          port: Number(
            w.spec!.template.metadata!.annotations!['prometheus.io/port'],
          ),
          job: job.job_name,
        }));
    }
    return [];
  });
}

/**
 * Every connection inside the stack that its rendered config makes: the collector's pushes, Grafana's datasources,
 * and Prometheus's scrapes of the stack's own pods. Read from the config files the pods mount, not from the model.
 */
export function configuredConnections(
  objects: readonly KubeObject[],
): ConfiguredConnection[] {
  const prometheus = podNamed(objects, STACK.prometheus.name);
  const grafana = podNamed(objects, STACK.grafana.name);
  const logCollector = collector(objects);
  const collectorPod = podOf(logCollector.workload);
  const via = (from: Pod, url: string, what: string): ConfiguredConnection => {
    const { pod, port } = serviceBackend(objects, url, from.namespace);
    return { what: `${what} ${url}`, from, to: pod, connection: { port } };
  };
  return [
    ...logCollector.pushUrls.map((url) =>
      via(
        collectorPod,
        url,
        `${logCollector.workload.metadata.name} pushes to`,
      ),
    ),
    ...grafanaDatasources(objects).map((d) =>
      via(grafana, d.url, `grafana queries its ${d.type} datasource at`),
    ),
    ...prometheusAlertmanagers(objects).map((address) =>
      via(prometheus, `http://${address}`, 'prometheus sends alerts to'),
    ),
    ...scrapeTargets(objects)
      .filter((t) => t.workload.metadata.name !== STACK.prometheus.name)
      .map((t) => ({
        what: `prometheus scrapes ${t.workload.metadata.name}:${t.port} (job ${t.job})`,
        from: prometheus,
        to: podOf(t.workload),
        connection: { port: t.port },
      })),
  ];
}
