import { SERVICE_ACCOUNT_DIR } from '@plgkit/core';
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
  scheme?: 'http' | 'https';
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
  kubernetes_sd_configs?: KubernetesSdConfig[];
  authorization?: { credentials_file: string };
  tls_config?: { ca_file: string; insecure_skip_verify?: boolean };
  relabel_configs?: RelabelConfig[];
  metric_relabel_configs?: RelabelConfig[];
}

export interface PrometheusConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  scrape_configs: ScrapeConfig[];
}

/** Where the config file is mounted in the container. */
export const CONFIG_DIR = '/etc/prometheus';
export const CONFIG_FILE = 'prometheus.yml';

/** The service-account token and cluster CA, for jobs that talk to the API server or the kubelets. */
function inClusterAuth(insecureSkipVerify = false): Pick<ScrapeConfig, 'authorization' | 'tls_config'> {
  return {
    authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
    tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt`, ...(insecureSkipVerify ? { insecure_skip_verify: true } : {}) },
  };
}

/** Prometheus scrapes itself. */
export function prometheusJob(): ScrapeConfig {
  return { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] };
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
        source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
        regex: 'default;kubernetes;https',
        action: 'keep',
      },
    ],
  };
}

/** A job per kubelet endpoint: the kubelet's own metrics, or cAdvisor's container metrics. */
function kubeletEndpointJob(jobName: string, metricsPath: string, o: ResolvedPrometheusOptions): ScrapeConfig {
  return {
    job_name: jobName,
    scheme: 'https',
    metrics_path: metricsPath,
    kubernetes_sd_configs: [{ role: 'node' }],
    // The kubelet authorizes the token against nodes/metrics (see the ClusterRole); without it the scrape is 403.
    ...inClusterAuth(o.kubeletInsecureSkipVerify),
    relabel_configs: [{ action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' }],
  };
}

export function kubeletJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return kubeletEndpointJob('kubernetes-nodes', '/metrics', o);
}

export function cadvisorJob(o: ResolvedPrometheusOptions): ScrapeConfig {
  return kubeletEndpointJob('kubernetes-cadvisor', '/metrics/cadvisor', o);
}

/** Relabeling shared by annotation-driven jobs: `prometheus.io/scrape|scheme|path|port` on the given object. */
function annotationRelabels(prefix: string): RelabelConfig[] {
  return [
    { source_labels: [`${prefix}_annotation_prometheus_io_scrape`], regex: 'true', action: 'keep' },
    { source_labels: [`${prefix}_annotation_prometheus_io_scheme`], regex: '(https?)', target_label: '__scheme__' },
    { source_labels: [`${prefix}_annotation_prometheus_io_path`], regex: '(.+)', target_label: '__metrics_path__' },
    {
      source_labels: ['__address__', `${prefix}_annotation_prometheus_io_port`],
      regex: '([^:]+)(?::\\d+)?;(\\d+)',
      replacement: '$1:$2',
      target_label: '__address__',
    },
    { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  ];
}

/** Services annotated `prometheus.io/scrape: "true"`, through their EndpointSlices. */
export function serviceEndpointsJob(): ScrapeConfig {
  return {
    job_name: 'kubernetes-service-endpoints',
    kubernetes_sd_configs: [{ role: 'endpointslice' }],
    relabel_configs: [
      ...annotationRelabels('__meta_kubernetes_service'),
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
    ],
  };
}

/** Pods annotated `prometheus.io/scrape: "true"`; pods that are not running have nothing to scrape. */
export function podsJob(): ScrapeConfig {
  return {
    job_name: 'kubernetes-pods',
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: 'drop' },
      ...annotationRelabels('__meta_kubernetes_pod'),
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
    ],
  };
}

export function prometheusConfig(o: ResolvedPrometheusOptions): PrometheusConfig {
  return {
    global: { scrape_interval: o.scrapeInterval, evaluation_interval: o.scrapeInterval },
    scrape_configs: [prometheusJob(), apiServersJob(), kubeletJob(o), cadvisorJob(o), serviceEndpointsJob(), podsJob()],
  };
}
