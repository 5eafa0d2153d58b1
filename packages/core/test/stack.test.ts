import { describe, expect, it } from 'vitest';
import {
  type ComponentModel,
  connections,
  connectionUrl,
  LOG_COLLECTORS,
  STACK,
  type StackModel,
  stackNetworkPolicy,
  withRole,
} from '../src/index.js';

/** The shipped stack plus one throwaway component: a third log collector, as a new package would add it. */
const vector: ComponentModel = {
  name: 'vector',
  component: 'log-collector',
  role: 'log-collector',
  packageName: '@example/vector',
  ports: { api: 8686 },
  metricsPorts: ['api'],
  talksTo: [{ to: 'loki', port: 'http', path: '/loki/api/v1/push' }],
  egress: 'open',
};
const withVector: StackModel = { ...STACK, vector };

const ingressPeers = (stack: StackModel, key: string) =>
  (stackNetworkPolicy(key, '1.0.0', 'obs', stack).spec?.ingress ?? []).map(
    (r) => ({
      apps:
        r.from?.flatMap(
          (p) => p.podSelector?.matchExpressions?.[0]?.values ?? [],
        ) ?? 'anyone',
      ports: r.ports?.map((p) => p.port),
    }),
  );

describe('the stack model', () => {
  it('knows the log collectors by role', () => {
    expect(LOG_COLLECTORS).toEqual(['promtail', 'alloy']);
    expect(withRole('log-collector', withVector)).toEqual([
      'promtail',
      'alloy',
      'vector',
    ]);
  });

  it('derives the URLs a component calls from its links', () => {
    expect(connectionUrl('promtail', 'loki', 'obs')).toBe(
      'http://loki.obs.svc:3100/loki/api/v1/push',
    );
    expect(connectionUrl('grafana', 'prometheus', 'monitoring')).toBe(
      'http://prometheus.monitoring.svc:9090',
    );
    expect(connectionUrl('vector', 'loki', 'obs', withVector)).toBe(
      'http://loki.obs.svc:3100/loki/api/v1/push',
    );
    expect(() => connectionUrl('loki', 'grafana', 'obs')).toThrow(
      /loki does not talk to grafana/,
    );
  });

  it('lists every connection: declared links, and the metrics store scraping each metrics port', () => {
    const all = connections().map((c) => `${c.from}→${c.to}:${c.port}`);
    expect(all).toEqual(
      expect.arrayContaining([
        'grafana→loki:http',
        'promtail→loki:http',
        'alloy→loki:http',
        'prometheus→kubeStateMetrics:telemetry',
      ]),
    );
    expect(all).not.toContain('prometheus→prometheus:web');
  });

  it('refuses a link to a component or port that does not exist', () => {
    const broken: StackModel = {
      ...STACK,
      vector: { ...vector, talksTo: [{ to: 'elasticsearch', port: 'http' }] },
    };
    expect(() => connections(broken)).toThrow(
      /vector talks to elasticsearch, which is not in the stack/,
    );
    const badPort: StackModel = {
      ...STACK,
      vector: { ...vector, talksTo: [{ to: 'loki', port: 'push' }] },
    };
    expect(() => connections(badPort)).toThrow(
      /loki's port push, which loki does not have/,
    );
  });

  it("admits every collector to Loki's http port, and nobody to gRPC", () => {
    expect(ingressPeers(STACK, 'loki')).toEqual([
      { apps: ['alloy', 'grafana', 'prometheus', 'promtail'], ports: [3100] },
    ]);
  });

  it('a new collector is one model entry: Loki admits it, Prometheus scrapes it, with no other change', () => {
    expect(ingressPeers(withVector, 'loki')).toEqual([
      {
        apps: ['alloy', 'grafana', 'prometheus', 'promtail', 'vector'],
        ports: [3100],
      },
    ]);
    expect(ingressPeers(withVector, 'vector')).toEqual([
      { apps: ['prometheus'], ports: [8686] },
    ]);
    expect(
      stackNetworkPolicy('vector', '1.0.0', 'obs', withVector).spec
        ?.policyTypes,
    ).toEqual(['Ingress']);
  });

  it('restricts egress to DNS and the declared links', () => {
    const grafana = stackNetworkPolicy('grafana', '13.2.3', 'monitoring');
    expect(grafana.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(grafana.spec?.ingress).toEqual([
      { ports: [{ protocol: 'TCP', port: 3000 }] },
    ]);
    expect(
      grafana.spec?.egress?.map((r) => r.ports?.map((p) => p.port)),
    ).toEqual([[53, 53], [9090], [3100], [9093]]);
  });
});
