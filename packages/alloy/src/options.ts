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

/** Options of the Alloy base. */
export interface AlloyOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** Loki's push endpoint. @default - "http://loki.<namespace>.svc:3100/loki/api/v1/push", the plgkit Loki Service */
  readonly lokiUrl?: string;
  /**
   * The runtime the base is built for; the others are one `components:` line away (`components/docker`,
   * `components/containerd`, `components/auto`).
   * @default "containerd"
   */
  readonly runtime?: Runtime;
  /** CPU and memory of the Alloy container, per node. @default {"requests":{"cpu":"50m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedAlloyOptions = Required<Omit<AlloyOptions, 'resources'>> & {
  readonly resources: ResolvedResources;
};

export const DEFAULTS = {
  namespace: DEFAULT_NAMESPACE,
  runtime: 'containerd',
  resources: {
    requests: { cpu: '50m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
} as const satisfies Partial<ResolvedAlloyOptions>;

export const alloyOptionsSchema: JSONSchemaType<AlloyOptions> = {
  $id: 'https://plgkit.dev/schemas/alloy-options.json',
  title: 'AlloyOptions',
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

type Validated = Omit<ResolvedAlloyOptions, 'lokiUrl'> &
  Pick<AlloyOptions, 'lokiUrl'>;

function crossChecks(o: Validated): OptionIssue[] {
  return resourceIssues('/resources', o.resources);
}

/** Validates options, applies defaults (the Loki URL follows the namespace); throws `OptionsError`. */
export function resolveAlloyOptions(
  options?: AlloyOptions,
): ResolvedAlloyOptions {
  const o = resolveOptions<AlloyOptions, Validated>(
    'alloy',
    alloyOptionsSchema,
    options,
    crossChecks,
  );
  return {
    ...o,
    lokiUrl: o.lokiUrl ?? connectionUrl('alloy', 'loki', o.namespace),
  };
}
