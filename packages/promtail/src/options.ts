import {
  connectionUrl,
  DEFAULT_NAMESPACE,
  type JSONSchemaType,
  namespaceOption,
  type OptionIssue,
  type ResolvedResources,
  type ResourceOptions,
  RUNTIMES,
  type Runtime,
  resolveOptions,
  resourceIssues,
  resourcesSchema,
} from '@plgkit/core';

export { RUNTIMES, type Runtime };

/** Options of the Promtail base. */
export interface PromtailOptions {
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
  /** CPU and memory of the Promtail container, per node. @default {"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedPromtailOptions = Required<
  Omit<PromtailOptions, 'resources'>
> & { readonly resources: ResolvedResources };

export const DEFAULTS = {
  namespace: DEFAULT_NAMESPACE,
  runtime: 'containerd',
  resources: {
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { cpu: '500m', memory: '128Mi' },
  },
} as const satisfies Partial<ResolvedPromtailOptions>;

export const promtailOptionsSchema: JSONSchemaType<PromtailOptions> = {
  $id: 'https://plgkit.dev/schemas/promtail-options.json',
  title: 'PromtailOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: namespaceOption,
    lokiUrl: { type: 'string', format: 'http-url', nullable: true },
    runtime: {
      type: 'string',
      enum: [...RUNTIMES],
      nullable: true,
      default: DEFAULTS.runtime,
    },
    resources: resourcesSchema(DEFAULTS.resources),
  },
};

type Validated = Omit<ResolvedPromtailOptions, 'lokiUrl'> &
  Pick<PromtailOptions, 'lokiUrl'>;

function crossChecks(o: Validated): OptionIssue[] {
  return resourceIssues('/resources', o.resources);
}

/** Validates options, applies defaults (the Loki URL follows the namespace); throws `OptionsError`. */
export function resolvePromtailOptions(
  options?: PromtailOptions,
): ResolvedPromtailOptions {
  const o = resolveOptions<PromtailOptions, Validated>(
    'promtail',
    promtailOptionsSchema,
    options,
    crossChecks,
  );
  return {
    ...o,
    lokiUrl: o.lokiUrl ?? connectionUrl('promtail', 'loki', o.namespace),
  };
}
