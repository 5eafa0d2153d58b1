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

/** Options of the node-exporter base. */
export interface NodeExporterOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** CPU and memory of the node-exporter container, per node. @default {"requests":{"cpu":"20m","memory":"32Mi"},"limits":{"cpu":"200m","memory":"64Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedNodeExporterOptions = Required<
  Omit<NodeExporterOptions, 'resources'>
> & { readonly resources: ResolvedResources };

export const DEFAULTS: ResolvedNodeExporterOptions = {
  namespace: DEFAULT_NAMESPACE,
  resources: {
    requests: { cpu: '20m', memory: '32Mi' },
    limits: { cpu: '200m', memory: '64Mi' },
  },
};

export const nodeExporterOptionsSchema: JSONSchemaType<NodeExporterOptions> = {
  $id: 'https://plgkit.dev/schemas/node-exporter-options.json',
  title: 'NodeExporterOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: namespaceOption,
    resources: resourcesSchema(DEFAULTS.resources),
  },
};

function crossChecks(o: ResolvedNodeExporterOptions): OptionIssue[] {
  return resourceIssues('/resources', o.resources);
}

/** Validates options and applies defaults; throws `OptionsError` listing every problem. */
export function resolveNodeExporterOptions(
  options?: NodeExporterOptions,
): ResolvedNodeExporterOptions {
  return resolveOptions<NodeExporterOptions, ResolvedNodeExporterOptions>(
    'node-exporter',
    nodeExporterOptionsSchema,
    options,
    crossChecks,
  );
}
