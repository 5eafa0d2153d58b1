// The options every log collector takes, with one schema and one resolver; each collector package names its own
// interface (with its own resources' defaults) on top.
import type { JSONSchemaType } from 'ajv';
import { RUNTIMES, type Runtime } from './log-collector.js';
import {
  DEFAULT_NAMESPACE,
  namespaceOption,
  type OptionIssue,
  resolveOptions,
} from './options.js';
import {
  type ResolvedResources,
  type ResourceOptions,
  resourceIssues,
  resourcesSchema,
} from './resources.js';
import { connectionUrl, type LogCollectorKey } from './stack.js';

/** Options of a log collector's base. */
export interface LogCollectorOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** Loki's push endpoint. @default - "http://loki.<namespace>.svc:3100/loki/api/v1/push", the plgkit Loki Service */
  readonly lokiUrl?: string;
  /**
   * The runtime the base is built for; the others are one `components:` line away (`components/docker`,
   * `components/containerd`, `components/auto`). containerd (and CRI-O) write CRI-format files in /var/log/pods;
   * docker (via cri-dockerd, minikube's runtime before v1.39) writes JSON files in /var/lib/docker/containers and
   * links them; `auto` picks per container.
   * @default "containerd"
   */
  readonly runtime?: Runtime;
  /** CPU and memory of the collector's container, per node. @default - each collector's own */
  readonly resources?: ResourceOptions;
}

export type ResolvedLogCollectorOptions = Required<
  Omit<LogCollectorOptions, 'resources'>
> & {
  readonly resources: ResolvedResources;
};

/** A collector's defaults: the shared ones and its own resources. */
export function logCollectorDefaults(resources: ResolvedResources) {
  return {
    namespace: DEFAULT_NAMESPACE,
    runtime: 'containerd' as Runtime,
    resources,
  };
}

/** A collector's options schema, published as its package's `schema/options.schema.json`. */
export function logCollectorOptionsSchema(
  key: LogCollectorKey,
  title: string,
  defaults: ReturnType<typeof logCollectorDefaults>,
): JSONSchemaType<LogCollectorOptions> {
  return {
    $id: `https://plgkit.dev/schemas/${key}-options.json`,
    title,
    type: 'object',
    additionalProperties: false,
    properties: {
      namespace: namespaceOption,
      lokiUrl: { type: 'string', format: 'http-url', nullable: true },
      runtime: {
        type: 'string',
        enum: [...RUNTIMES],
        nullable: true,
        default: defaults.runtime,
      },
      resources: resourcesSchema(defaults.resources),
    },
  };
}

type Validated = Omit<ResolvedLogCollectorOptions, 'lokiUrl'> &
  Pick<LogCollectorOptions, 'lokiUrl'>;

/** Validates options, applies defaults (the Loki URL follows the namespace); throws `OptionsError`. */
export function resolveLogCollectorOptions(
  key: LogCollectorKey,
  schema: JSONSchemaType<LogCollectorOptions>,
  options?: LogCollectorOptions,
): ResolvedLogCollectorOptions {
  const crossChecks = (o: Validated): OptionIssue[] =>
    resourceIssues('/resources', o.resources);
  const o = resolveOptions<LogCollectorOptions, Validated>(
    key,
    schema,
    options,
    crossChecks,
  );
  return {
    ...o,
    lokiUrl: o.lokiUrl ?? connectionUrl(key, 'loki', o.namespace),
  };
}
