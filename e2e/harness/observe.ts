// Reading the stack on the e2e cluster: Prometheus's and Loki's HTTP APIs through the API server's service proxy,
// and the cluster's DNS, so a datasource URL can be reached from this machine exactly as Grafana would reach it.
import { Resolver } from 'node:dns/promises';
import type { LogCollectorKey } from '@plgkit/core';
import { kubectl } from './kubectl.js';
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from './topology.js';

function viaProxy<T>(namespace: string, service: string, path: string): T {
  return JSON.parse(
    kubectl([
      'get',
      '--raw',
      `/api/v1/namespaces/${namespace}/services/${service}/proxy${path}`,
    ]),
  ) as T;
}

export interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  /** RFC 3339; the zero time before the first scrape. */
  lastScrape: string;
}

export interface Rule {
  name: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
}

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
}

export interface Stream {
  stream: Record<string, string>;
  values: Array<[string, string]>;
}

/** One log line as Loki stored it: its timestamp in ns, its text and its stream's labels. */
export interface LogLine {
  ts: bigint;
  line: string;
  stream: Record<string, string>;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Prometheus and Loki of one stack, by their Services in `namespace`. */
/** The log collector an overlay runs: one of the stack model's, by its key (also its `app.kubernetes.io/name`). */
export type CollectorApp = LogCollectorKey;

export class Stack {
  constructor(
    readonly namespace: string,
    readonly collector: CollectorApp = 'promtail',
  ) {}

  prometheus<T>(path: string): T {
    return viaProxy<{ data: T }>(
      this.namespace,
      'prometheus:9090',
      `/api/v1/${path}`,
    ).data;
  }

  targets(): Target[] {
    return this.prometheus<{ activeTargets: Target[] }>('targets?state=active')
      .activeTargets;
  }

  ruleGroups(): Array<{ name: string; rules: Rule[] }> {
    return this.prometheus<{ groups: Array<{ name: string; rules: Rule[] }> }>(
      'rules',
    ).groups;
  }

  alerts(): Alert[] {
    return this.prometheus<{ alerts: Alert[] }>('alerts').alerts;
  }

  /** Every series with a sample from `start` to `end` (Unix seconds) that `match` selects, by its labels. */
  series(match: string, start: number, end: number): Record<string, string>[] {
    return this.prometheus<Record<string, string>[]>(
      `series?${new URLSearchParams({
        'match[]': match,
        start: String(Math.floor(start)),
        end: String(Math.ceil(end)),
      })}`,
    );
  }

  /** An instant query; `lookbackDelta` (e.g. "1m") narrows how far back it finds a series' last sample (5m). */
  query(expr: string, time?: number, lookbackDelta?: string): Sample[] {
    return this.prometheus<{ result: Sample[] }>(
      `query?${new URLSearchParams({
        query: expr,
        ...(time ? { time: String(time) } : {}),
        ...(lookbackDelta ? { lookback_delta: lookbackDelta } : {}),
      })}`,
    ).result;
  }

  /** Whether Loki has any line of a LogQL selector from the last `sinceSeconds`: one query for the newest line. */
  hasLines(selector: string, sinceSeconds = 3600): boolean {
    const params = new URLSearchParams({
      query: selector,
      start: String(BigInt(Date.now() - sinceSeconds * 1000) * 1_000_000n),
      end: String(BigInt(Date.now() + 5000) * 1_000_000n),
      limit: '1',
      direction: 'backward',
    });
    return viaProxy<{ data: { result: Stream[] } }>(
      this.namespace,
      'loki:3100',
      `/loki/api/v1/query_range?${params}`,
    ).data.result.some((s) => s.values.length > 0);
  }

  /**
   * Every log line of a LogQL selector over the last `sinceSeconds`, oldest first. Loki answers at most
   * `max_entries_limit_per_query` (5000) lines a query, so it pages forward by timestamp.
   */
  logs(selector: string, sinceSeconds = 900): LogLine[] {
    const out: LogLine[] = [];
    let start = BigInt(Date.now() - sinceSeconds * 1000) * 1_000_000n;
    const end = BigInt(Date.now() + 5000) * 1_000_000n;
    for (;;) {
      const params = new URLSearchParams({
        query: selector,
        start: String(start),
        end: String(end),
        limit: '5000',
        direction: 'forward',
      });
      const result = viaProxy<{ data: { result: Stream[] } }>(
        this.namespace,
        'loki:3100',
        `/loki/api/v1/query_range?${params}`,
      ).data.result;
      const page = result.flatMap((s) =>
        s.values.map(([ts, line]) => ({
          ts: BigInt(ts),
          line,
          stream: s.stream,
        })),
      );
      page.sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0));
      out.push(...page);
      if (page.length < 5000) return out;
      start = page[page.length - 1]!.ts + 1n;
    }
  }
}

/**
 * Resolves Service names through the cluster's DNS (CoreDNS), with a pod's search path: `prometheus.monitoring.svc`
 * becomes its ClusterIP, which kube-proxy's rules route from this machine too.
 */
export function clusterDns(): (host: string) => Promise<string> {
  const resolver = new Resolver();
  resolver.setServers([CLUSTER_DNS_IP]);
  return async (host) => {
    const name = host.endsWith('.svc') ? `${host}.${CLUSTER_DOMAIN}` : host;
    const [address] = await resolver.resolve4(name);
    if (!address)
      throw new Error(`${name} has no address in the cluster's DNS`);
    return address;
  };
}
