import { connectionAddress, SERVICE_ACCOUNT_DIR, STACK } from '@plgkit/core';
import type { ResolvedPrometheusOptions } from './options.js';

// prometheus.yml, typed with upstream spelling; only what plgkit writes is modelled.
// https://prometheus.io/docs/prometheus/latest/configuration/configuration/

export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';
}

export interface KubernetesSdConfig {
  role: 'node' | 'pod' | 'service' | 'endpoints' | 'endpointslice' | 'ingress';
}

export interface ScrapeConfig {
  job_name: string;
  /** Keep the labels a target exposes (kube-state-metrics reports other pods' namespace and pod). */
  honor_labels?: boolean;
  scheme?: 'http' | 'https';
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
  kubernetes_sd_configs?: KubernetesSdConfig[];
  authorization?: { credentials_file: string };
  tls_config?: { ca_file: string; insecure_skip_verify?: boolean };
  relabel_configs?: RelabelConfig[];
  metric_relabel_configs?: RelabelConfig[];
  /** What to parse a scrape as when the target sends no valid Content-Type (Prometheus 3 refuses it otherwise). */
  fallback_scrape_protocol?:
    | 'PrometheusText0.0.4'
    | 'PrometheusText1.0.0'
    | 'OpenMetricsText0.0.1'
    | 'OpenMetricsText1.0.0'
    | 'PrometheusProto';
}

export interface AlertingConfig {
  alertmanagers: { static_configs: { targets: string[] }[] }[];
}

export interface PrometheusConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  alerting: AlertingConfig;
  scrape_configs: ScrapeConfig[];
}

/** Where the config file is mounted in the container. */
export const CONFIG_DIR = '/etc/prometheus';
export const CONFIG_FILE = 'prometheus.yml';
/** Where the rule files are mounted; every `*.yaml` there is loaded. */
// Not under CONFIG_DIR: a mount inside another ConfigMap's read-only mount can fail at container start.
export const RULES_DIR = '/etc/prometheus-rules';

/** The service-account token and cluster CA, for jobs that talk to the API server or the kubelets. */
function inClusterAuth(
  insecureSkipVerify = false,
): Pick<ScrapeConfig, 'authorization' | 'tls_config'> {
  return {
    authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
    tls_config: {
      ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt`,
      ...(insecureSkipVerify ? { insecure_skip_verify: true } : {}),
    },
  };
}

/**
 * The families of plgkit's own components that a bundled dashboard or rule reads, by `app.kubernetes.io/name`: all
 * they keep unless `keepAllStackMetrics`. Loki alone exposes about 2,000 series, Prometheus about 1,000, nearly all
 * of them histograms of their internals. A dashboard or rule that reads another family adds it here (the fixture
 * test in scripts/test/metrics.test.ts fails until then).
 */
export const STACK_KEPT_FAMILIES = {
  [STACK.prometheus.name]: [
    'prometheus_config_last_reload_successful',
    'prometheus_rule_evaluation_failures_total',
    'prometheus_rule_evaluations_total',
    'prometheus_tsdb_head_samples_appended_total',
    'prometheus_tsdb_head_series',
    'prometheus_tsdb_storage_blocks_bytes',
    'prometheus_tsdb_wal_corruptions_total',
    'prometheus_tsdb_wal_fsync_duration_seconds_count',
    'prometheus_tsdb_wal_fsync_duration_seconds_sum',
  ],
  [STACK.loki.name]: [
    'loki_distributor_bytes_received_total',
    'loki_distributor_lines_received_total',
    'loki_ingester_memory_chunks',
    'loki_ingester_memory_streams',
    'loki_request_duration_seconds_count',
  ],
  [STACK.promtail.name]: [
    'promtail_dropped_entries_total',
    'promtail_request_duration_seconds_count',
    'promtail_sent_entries_total',
    'promtail_targets_active_total',
  ],
  [STACK.alloy.name]: [
    'loki_source_file_files_active_total',
    'loki_write_dropped_entries_total',
    'loki_write_request_duration_seconds_count',
    'loki_write_sent_entries_total',
  ],
} as const satisfies Record<string, readonly string[]>;

/** The components the pods job finds by their annotations, whose own families it filters. */
const ANNOTATED_STACK_APPS = [
  STACK.loki.name,
  STACK.promtail.name,
  STACK.alloy.name,
] as const;

/** Prometheus scrapes itself. */
export function prometheusJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return {
    job_name: 'prometheus',
    static_configs: [{ targets: ['localhost:9090'] }],
    ...(o.keepAllStackMetrics
      ? {}
      : {
          metric_relabel_configs: [
            keepFamilies(STACK_KEPT_FAMILIES[STACK.prometheus.name]),
          ],
        }),
  };
}

/**
 * The pods job keeps everything a user's annotated pod exposes, and of the stack's own components in the stack's
 * namespace only the families in STACK_KEPT_FAMILIES: a series is marked when its app and name are a kept pair, and
 * the stack's unmarked series are dropped.
 */
export function stackMetricRelabels(namespace: string): RelabelConfig[] {
  const pairs = ANNOTATED_STACK_APPS.map(
    (app) => `${app};(${STACK_KEPT_FAMILIES[app].join('|')})`,
  );
  return [
    {
      source_labels: ['namespace', 'app', '__name__'],
      regex: `${namespace};(${pairs.join('|')})`,
      target_label: '__tmp_stack_kept',
      replacement: 'true',
    },
    {
      source_labels: ['namespace', 'app', '__tmp_stack_kept'],
      regex: `${namespace};(${ANNOTATED_STACK_APPS.join('|')});`,
      action: 'drop',
    },
    { action: 'labeldrop', regex: '__tmp_stack_kept' },
  ];
}

/**
 * The API server families the Control plane dashboard reads: requests by verb and code, their mean latency (sum and
 * count, not the buckets), requests in flight, objects per resource and etcd's size. The API server exposes tens of
 * thousands of series (on the e2e cluster the job stored 28,605 of the head's 39,601 unfiltered, nearly all histogram
 * buckets); a dashboard or rule that reads another family adds it here.
 */
export const APISERVER_KEPT_FAMILIES = [
  'apiserver_current_inflight_requests',
  'apiserver_request_duration_seconds_count',
  'apiserver_request_duration_seconds_sum',
  'apiserver_request_total',
  // Since Kubernetes 1.34; it replaces apiserver_storage_objects, deprecated then.
  'apiserver_resource_objects',
  'apiserver_storage_size_bytes',
] as const;

export function apiServerMetricRelabels(): RelabelConfig[] {
  return [keepFamilies(APISERVER_KEPT_FAMILIES)];
}

/** The API servers, found as the endpoints of `default/kubernetes`. */
export function apiServersJob(): ScrapeConfig {
  return {
    job_name: 'kubernetes-apiservers',
    scheme: 'https',
    kubernetes_sd_configs: [{ role: 'endpointslice' }],
    ...inClusterAuth(),
    relabel_configs: [
      {
        source_labels: [
          '__meta_kubernetes_namespace',
          '__meta_kubernetes_service_name',
          '__meta_kubernetes_endpointslice_port_name',
        ],
        regex: 'default;kubernetes;https',
        action: 'keep',
      },
    ],
    metric_relabel_configs: apiServerMetricRelabels(),
  };
}

/** A job per kubelet endpoint: the kubelet's own metrics, or cAdvisor's container metrics. */
function kubeletEndpointJob(
  jobName: string,
  metricsPath: string,
  o: ResolvedPrometheusOptions,
  metricRelabels: RelabelConfig[],
): ScrapeConfig {
  return {
    job_name: jobName,
    scheme: 'https',
    metrics_path: metricsPath,
    kubernetes_sd_configs: [{ role: 'node' }],
    // The kubelet authorizes the token against nodes/metrics (see the ClusterRole); without it the scrape is 403.
    ...inClusterAuth(o.kubeletInsecureSkipVerify),
    // Only the node's name: its labels are not copied onto every series. minikube rewrites its node's
    // `minikube.k8s.io/updated_at` at each start, which would begin every kubelet and cAdvisor series anew.
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
    ],
    metric_relabel_configs: metricRelabels,
  };
}

/** Keep only these metric families; with none, `()` matches no metric name and the scrape stores only `up` & co. */
function keepFamilies(families: readonly string[]): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: `(${families.join('|')})`,
    action: 'keep',
  };
}

/**
 * The kubelet families plgkit reads (PVC fullness). The kubelet's /metrics is mostly histograms of its own
 * internals (REST client, runtime operations, storage operations), which nothing here queries.
 */
export const KUBELET_KEPT_FAMILIES = [
  'kubelet_volume_stats_available_bytes',
  'kubelet_volume_stats_capacity_bytes',
  'kubelet_volume_stats_used_bytes',
] as const;

/**
 * The kubelet's resource metrics (`/metrics/resource`): each container's CPU and memory, from the kubelet's own stats.
 * Unlike cAdvisor's, their `container`, `pod` and `namespace` labels are right on every runtime: cri-dockerd leaves
 * them empty on cAdvisor's per-container series (kubernetes/kubernetes#111077). The same names as cAdvisor's, so the
 * queries read them unchanged. https://kubernetes.io/docs/reference/instrumentation/node-metrics/
 */
export const RESOURCE_KEPT_FAMILIES = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
] as const;

export function resourceMetricRelabels(): RelabelConfig[] {
  return [keepFamilies(RESOURCE_KEPT_FAMILIES)];
}

/**
 * The cAdvisor families the bundled dashboards and rules read, which only cAdvisor has: CPU throttling and pod
 * network. CPU and memory come from the resource metrics; cAdvisor's other ~50 families are dropped.
 */
export const CADVISOR_KEPT_FAMILIES = [
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
] as const;

/**
 * What the cAdvisor job stores: the kept families, and each value once.
 * - Throttling per container, and per pod: on docker (cri-dockerd) the per-container series have empty labels
 *   (kubernetes/kubernetes#111077, as captured in fixtures/metrics/cadvisor-docker), and only the pod's own cgroup
 *   (`container=""`, `pod` set) names its pod. The pause container (`POD`), system slices and the root cgroup are dropped.
 * - Network belongs to the pod's network namespace: the sandbox's copy (`container=""` on containerd, as captured in
 *   fixtures/metrics/cadvisor-containerd), not the copies of other containers. Docker has no per-pod network at all
 *   (cAdvisor only sees its raw cgroups), so the root cgroup's (`id="/"`: the node's interfaces) is kept too, for
 *   the dashboards' node-level fallback.
 */
export function cadvisorMetricRelabels(): RelabelConfig[] {
  return [
    keepFamilies(CADVISOR_KEPT_FAMILIES),
    {
      source_labels: ['__name__', 'container', 'pod'],
      regex: 'container_cpu_[^;]+;(POD;.*|;)',
      action: 'drop',
    },
    {
      source_labels: ['__name__', 'container', 'pod', 'id'],
      regex:
        'container_network_[^;]+;(POD)?;[^;]+;.*|container_network_[^;]+;;;/',
      target_label: '__tmp_keep_network',
      replacement: 'true',
    },
    {
      source_labels: ['__name__', '__tmp_keep_network'],
      regex: 'container_network_.+;',
      action: 'drop',
    },
    { action: 'labeldrop', regex: '__tmp_keep_network' },
  ];
}

export function kubeletMetricRelabels(): RelabelConfig[] {
  return [keepFamilies(KUBELET_KEPT_FAMILIES)];
}

export function kubeletJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return kubeletEndpointJob(
    'kubernetes-nodes',
    '/metrics',
    o,
    kubeletMetricRelabels(),
  );
}

export function cadvisorJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return kubeletEndpointJob(
    'kubernetes-cadvisor',
    '/metrics/cadvisor',
    o,
    cadvisorMetricRelabels(),
  );
}

/** The kubelet's resource metrics, under the same `nodes/metrics` grant as its other endpoints. */
export function resourceJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return kubeletEndpointJob(
    'kubernetes-resource',
    '/metrics/resource',
    o,
    resourceMetricRelabels(),
  );
}

/**
 * `instance` names the pod and port, not the pod's IP. A pod keeps its name when its node restarts (`minikube stop`
 * and `start`) but gets a new IP, and an IP in `instance` would start every one of its series anew. Targets that no
 * pod backs (the API server's endpoints) keep their address.
 */
const POD_INSTANCE: RelabelConfig = {
  source_labels: ['__meta_kubernetes_pod_name', '__address__'],
  regex: '(.+);.*:(\\d+)',
  replacement: '$1:$2',
  target_label: 'instance',
};

/** Pods of one plgkit component, by their `app.kubernetes.io/name` label and the name of their metrics port. */
function exporterJob<
  K extends 'nodeExporter' | 'kubeStateMetrics' | 'alertmanager',
>(
  key: K,
  port: keyof (typeof STACK)[K]['ports'] & string,
  extra: Partial<ScrapeConfig> = {},
  podLabels = true,
): ScrapeConfig {
  const app = STACK[key].name;
  return {
    job_name: app,
    kubernetes_sd_configs: [{ role: 'pod' }],
    ...extra,
    relabel_configs: [
      {
        source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
        regex: app,
        action: 'keep',
      },
      {
        source_labels: ['__meta_kubernetes_pod_container_port_name'],
        regex: port,
        action: 'keep',
      },
      POD_INSTANCE,
      ...(podLabels
        ? [
            {
              source_labels: ['__meta_kubernetes_namespace'],
              target_label: 'namespace',
            },
            {
              source_labels: ['__meta_kubernetes_pod_name'],
              target_label: 'pod',
            },
            {
              source_labels: ['__meta_kubernetes_pod_node_name'],
              target_label: 'node',
            },
          ]
        : []),
    ],
  };
}

/** node-exporter on every node; its `node` label joins it to kube-state-metrics' node series. */
export function nodeExporterJob(): ScrapeConfig {
  return exporterJob('nodeExporter', 'metrics');
}

/**
 * kube-state-metrics reports other objects' namespace, pod, container and node labels: they must win over the
 * target's, and series that have none (a Deployment's) must not get kube-state-metrics' own pod and node.
 */
export function kubeStateMetricsJob(): ScrapeConfig {
  return exporterJob(
    'kubeStateMetrics',
    'http-metrics',
    { honor_labels: true },
    false,
  );
}

/**
 * Alertmanager's `up` and scrape series only, for TargetDown: nothing here reads its own families yet (about 300
 * series). A dashboard or rule that reads one adds it here.
 */
export const ALERTMANAGER_KEPT_FAMILIES: readonly string[] = [];

export function alertmanagerJob(): ScrapeConfig {
  return {
    ...exporterJob('alertmanager', 'web'),
    metric_relabel_configs: [keepFamilies(ALERTMANAGER_KEPT_FAMILIES)],
  };
}

/** Alerts go to the stack's Alertmanager, through its Service. */
export function alertingConfig(o: ResolvedPrometheusOptions): AlertingConfig {
  return {
    alertmanagers: [
      {
        static_configs: [
          {
            targets: [
              connectionAddress('prometheus', 'alertmanager', o.namespace),
            ],
          },
        ],
      },
    ],
  };
}

/** Relabeling shared by annotation-driven jobs: `prometheus.io/scrape|scheme|path|port` on the given object. */
function annotationRelabels(prefix: string): RelabelConfig[] {
  return [
    {
      source_labels: [`${prefix}_annotation_prometheus_io_scrape`],
      regex: 'true',
      action: 'keep',
    },
    {
      source_labels: [`${prefix}_annotation_prometheus_io_scheme`],
      regex: '(https?)',
      target_label: '__scheme__',
    },
    {
      source_labels: [`${prefix}_annotation_prometheus_io_path`],
      regex: '(.+)',
      target_label: '__metrics_path__',
    },
    {
      source_labels: ['__address__', `${prefix}_annotation_prometheus_io_port`],
      regex: '([^:]+)(?::\\d+)?;(\\d+)',
      replacement: '$1:$2',
      target_label: '__address__',
    },
    POD_INSTANCE,
    {
      source_labels: ['__meta_kubernetes_namespace'],
      target_label: 'namespace',
    },
    // `app` names the component, so rules can ask for Loki or Promtail whatever their pods are called.
    {
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
      regex: '(.+)',
      target_label: 'app',
    },
  ];
}

/**
 * Prometheus 3 refuses a target whose answer has no valid Content-Type ("non-compliant scrape target sending blank
 * Content-Type"). Annotated workloads are the user's own, often a plain file server: read them as the classic text
 * format, as Prometheus 2 did.
 */
const ANNOTATED_FALLBACK = 'PrometheusText0.0.4' as const;

/**
 * Services annotated `prometheus.io/scrape: "true"`, through their EndpointSlices. A pod annotated itself is the
 * pods job's alone: scraped by both jobs, each of its series would be stored twice, under two `job`s.
 */
export function serviceEndpointsJob(): ScrapeConfig {
  return {
    job_name: 'kubernetes-service-endpoints',
    fallback_scrape_protocol: ANNOTATED_FALLBACK,
    kubernetes_sd_configs: [{ role: 'endpointslice' }],
    relabel_configs: [
      ...annotationRelabels('__meta_kubernetes_service'),
      {
        source_labels: [
          '__meta_kubernetes_pod_annotation_prometheus_io_scrape',
        ],
        regex: 'true',
        action: 'drop',
      },
      {
        source_labels: ['__meta_kubernetes_service_name'],
        target_label: 'service',
      },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      {
        source_labels: ['__meta_kubernetes_pod_node_name'],
        target_label: 'node',
      },
    ],
  };
}

/** Pods annotated `prometheus.io/scrape: "true"`; pods that are not running have nothing to scrape. */
export function podsJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return {
    job_name: 'kubernetes-pods',
    fallback_scrape_protocol: ANNOTATED_FALLBACK,
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      {
        source_labels: ['__meta_kubernetes_pod_phase'],
        regex: 'Pending|Succeeded|Failed|Completed',
        action: 'drop',
      },
      ...annotationRelabels('__meta_kubernetes_pod'),
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      {
        source_labels: ['__meta_kubernetes_pod_node_name'],
        target_label: 'node',
      },
    ],
    ...(o.keepAllStackMetrics
      ? {}
      : { metric_relabel_configs: stackMetricRelabels(o.namespace) }),
  };
}

export function prometheusConfig(
  o: ResolvedPrometheusOptions,
): PrometheusConfig {
  return {
    global: {
      scrape_interval: o.scrapeInterval,
      evaluation_interval: o.scrapeInterval,
    },
    rule_files: [`${RULES_DIR}/*.yaml`],
    alerting: alertingConfig(o),
    scrape_configs: [
      prometheusJob(o),
      apiServersJob(),
      kubeletJob(o),
      cadvisorJob(o),
      resourceJob(o),
      nodeExporterJob(),
      kubeStateMetricsJob(),
      alertmanagerJob(),
      serviceEndpointsJob(),
      podsJob(o),
    ],
  };
}
