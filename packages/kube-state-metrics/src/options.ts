import {
  DEFAULT_NAMESPACE,
  type JSONSchemaType,
  namespaceOption,
  type OptionIssue,
  type ResolvedResources,
  type ResourceOptions,
  resolveOptions,
  resourceIssues,
  resourcesSchema,
} from '@plgkit/core';

/** Options of the kube-state-metrics base. */
export interface KubeStateMetricsOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** CPU and memory of the kube-state-metrics container. @default {"requests":{"cpu":"10m","memory":"48Mi"},"limits":{"cpu":"200m","memory":"128Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedKubeStateMetricsOptions = Required<
  Omit<KubeStateMetricsOptions, 'resources'>
> & { readonly resources: ResolvedResources };

export const DEFAULTS: ResolvedKubeStateMetricsOptions = {
  namespace: DEFAULT_NAMESPACE,
  resources: {
    requests: { cpu: '10m', memory: '48Mi' },
    limits: { cpu: '200m', memory: '128Mi' },
  },
};

export const kubeStateMetricsOptionsSchema: JSONSchemaType<KubeStateMetricsOptions> =
  {
    $id: 'https://plgkit.dev/schemas/kube-state-metrics-options.json',
    title: 'KubeStateMetricsOptions',
    type: 'object',
    additionalProperties: false,
    properties: {
      namespace: namespaceOption,
      resources: resourcesSchema(DEFAULTS.resources),
    },
  };

function crossChecks(o: ResolvedKubeStateMetricsOptions): OptionIssue[] {
  return resourceIssues('/resources', o.resources);
}

/** Validates options and applies defaults; throws `OptionsError` listing every problem. */
export function resolveKubeStateMetricsOptions(
  options?: KubeStateMetricsOptions,
): ResolvedKubeStateMetricsOptions {
  return resolveOptions<
    KubeStateMetricsOptions,
    ResolvedKubeStateMetricsOptions
  >('kube-state-metrics', kubeStateMetricsOptionsSchema, options, crossChecks);
}
