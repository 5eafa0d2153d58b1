import {
  DEFAULT_NAMESPACE,
  durationSeconds,
  type JSONSchemaType,
  namespaceOption,
  type OptionIssue,
  parseQuantity,
  type ResolvedResources,
  type ResourceOptions,
  resolveOptions,
  resourceIssues,
  resourcesSchema,
  toBytes,
} from '@plgkit/core';

/** Options of the Prometheus base. Every field is optional; the defaults fit a default minikube. */
export interface PrometheusOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /**
   * How long samples are kept (`--storage.tsdb.retention.time`).
   * @see https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects
   * @default "7d"
   */
  readonly retention?: string;
  /**
   * The most the TSDB may hold before the oldest blocks are deleted (`--storage.tsdb.retention.size`, decimal units).
   * Must stay below `storageSize`, or the volume fills before retention deletes anything.
   * @default "4GB"
   */
  readonly retentionSize?: string;
  /** Size of the PersistentVolumeClaim that holds the TSDB and WAL. @default "5Gi" */
  readonly storageSize?: string;
  /** How often targets are scraped (`global.scrape_interval`). @default "30s" */
  readonly scrapeInterval?: string;
  /**
   * Skip TLS verification of kubelet (and cAdvisor) serving certificates. Kubelets on minikube, kind and kubeadm
   * clusters serve self-signed certificates that the cluster CA did not sign, so verification fails there unless
   * kubelet serving-certificate rotation is set up; set `false` on clusters where it is.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/
   * @default true
   */
  readonly kubeletInsecureSkipVerify?: boolean;
  /**
   * Keep every metric family of plgkit's own components (Prometheus, Loki, Promtail or Alloy), not only those a
   * bundled dashboard or rule reads (STACK_KEPT_FAMILIES): about 3,000 series more on one node. Pods you annotate
   * keep all their families either way.
   * @default false
   */
  readonly keepAllStackMetrics?: boolean;
  /** CPU and memory of the Prometheus container. @default {"requests":{"cpu":"100m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedPrometheusOptions = Required<
  Omit<PrometheusOptions, 'resources'>
> & { readonly resources: ResolvedResources };

export const DEFAULTS: ResolvedPrometheusOptions = {
  namespace: DEFAULT_NAMESPACE,
  retention: '7d',
  retentionSize: '4GB',
  storageSize: '5Gi',
  scrapeInterval: '30s',
  kubeletInsecureSkipVerify: true,
  keepAllStackMetrics: false,
  resources: {
    requests: { cpu: '100m', memory: '256Mi' },
    limits: { cpu: '1', memory: '512Mi' },
  },
};

export const prometheusOptionsSchema: JSONSchemaType<PrometheusOptions> = {
  $id: 'https://plgkit.dev/schemas/prometheus-options.json',
  title: 'PrometheusOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: namespaceOption,
    retention: {
      type: 'string',
      format: 'duration',
      nullable: true,
      default: DEFAULTS.retention,
    },
    retentionSize: {
      type: 'string',
      format: 'byte-size',
      nullable: true,
      default: DEFAULTS.retentionSize,
    },
    storageSize: {
      type: 'string',
      format: 'quantity',
      nullable: true,
      default: DEFAULTS.storageSize,
    },
    scrapeInterval: {
      type: 'string',
      format: 'duration',
      nullable: true,
      default: DEFAULTS.scrapeInterval,
    },
    kubeletInsecureSkipVerify: {
      type: 'boolean',
      nullable: true,
      default: DEFAULTS.kubeletInsecureSkipVerify,
    },
    keepAllStackMetrics: {
      type: 'boolean',
      nullable: true,
      default: DEFAULTS.keepAllStackMetrics,
    },
    resources: resourcesSchema(DEFAULTS.resources),
  },
};

/** One TSDB block: a shorter retention deletes each block as it is cut; 0 leaves only retentionSize to delete. */
export const MIN_RETENTION = '2h';

function crossChecks(o: ResolvedPrometheusOptions): OptionIssue[] {
  const issues = resourceIssues('/resources', o.resources);
  if (durationSeconds(o.retention) < durationSeconds(MIN_RETENTION))
    issues.push({
      path: '/retention',
      message: `got ${o.retention}, expected at least ${MIN_RETENTION}: one TSDB block, and 0 would keep samples until the volume is full, e.g. "7d"`,
    });
  if (toBytes(o.retentionSize) >= parseQuantity(o.storageSize)) {
    issues.push({
      path: '/retentionSize',
      message: `got ${JSON.stringify(o.retentionSize)}, expected less than storageSize ${JSON.stringify(o.storageSize)} (leave room for the WAL), e.g. "${Math.floor((parseQuantity(o.storageSize) * 0.8) / 1e6)}MB"`,
    });
  }
  return issues;
}

/** Validates options and applies defaults; throws `OptionsError` listing every problem. */
export function resolvePrometheusOptions(
  options?: PrometheusOptions,
): ResolvedPrometheusOptions {
  return resolveOptions<PrometheusOptions, ResolvedPrometheusOptions>(
    'prometheus',
    prometheusOptionsSchema,
    options,
    crossChecks,
  );
}
