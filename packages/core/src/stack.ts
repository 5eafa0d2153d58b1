// The stack model: every component, its ports and whom it talks to, in one typed value. What crosses a component
// boundary (a Service URL, a NetworkPolicy peer, the list of log collectors) is derived from here, never written
// as a name in another package. Adding a component is one entry below plus its own package.
import type {
  NetworkPolicy,
  NetworkPolicyIngressRule,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from './kube.js';
import type { AppIdentity } from './labels.js';
import {
  dnsEgress,
  fromApps,
  networkPolicy,
  tcpPorts,
  toApps,
} from './network.js';

/** What a component does in the stack. */
export type Role =
  | 'metrics-store'
  | 'log-store'
  | 'log-collector'
  | 'dashboards'
  | 'alert-router'
  | 'exporter';

/** One connection a component opens: to a peer's named port, and the path it asks for there. */
export interface Link<N extends string = string> {
  readonly to: N;
  readonly port: string;
  /** The path the client calls (for a URL); the NetworkPolicy only needs the port. */
  readonly path?: string;
}

export interface ComponentModel<N extends string = string> {
  /** `app.kubernetes.io/name`, the name of its objects and of its Service. */
  readonly name: string;
  /** `app.kubernetes.io/component`. Part of immutable selectors: never change it for a shipped component. */
  readonly component: string;
  readonly role: Role;
  /** The npm package that ships its base and Components. */
  readonly packageName: string;
  /** Its pods' named container ports. */
  readonly ports: Readonly<Record<string, number>>;
  /** The ports its Service exposes, in order; none if it has no Service. */
  readonly servicePorts?: readonly string[];
  /** The ports a metrics store scrapes. */
  readonly metricsPorts?: readonly string[];
  /** Ports anyone may open (a UI for people), whatever the NetworkPolicies. */
  readonly publicPorts?: readonly string[];
  /** The connections it opens to other components. */
  readonly talksTo?: readonly Link<N>[];
  /**
   * `open`: it reaches things outside the stack (every node, the API server), so its egress is not restricted.
   * `restricted`: it reaches only DNS and `talksTo`.
   */
  readonly egress: 'open' | 'restricted';
  /** A log collector's generated ConfigMap, which doctor and check read its pipeline from. */
  readonly configMap?: string;
}

const LOKI_PUSH_PATH = '/loki/api/v1/push';

/** The plgkit stack. Keys are the option keys a whole-stack generator (the CLI) uses. */
export const STACK = {
  prometheus: {
    name: 'prometheus',
    component: 'metrics-server',
    role: 'metrics-store',
    packageName: '@plgkit/prometheus',
    ports: { web: 9090 },
    servicePorts: ['web'],
    talksTo: [{ to: 'alertmanager', port: 'web', path: '/api/v2/alerts' }],
    // It reads its own /metrics over loopback, which no NetworkPolicy sees.
    egress: 'open',
  },
  grafana: {
    name: 'grafana',
    component: 'dashboards',
    role: 'dashboards',
    packageName: '@plgkit/grafana',
    ports: { http: 3000 },
    servicePorts: ['http'],
    publicPorts: ['http'],
    talksTo: [
      { to: 'prometheus', port: 'web' },
      { to: 'loki', port: 'http' },
      { to: 'alertmanager', port: 'web' },
    ],
    egress: 'restricted',
  },
  alertmanager: {
    name: 'alertmanager',
    component: 'alert-router',
    role: 'alert-router',
    packageName: '@plgkit/alertmanager',
    ports: { web: 9093 },
    servicePorts: ['web'],
    metricsPorts: ['web'],
    // Its receivers (a webhook, Slack, an SMTP server) are wherever the user's are.
    egress: 'open',
  },
  loki: {
    name: 'loki',
    component: 'log-store',
    role: 'log-store',
    packageName: '@plgkit/loki',
    ports: { http: 3100, grpc: 9095 },
    servicePorts: ['http', 'grpc'],
    metricsPorts: ['http'],
    // gRPC stays closed: the single binary talks to itself only.
    egress: 'restricted',
  },
  promtail: {
    name: 'promtail',
    component: 'log-collector',
    role: 'log-collector',
    packageName: '@plgkit/promtail',
    ports: { 'http-metrics': 3101 },
    metricsPorts: ['http-metrics'],
    talksTo: [{ to: 'loki', port: 'http', path: LOKI_PUSH_PATH }],
    // It watches pods through the API server.
    egress: 'open',
    configMap: 'promtail-config',
  },
  alloy: {
    name: 'alloy',
    component: 'log-collector',
    role: 'log-collector',
    packageName: '@plgkit/alloy',
    ports: { 'http-metrics': 12345 },
    metricsPorts: ['http-metrics'],
    talksTo: [{ to: 'loki', port: 'http', path: LOKI_PUSH_PATH }],
    egress: 'open',
    configMap: 'alloy-config',
  },
  nodeExporter: {
    name: 'node-exporter',
    component: 'node-metrics',
    role: 'exporter',
    packageName: '@plgkit/node-exporter',
    ports: { metrics: 9100 },
    metricsPorts: ['metrics'],
    egress: 'open',
  },
  kubeStateMetrics: {
    name: 'kube-state-metrics',
    component: 'object-metrics',
    role: 'exporter',
    packageName: '@plgkit/kube-state-metrics',
    ports: { 'http-metrics': 8080, telemetry: 8081 },
    metricsPorts: ['http-metrics', 'telemetry'],
    // It lists every object through the API server.
    egress: 'open',
  },
} as const satisfies Readonly<Record<string, ComponentModel<string>>>;

/** A component of the shipped stack, by its key in {@link STACK}. */
export type ComponentKey = keyof typeof STACK;

/** A stack: components by key. The shipped one is {@link STACK}; tests pass their own. */
export type StackModel<K extends string = string> = Readonly<
  Record<K, ComponentModel<K>>
>;

/** The shipped stack again, typed so that the compiler holds every `talksTo` to one of the stack's own keys. */
const SHIPPED: StackModel<ComponentKey> = STACK;

/** The keys of the components with `role`, in model order. */
export function withRole<K extends string>(
  role: Role,
  stack: StackModel<K>,
): K[];
export function withRole(role: Role): ComponentKey[];
export function withRole(role: Role, stack: StackModel = SHIPPED): string[] {
  return Object.keys(stack).filter((k) => stack[k]!.role === role);
}

/** The keys of the shipped components with the `log-collector` role, as a type. */
export type LogCollectorKey = {
  [K in ComponentKey]: (typeof STACK)[K]['role'] extends 'log-collector'
    ? K
    : never;
}[ComponentKey];

/** The log collectors, of which an overlay runs one. */
export const LOG_COLLECTORS = withRole(
  'log-collector',
) as readonly LogCollectorKey[];

/** The recommended-labels identity of a component at the version its package pins. */
export function appIdentity(
  model: ComponentModel,
  version: string,
): AppIdentity {
  return { name: model.name, component: model.component, version };
}

/** One connection in the stack: `from` opens `port` of `to`. */
export interface Connection<K extends string = string> {
  readonly from: K;
  readonly to: K;
  readonly port: string;
  readonly path?: string;
  /** `scrape`: a metrics store reads a metrics port; `link`: declared in `talksTo`. */
  readonly kind: 'link' | 'scrape';
}

/** Every connection the stack's own config opens: declared links, then each metrics store scraping each component. */
export function connections<K extends string>(
  stack: StackModel<K>,
): Connection<K>[];
export function connections(): Connection<ComponentKey>[];
export function connections(stack: StackModel = SHIPPED): Connection[] {
  const keys = Object.keys(stack);
  const links = keys.flatMap((from) =>
    (stack[from]!.talksTo ?? []).map((l): Connection => {
      if (!(l.to in stack))
        throw new Error(`${from} talks to ${l.to}, which is not in the stack`);
      if (!(l.port in stack[l.to]!.ports))
        throw new Error(
          `${from} talks to ${l.to}'s port ${l.port}, which ${l.to} does not have`,
        );
      return {
        from,
        to: l.to,
        port: l.port,
        ...(l.path ? { path: l.path } : {}),
        kind: 'link',
      };
    }),
  );
  const scrapes = withRole('metrics-store', stack).flatMap((from) =>
    keys
      .filter((to) => to !== from)
      .flatMap((to) =>
        (stack[to]!.metricsPorts ?? []).map(
          (port): Connection => ({ from, to, port, kind: 'scrape' }),
        ),
      ),
  );
  return [...links, ...scrapes];
}

/** `http://<service>.<namespace>.svc:<port><path>`: how `from` reaches `to` in the same stack. */
export function connectionUrl<K extends string>(
  from: K,
  to: K,
  namespace: string,
  stack: StackModel<K>,
): string;
export function connectionUrl(
  from: ComponentKey,
  to: ComponentKey,
  namespace: string,
): string;
export function connectionUrl(
  from: string,
  to: string,
  namespace: string,
  stack: StackModel = SHIPPED,
): string {
  const link = (stack[from]?.talksTo ?? []).find((l) => l.to === to);
  if (!link)
    throw new Error(`${from} does not talk to ${to} in the stack model`);
  const peer = stack[to]!;
  if (!(peer.servicePorts ?? []).includes(link.port))
    throw new Error(
      `${to}'s Service does not expose ${link.port}, which ${from} uses`,
    );
  return `http://${peer.name}.${namespace}.svc:${peer.ports[link.port]}${link.path ?? ''}`;
}

/** `<service>.<namespace>.svc:<port>`: the address `from` opens on `to`, for configs that take a host and port. */
export function connectionAddress(
  from: ComponentKey,
  to: ComponentKey,
  namespace: string,
): string {
  const url = new URL(connectionUrl(from, to, namespace));
  return url.host;
}

function tcp(
  model: ComponentModel,
  ports: readonly string[],
): NetworkPolicyPort[] {
  return tcpPorts(...ports.map((p) => model.ports[p]!));
}

/**
 * A component's NetworkPolicy, from the model alone. Ingress: on each port, the components that open it (one rule
 * per set of peers, ports in model order) and anyone on public ports. Egress, when restricted: DNS and its own links.
 */
export function stackNetworkPolicy<K extends string>(
  key: K,
  version: string,
  namespace: string,
  stack: StackModel<K>,
): KubeObject<NetworkPolicy>;
export function stackNetworkPolicy(
  key: ComponentKey,
  version: string,
  namespace: string,
): KubeObject<NetworkPolicy>;
export function stackNetworkPolicy(
  key: string,
  version: string,
  namespace: string,
  stack: StackModel = SHIPPED,
): KubeObject<NetworkPolicy> {
  const model = stack[key]!;
  const inbound = connections(stack).filter((c) => c.to === key);
  const public_ = model.publicPorts ?? [];
  const byPeers = new Map<string, string[]>();
  for (const port of Object.keys(model.ports)) {
    if (public_.includes(port)) continue;
    const peers = [
      ...new Set(
        inbound.filter((c) => c.port === port).map((c) => stack[c.from]!.name),
      ),
    ].sort();
    if (peers.length === 0) continue;
    const id = peers.join(',');
    byPeers.set(id, [...(byPeers.get(id) ?? []), port]);
  }
  const ingress: NetworkPolicyIngressRule[] = [
    ...(public_.length > 0 ? [{ ports: tcp(model, public_) }] : []),
    ...[...byPeers].map(([peers, ports]) =>
      fromApps(peers.split(','), tcp(model, ports)),
    ),
  ];
  const egress =
    model.egress === 'restricted'
      ? [
          dnsEgress(),
          ...(model.talksTo ?? []).map((l) =>
            toApps([stack[l.to]!.name], tcp(stack[l.to]!, [l.port])),
          ),
        ]
      : undefined;
  return networkPolicy(appIdentity(model, version), namespace, {
    ingress,
    ...(egress ? { egress } : {}),
  });
}
