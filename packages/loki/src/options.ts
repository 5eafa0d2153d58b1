import {
  DEFAULT_NAMESPACE,
  durationSeconds,
  type JSONSchemaType,
  namespaceOption,
  type OptionalSchema,
  type OptionIssue,
  parseQuantity,
  type ResolvedResources,
  type ResourceOptions,
  resolveOptions,
  resourceIssues,
  resourcesSchema,
} from '@plgkit/core';

/** Per-tenant limits, sized for a small cluster. @see https://grafana.com/docs/loki/latest/configure/#limits_config */
export interface LokiLimits {
  /** Sustained ingestion rate per tenant, in MB/s (`ingestion_rate_mb`). @default 4 */
  readonly ingestionRateMb?: number;
  /** Burst above the rate, in MB (`ingestion_burst_size_mb`). @default 8 */
  readonly ingestionBurstSizeMb?: number;
  /** Lines older than this are rejected (`reject_old_samples_max_age`). @default "168h" */
  readonly rejectOldSamplesMaxAge?: string;
  /** Active streams per tenant (`max_global_streams_per_user`); a label with unbounded values hits this first. @default 5000 */
  readonly maxStreams?: number;
}

/** Options of the Loki base. */
export interface LokiOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** How long logs are kept; the compactor deletes older chunks (`limits_config.retention_period`). @default "7d" */
  readonly retention?: string;
  /** Size of the PersistentVolumeClaim for chunks, index and WAL. @default "5Gi" */
  readonly storageSize?: string;
  /** Ingestion limits. @default {"ingestionRateMb":4,"ingestionBurstSizeMb":8,"rejectOldSamplesMaxAge":"168h","maxStreams":5000} */
  readonly limits?: LokiLimits;
  /** CPU and memory of the Loki container. @default {"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"1","memory":"384Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedLokiOptions = Required<
  Omit<LokiOptions, 'resources' | 'limits'>
> & {
  readonly limits: Required<LokiLimits>;
  readonly resources: ResolvedResources;
};

export const DEFAULTS: ResolvedLokiOptions = {
  namespace: DEFAULT_NAMESPACE,
  retention: '7d',
  storageSize: '5Gi',
  limits: {
    ingestionRateMb: 4,
    ingestionBurstSizeMb: 8,
    rejectOldSamplesMaxAge: '168h',
    maxStreams: 5000,
  },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '1', memory: '384Mi' },
  },
};

const limitsSchema: OptionalSchema<LokiLimits> = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  default: {},
  properties: {
    ingestionRateMb: {
      type: 'number',
      exclusiveMinimum: 0,
      nullable: true,
      default: DEFAULTS.limits.ingestionRateMb,
    },
    ingestionBurstSizeMb: {
      type: 'number',
      exclusiveMinimum: 0,
      nullable: true,
      default: DEFAULTS.limits.ingestionBurstSizeMb,
    },
    rejectOldSamplesMaxAge: {
      type: 'string',
      format: 'duration',
      nullable: true,
      default: DEFAULTS.limits.rejectOldSamplesMaxAge,
    },
    maxStreams: {
      type: 'integer',
      minimum: 1,
      nullable: true,
      default: DEFAULTS.limits.maxStreams,
    },
  },
};

export const lokiOptionsSchema: JSONSchemaType<LokiOptions> = {
  $id: 'https://plgkit.dev/schemas/loki-options.json',
  title: 'LokiOptions',
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
    storageSize: {
      type: 'string',
      format: 'quantity',
      nullable: true,
      default: DEFAULTS.storageSize,
    },
    limits: limitsSchema,
    resources: resourcesSchema(DEFAULTS.resources),
  },
};

/** Loki's WAL replay ceiling (loki.yaml): the memory limit must hold twice it. Kept here so options can check it. */
export const WAL_REPLAY_CEILING_BYTES = 100e6;

/** Loki refuses a per-stream retention under 24h (limits_config validation); 0 would keep logs forever. */
export const MIN_RETENTION = '24h';

function crossChecks(o: ResolvedLokiOptions): OptionIssue[] {
  const issues = resourceIssues('/resources', o.resources);
  if (durationSeconds(o.retention) < durationSeconds(MIN_RETENTION))
    issues.push({
      path: '/retention',
      message: `got ${o.retention}, expected at least 1d: Loki keeps whole days (its per-stream retention must be >= 24h), and 0 would keep logs forever, e.g. "7d"`,
    });
  const minimum = Math.ceil((2 * WAL_REPLAY_CEILING_BYTES) / 2 ** 20);
  if (parseQuantity(o.resources.limits.memory) < 2 * WAL_REPLAY_CEILING_BYTES) {
    issues.push({
      path: '/resources/limits/memory',
      message: `got ${o.resources.limits.memory}, expected at least ${minimum}Mi: twice the WAL replay ceiling (100MB), so a restart after a crash fits, e.g. 384Mi`,
    });
  }
  if (o.limits.ingestionBurstSizeMb < o.limits.ingestionRateMb) {
    issues.push({
      path: '/limits/ingestionBurstSizeMb',
      message: `got ${o.limits.ingestionBurstSizeMb}, expected at least ingestionRateMb (${o.limits.ingestionRateMb}), e.g. ${o.limits.ingestionRateMb * 2}`,
    });
  }
  return issues;
}

/** Validates options and applies defaults; throws `OptionsError` listing every problem. */
export function resolveLokiOptions(options?: LokiOptions): ResolvedLokiOptions {
  return resolveOptions<LokiOptions, ResolvedLokiOptions>(
    'loki',
    lokiOptionsSchema,
    options,
    crossChecks,
  );
}
