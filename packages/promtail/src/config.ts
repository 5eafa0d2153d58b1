import {
  DOCKER_CONTAINERS_DIR,
  POD_LOGS_DIR,
  RUNTIME_LABEL,
  STACK,
} from '@plgkit/core';
import type { ResolvedPromtailOptions, Runtime } from './options.js';

export { DOCKER_CONTAINERS_DIR, POD_LOGS_DIR, RUNTIME_LABEL };

// promtail.yaml, typed with upstream spelling. https://grafana.com/docs/loki/latest/send-data/promtail/configuration/

export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop' | 'labelmap';
}

/**
 * `docker` parses docker's JSON lines; `cri` parses containerd/CRI-O's `<time> <stream> <flag> <line>`; `replace`
 * rewrites what its RE2 expression's groups capture.
 */
export type ParseStage =
  | { docker: Record<string, never> }
  | { cri: Record<string, never> }
  | { replace: { expression: string; replace: string } };
/** `match` runs its stages only on streams its LogQL selector picks; `labeldrop` removes helper labels. */
export type PipelineStage =
  | ParseStage
  | { match: { selector: string; stages: ParseStage[] } }
  | { labeldrop: string[] };

export interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs: {
    role: 'pod';
    selectors?: { role: 'pod'; field: string }[];
  }[];
  pipeline_stages: PipelineStage[];
  relabel_configs: RelabelConfig[];
}

export interface PromtailConfig {
  server: {
    http_listen_port: number;
    grpc_listen_port: number;
    log_level: string;
  };
  positions: { filename: string };
  clients: { url: string }[];
  scrape_configs: ScrapeConfig[];
}

export const CONFIG_DIR = '/etc/promtail';
export const CONFIG_FILE = 'promtail.yaml';
export const HTTP_PORT = STACK.promtail.ports['http-metrics'];
/** Where the positions file lives in the container; a hostPath, so a restarted pod resumes where it stopped. */
export const POSITIONS_DIR = '/run/promtail';
export const POSITIONS_HOST_DIR = '/var/lib/promtail';
/** Set from the pod's `spec.nodeName`; expanded in this file by `-config.expand-env=true`. */
export const NODE_NAME_ENV = 'HOSTNAME';

/**
 * docker's `log` field keeps the newline the program wrote, and the docker stage passes it on (the CRI format has
 * none), so it is cut: the line in Loki is the line as written. Docker splits lines over 16 KiB into entries without
 * it; Promtail cannot join those (grafana/loki#2281), so they arrive as pieces, each unchanged.
 */
export function dockerStages(): ParseStage[] {
  return [{ docker: {} }, { replace: { expression: '(\\n)$', replace: '' } }];
}

export function pipelineStages(runtime: Runtime): PipelineStage[] {
  if (runtime === 'docker') return dockerStages();
  if (runtime === 'containerd') return [{ cri: {} }];
  // A selector must have a matcher that cannot match the empty value (LogQL), hence the regex for CRI runtimes.
  return [
    {
      match: {
        selector: `{${RUNTIME_LABEL}="docker"}`,
        stages: dockerStages(),
      },
    },
    {
      match: {
        selector: `{${RUNTIME_LABEL}=~"containerd|cri-o"}`,
        stages: [{ cri: {} }],
      },
    },
    { labeldrop: [RUNTIME_LABEL] },
  ];
}

/** `docker://0a1b…` → `container_runtime="docker"`, for `auto`'s pipeline to pick its stage. */
export function runtimeRelabel(): RelabelConfig {
  return {
    source_labels: ['__meta_kubernetes_pod_container_id'],
    regex: '([a-z-]+)://.+',
    target_label: RUNTIME_LABEL,
  };
}

/** Keep only this node's pods, label them, and point `__path__` at their files. */
export function podRelabels(runtime: Runtime): RelabelConfig[] {
  return [
    {
      source_labels: ['__meta_kubernetes_pod_node_name'],
      regex: `\${${NODE_NAME_ENV}}`,
      action: 'keep',
    },
    {
      source_labels: ['__meta_kubernetes_namespace'],
      target_label: 'namespace',
    },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    {
      source_labels: ['__meta_kubernetes_pod_container_name'],
      target_label: 'container',
    },
    {
      source_labels: ['__meta_kubernetes_pod_node_name'],
      target_label: 'node',
    },
    // `app` is the recommended label if set, else the older `app` label.
    {
      source_labels: [
        '__meta_kubernetes_pod_label_app_kubernetes_io_name',
        '__meta_kubernetes_pod_label_app',
      ],
      separator: ';',
      regex: ';*([^;]+);*.*',
      target_label: 'app',
    },
    {
      source_labels: [
        '__meta_kubernetes_pod_uid',
        '__meta_kubernetes_pod_container_name',
      ],
      separator: '/',
      regex: '(.+)',
      replacement: `${POD_LOGS_DIR}/*$1/*.log`,
      target_label: '__path__',
    },
    ...(runtime === 'auto' ? [runtimeRelabel()] : []),
  ];
}

export function podsJob(runtime: Runtime): ScrapeConfig {
  return {
    job_name: 'kubernetes-pods',
    // The field selector asks the API server for this node's pods only; the keep rule enforces it.
    kubernetes_sd_configs: [
      {
        role: 'pod',
        selectors: [
          { role: 'pod', field: `spec.nodeName=\${${NODE_NAME_ENV}}` },
        ],
      },
    ],
    pipeline_stages: pipelineStages(runtime),
    relabel_configs: podRelabels(runtime),
  };
}

export function promtailConfig(o: ResolvedPromtailOptions): PromtailConfig {
  return {
    server: {
      http_listen_port: HTTP_PORT,
      grpc_listen_port: 0,
      log_level: 'info',
    },
    positions: { filename: `${POSITIONS_DIR}/positions.yaml` },
    clients: [{ url: o.lokiUrl }],
    scrape_configs: [podsJob(o.runtime)],
  };
}
