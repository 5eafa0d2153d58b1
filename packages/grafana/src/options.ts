import {
  connectionUrl,
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

/** Options of the Grafana base. */
export interface GrafanaOptions {
  /** Namespace of every namespaced object. @default "monitoring" */
  readonly namespace?: string;
  /** URL of the Prometheus datasource. @default - "http://prometheus.<namespace>.svc:9090", the plgkit Prometheus Service */
  readonly prometheusUrl?: string;
  /** URL of the Loki datasource. @default - "http://loki.<namespace>.svc:3100", the plgkit Loki Service */
  readonly lokiUrl?: string;
  /** URL of the Alertmanager datasource. @default - "http://alertmanager.<namespace>.svc:9093", the plgkit Alertmanager Service */
  readonly alertmanagerUrl?: string;
  /**
   * Name of the Secret with keys `admin-user` and `admin-password`. The base does not create it: overlays make it
   * with a kustomize secretGenerator, so no password is ever a literal in the Deployment.
   * @default "grafana-admin"
   */
  readonly adminSecretName?: string;
  /**
   * CPU and memory of the Grafana container. Not measured by plgkit (its server cannot be run on the e2e machine).
   * Upstream reports Grafana 13.0 idling near 330 MiB and OOMKilled under a 400 MiB limit (grafana/grafana#123017),
   * and 13.2 running the Prometheus and Loki datasources as plugin processes of their own in the same container.
   * @default {"requests":{"cpu":"50m","memory":"256Mi"},"limits":{"cpu":"500m","memory":"640Mi"}}
   */
  readonly resources?: ResourceOptions;
}

export type ResolvedGrafanaOptions = Required<
  Omit<GrafanaOptions, 'resources'>
> & { readonly resources: ResolvedResources };

export const DEFAULTS = {
  namespace: DEFAULT_NAMESPACE,
  adminSecretName: 'grafana-admin',
  resources: {
    requests: { cpu: '50m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '640Mi' },
  },
} as const satisfies Partial<ResolvedGrafanaOptions>;

export const grafanaOptionsSchema: JSONSchemaType<GrafanaOptions> = {
  $id: 'https://plgkit.dev/schemas/grafana-options.json',
  title: 'GrafanaOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: namespaceOption,
    prometheusUrl: { type: 'string', format: 'http-url', nullable: true },
    lokiUrl: { type: 'string', format: 'http-url', nullable: true },
    alertmanagerUrl: { type: 'string', format: 'http-url', nullable: true },
    adminSecretName: {
      type: 'string',
      format: 'dns1123-label',
      nullable: true,
      default: DEFAULTS.adminSecretName,
    },
    resources: resourcesSchema(DEFAULTS.resources),
  },
};

type DatasourceUrl = 'prometheusUrl' | 'lokiUrl' | 'alertmanagerUrl';
type Validated = Omit<ResolvedGrafanaOptions, DatasourceUrl> &
  Pick<GrafanaOptions, DatasourceUrl>;

function crossChecks(o: Validated): OptionIssue[] {
  return resourceIssues('/resources', o.resources);
}

/** Validates options, applies defaults (datasource URLs follow the namespace); throws `OptionsError`. */
export function resolveGrafanaOptions(
  options?: GrafanaOptions,
): ResolvedGrafanaOptions {
  const o = resolveOptions<GrafanaOptions, Validated>(
    'grafana',
    grafanaOptionsSchema,
    options,
    crossChecks,
  );
  return {
    ...o,
    prometheusUrl:
      o.prometheusUrl ?? connectionUrl('grafana', 'prometheus', o.namespace),
    lokiUrl: o.lokiUrl ?? connectionUrl('grafana', 'loki', o.namespace),
    alertmanagerUrl:
      o.alertmanagerUrl ??
      connectionUrl('grafana', 'alertmanager', o.namespace),
  };
}
