import {
  durationSeconds,
  type JSONSchemaType,
  STACK as MODEL,
  namespaceOption,
  type OptionIssue,
  RUNTIMES,
  type Runtime,
  resolveOptions,
} from '@plgkit/core';
import { MIN_RETENTION as LOKI_MIN_RETENTION } from '@plgkit/loki';
import { MIN_RETENTION as PROMETHEUS_MIN_RETENTION } from '@plgkit/prometheus';
import { PROFILES, type Profile } from './profiles.js';
import { COLLECTORS, type Collector } from './stack.js';

/** Options of `plgkit new-overlay`: what an overlay of the whole stack is built from. */
export interface OverlayOptions {
  /**
   * The nodes' container runtime: picks Promtail's log pipeline and host mounts. `auto` reads it from each
   * container's ID, so one overlay fits minikube's containerd default (v1.39+) and its docker runtime. @default "auto"
   */
  readonly runtime?: Runtime;
  /** The log collector: Promtail (end of life since 2026-03-02) or Grafana Alloy, its successor. @default "promtail" */
  readonly collector?: Collector;
  /** Namespace of the whole stack; not one of the cluster's own (`kube-system`, `default`, …). @default "monitoring" */
  readonly namespace?: string;
  /** Container sizes: `small` fits a default minikube, `medium` is twice that for real nodes. @default "small" */
  readonly profile?: Profile;
  /** How long Prometheus keeps metrics and Loki keeps logs, e.g. `15d`; at least `1d`. @default - each component's own (7d) */
  readonly retention?: string;
  /** Grafana's login is admin / plgkit-dev, from a Secret in the overlay: for a local minikube only, never a shared cluster. @default false */
  readonly devPassword?: boolean;
  /** Grafana's Service type: `nodeport` lets `minikube service grafana` open it. @default "clusterip" */
  readonly grafanaService?: GrafanaService;
  /**
   * Send every alert to this URL (Alertmanager's webhook receiver): the overlay writes it into the Secret
   * `alertmanager-receiver` and lists the `receiver-webhook` Component. Not with `alertSecret`. @default - nowhere
   */
  readonly alertWebhookUrl?: string;
  /**
   * Send every alert to the URL in the `url` key of this Secret, which you create in the stack's namespace (the
   * `receiver-webhook` Component, reading that Secret). Not with `alertWebhookUrl`. @default - nowhere
   */
  readonly alertSecret?: string;
  /** Memory limits by component name (`app.kubernetes.io/name`), e.g. `{"loki": "512Mi"}`; a request above its new limit comes down to it. @default - the profile's */
  readonly memory?: Sizes;
  /** CPU limits by component name, e.g. `{"prometheus": "2"}`; a request above its new limit comes down to it. @default - the profile's */
  readonly cpu?: Sizes;
}

export type GrafanaService = 'clusterip' | 'nodeport';
export const GRAFANA_SERVICES: readonly GrafanaService[] = [
  'clusterip',
  'nodeport',
];

/** A quantity per component, by the name its objects carry (`loki`, `node-exporter`, …). */
export type Sizes = { readonly [component: string]: string };

/** The names `--memory` and `--cpu` take: every component's `app.kubernetes.io/name`. */
export const COMPONENT_NAMES: readonly string[] = Object.values(MODEL).map(
  (c) => c.name,
);

type Unset = 'retention' | 'memory' | 'cpu' | 'alertWebhookUrl' | 'alertSecret';
export type ResolvedOverlayOptions = Required<Omit<OverlayOptions, Unset>> &
  Pick<OverlayOptions, Unset>;

function sizesSchema(example: string) {
  return {
    type: 'object',
    nullable: true,
    required: [],
    additionalProperties: false,
    description: `e.g. {"loki": "${example}"}`,
    properties: Object.fromEntries(
      COMPONENT_NAMES.map((n) => [
        n,
        { type: 'string', format: 'quantity', nullable: true },
      ]),
    ),
  } as const;
}

export const overlayOptionsSchema: JSONSchemaType<OverlayOptions> = {
  $id: 'https://plgkit.dev/schemas/overlay-options.json',
  title: 'OverlayOptions',
  type: 'object',
  additionalProperties: false,
  properties: {
    runtime: {
      type: 'string',
      enum: [...RUNTIMES],
      nullable: true,
      default: 'auto',
    },
    collector: {
      type: 'string',
      enum: [...COLLECTORS],
      nullable: true,
      default: 'promtail',
    },
    namespace: namespaceOption,
    profile: {
      type: 'string',
      enum: [...PROFILES],
      nullable: true,
      default: 'small',
    },
    retention: { type: 'string', format: 'duration', nullable: true },
    devPassword: { type: 'boolean', nullable: true, default: false },
    grafanaService: {
      type: 'string',
      enum: [...GRAFANA_SERVICES],
      nullable: true,
      default: 'clusterip',
    },
    alertWebhookUrl: { type: 'string', format: 'http-url', nullable: true },
    alertSecret: {
      type: 'string',
      format: 'dns1123-label',
      nullable: true,
    },
    memory: sizesSchema('512Mi') as never,
    cpu: sizesSchema('500m') as never,
  },
};

/** Namespaces the cluster owns: an overlay would label its Namespace object privileged and the stack would mix in. */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
];

/** The retention sets both Prometheus's and Loki's: it must suit the stricter of the two. */
const MIN_RETENTION = [LOKI_MIN_RETENTION, PROMETHEUS_MIN_RETENTION].reduce(
  (a, b) => (durationSeconds(a) >= durationSeconds(b) ? a : b),
);

function crossChecks(o: ResolvedOverlayOptions): OptionIssue[] {
  const issues: OptionIssue[] = [];
  if (SYSTEM_NAMESPACES.includes(o.namespace))
    issues.push({
      path: '/namespace',
      message: `got "${o.namespace}", a namespace of the cluster itself (${SYSTEM_NAMESPACES.join(', ')}): the overlay would relabel it privileged, e.g. "monitoring"`,
    });
  if (
    o.retention &&
    durationSeconds(o.retention) < durationSeconds(MIN_RETENTION)
  )
    issues.push({
      path: '/retention',
      message: `got ${o.retention}, expected at least ${MIN_RETENTION}: it is Loki's retention too, which keeps whole days, and 0 would keep data forever, e.g. "7d"`,
    });
  if (o.alertWebhookUrl && o.alertSecret)
    issues.push({
      path: '/alertSecret',
      message: `got both alertWebhookUrl and alertSecret ${JSON.stringify(o.alertSecret)}: the webhook's URL comes from one of them, e.g. only --alert-secret ${o.alertSecret}`,
    });
  return issues;
}

/** Validates overlay options and applies defaults; throws `OptionsError` naming every bad field. */
export function resolveOverlayOptions(
  options: OverlayOptions = {},
): ResolvedOverlayOptions {
  return resolveOptions<OverlayOptions, ResolvedOverlayOptions>(
    'overlay',
    overlayOptionsSchema,
    options,
    crossChecks,
  );
}
