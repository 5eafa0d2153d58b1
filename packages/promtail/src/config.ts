import {
  type CollectorStage,
  collectorRules,
  collectorStages,
  goDuration,
  LOG_DELIVERY,
  NODE_NAME_ENV,
  type Runtime,
  STACK,
} from '@plgkit/core';
import type { ResolvedPromtailOptions } from './options.js';

// promtail.yaml, typed with upstream spelling. https://grafana.com/docs/loki/latest/send-data/promtail/configuration/

export interface RelabelConfig {
  source_labels?: readonly string[];
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

/** https://grafana.com/docs/loki/latest/send-data/promtail/configuration/#clients */
export interface Client {
  url: string;
  timeout: string;
  backoff_config: {
    min_period: string;
    max_period: string;
    max_retries: number;
  };
}

export interface PromtailConfig {
  server: {
    http_listen_port: number;
    grpc_listen_port: number;
    log_level: string;
  };
  positions: { filename: string };
  clients: Client[];
  scrape_configs: ScrapeConfig[];
}

export const CONFIG_FILE = 'promtail.yaml';
export const HTTP_PORT = STACK.promtail.ports['http-metrics'];
/** Where the positions file lives in the container; a hostPath, so a restarted pod resumes where it stopped. */
export const POSITIONS_DIR = '/run/promtail';
export const POSITIONS_HOST_DIR = '/var/lib/promtail';

/** The shared pipeline's stages in promtail.yaml's spelling. */
export function renderStage(stage: CollectorStage): PipelineStage {
  if ('parse' in stage)
    return stage.parse === 'docker' ? { docker: {} } : { cri: {} };
  if ('replace' in stage) return { replace: { ...stage.replace } };
  if ('labelDrop' in stage) return { labeldrop: [...stage.labelDrop] };
  return {
    match: {
      selector: stage.match.selector,
      stages: stage.match.stages.map(renderStage) as ParseStage[],
    },
  };
}

/** `${HOSTNAME}`, which `-config.expand-env=true` expands: core's NODE_NAME_ENV, set from the pod's `spec.nodeName`. */
const OWN_NODE = `\${${NODE_NAME_ENV}}`;

export function podsJob(runtime: Runtime): ScrapeConfig {
  return {
    job_name: 'kubernetes-pods',
    // The field selector asks the API server for this node's pods only; the keep rule enforces it.
    kubernetes_sd_configs: [
      {
        role: 'pod',
        selectors: [{ role: 'pod', field: `spec.nodeName=${OWN_NODE}` }],
      },
    ],
    pipeline_stages: collectorStages(runtime).map(renderStage),
    relabel_configs: collectorRules(runtime, OWN_NODE),
  };
}

/** The push to Loki, with core's retries. Promtail pushes on while it stops, until the pod's grace period ends. */
export function lokiClient(url: string, d = LOG_DELIVERY): Client {
  return {
    url,
    timeout: goDuration(d.timeoutSeconds),
    backoff_config: {
      min_period: goDuration(d.minBackoffSeconds),
      max_period: goDuration(d.maxBackoffSeconds),
      max_retries: d.maxRetries,
    },
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
    clients: [lokiClient(o.lokiUrl)],
    scrape_configs: [podsJob(o.runtime)],
  };
}
