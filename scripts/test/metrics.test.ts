// Metrics on a real Prometheus: Debian's server on loopback scrapes the fixture payloads with the generator's own
// metric_relabel_configs, and its API says which series it stored. The inventory of every metric the bundled
// dashboards and rules read must all be there ("No Data" otherwise), and the cAdvisor scrape must store at most half
// of what cAdvisor exposes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_KEPT_FAMILIES } from '@plgkit/prometheus';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  FIXTURES_DIR,
  payloadSeries,
  type RunningPrometheus,
  type StoredSeries,
  seriesRow,
  storedSeries,
  withFixturePrometheus,
} from '../../support/fixture-prometheus.js';
import { syntheticFixtures } from '../fixtures/synthetic.js';
import {
  dashboardUses,
  metricNames,
  missingMetrics,
  neededMetrics,
  ruleUses,
  variableExpr,
} from '../lib/inventory.js';

describe('metric names from PromQL', () => {
  it('finds every selector, through functions, aggregations, matching and offsets', () => {
    expect(
      metricNames(
        'sum by (pod) (rate(a_total{x="y"}[$__rate_interval])) / on (pod) group_left (node) b_info + {__name__="c"} + d offset 1m',
      ),
    ).toEqual(['a_total', 'b_info', 'c', 'd']);
    expect(
      metricNames('histogram_quantile(0.99, sum by (le) (rate(e_bucket[5m])))'),
    ).toEqual(['e_bucket']);
    expect(metricNames('vector(1)')).toEqual([]);
  });

  it('rejects what it cannot check: a parse error or a name pattern', () => {
    expect(() => metricNames('sum(rate(a[5m])')).toThrow(/does not parse/);
    expect(() => metricNames('{__name__=~"container_.+"}')).toThrow(
      /by pattern/,
    );
  });

  it('reads the selector of a Grafana variable query', () => {
    expect(
      variableExpr('label_values(kube_pod_info{namespace=~"$namespace"}, pod)'),
    ).toBe('kube_pod_info{namespace=~"$namespace"}');
    expect(variableExpr('label_values(namespace)')).toBeUndefined();
    expect(() => variableExpr('metrics(kube_)')).toThrow(
      /unknown Grafana variable query/,
    );
  });

  it('inventories every dashboard and rule', () => {
    const dashboards = new Set(
      dashboardUses().map((u) => u.source.split(',')[0]),
    );
    expect(dashboards).toEqual(
      new Set([
        'dashboard cluster-overview.json',
        'dashboard control-plane.json',
        'dashboard pod-resources.json',
        'dashboard prometheus.json',
        'dashboard loki.json',
        'dashboard namespaces.json',
      ]),
    );
    const rules = ruleUses();
    expect(rules.uses.length).toBeGreaterThan(20);
    expect(rules.recorded).toContain('node:node_cpu_utilisation:ratio');
  });
});

describe('synthetic fixtures', () => {
  it('are exactly what the cluster model generates (pnpm fixtures:generate)', () => {
    for (const [path, text] of Object.entries(syntheticFixtures())) {
      expect(readFileSync(join(FIXTURES_DIR, path), 'utf8'), path).toBe(text);
    }
  });
});

describe('a real Prometheus scraping the fixtures with the generated relabeling', () => {
  let prometheus: RunningPrometheus;
  let kept: Set<string>;
  let stored: Map<string, StoredSeries>;
  let release: () => void;

  beforeAll(async () => {
    // Keep Prometheus running for every test of this block; stop it when the block is done.
    const ready = new Promise<void>((resolveReady, rejectReady) => {
      withFixturePrometheus(async (p) => {
        prometheus = p;
        resolveReady();
        await new Promise<void>((r) => (release = r));
      }).catch(rejectReady);
    });
    await ready;
    const names = await prometheus.query(
      'group by (__name__) ({__name__=~".+", stage="kept"})',
    );
    kept = new Set(names.map((s) => s.metric.__name__!));
    stored = await storedSeries(prometheus);
    return () => release();
  }, 150_000);

  it('stores every metric a bundled dashboard or rule reads', () => {
    const needed = neededMetrics();
    expect(needed.length).toBeGreaterThan(50);
    expect(missingMetrics(needed, kept)).toEqual([]);
  });

  it('reports a metric the scrape drops (cAdvisor exposes container_memory_rss; the relabeling drops it)', async () => {
    const raw = await prometheus.query(
      'count(container_memory_rss{stage="raw"})',
    );
    expect(raw[0]?.value).toBeGreaterThan(0);
    const use = {
      metric: 'container_memory_rss',
      source: 'dashboard example.json, panel "RSS"',
      expr: 'container_memory_rss',
    };
    expect(missingMetrics([...neededMetrics(), use], kept)).toEqual([
      'container_memory_rss (dashboard example.json, panel "RSS")',
    ]);
  });

  it('stores every sample of an unfiltered payload (the raw baseline is the payload)', () => {
    for (const f of FIXTURES)
      expect(stored.get(f.name)?.raw, f.name).toBe(payloadSeries(f));
  });

  it.each(['cadvisor-docker', 'cadvisor-containerd'])(
    'keeps at most half of %s',
    (fixture) => {
      const { raw, kept: k } = stored.get(fixture)!;
      expect(k).toBeGreaterThan(0);
      expect(k / raw).toBeLessThanOrEqual(0.5);
    },
  );

  /** Series stored from a fixture, and the distinct label sets of the raw payload that it should keep one of each. */
  const count = async (expr: string) =>
    (await prometheus.query(`count(${expr})`))[0]?.value ?? 0;
  const distinct = (
    metric: string,
    fixture: string,
    by: string,
    filter: string,
  ) =>
    count(
      `count by (${by}) (${metric}{fixture="${fixture}", stage="raw", ${filter}})`,
    );

  it('kubelet-resource: one series per container for CPU and memory', async () => {
    for (const metric of [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
    ]) {
      const containers = await distinct(
        metric,
        'kubelet-resource',
        'namespace, pod, container',
        'container!=""',
      );
      expect(containers, metric).toBeGreaterThan(5);
      expect(
        await count(`${metric}{fixture="kubelet-resource", stage="kept"}`),
        metric,
      ).toBe(containers);
    }
  });

  it.each(['cadvisor-docker', 'cadvisor-containerd'])(
    "%s: throttling per container and per pod, network per pod and the node's own, no CPU or memory",
    async (fixture) => {
      for (const metric of [
        'container_cpu_cfs_periods_total',
        'container_cpu_cfs_throttled_periods_total',
      ]) {
        expect(
          await count(`${metric}{fixture="${fixture}", stage="kept"}`),
          metric,
        ).toBe(
          await distinct(
            metric,
            fixture,
            'namespace, pod, container',
            'container!="POD", pod!=""',
          ),
        );
        // Each pod's own cgroup, which is all that names a pod on docker.
        expect(
          await count(
            `${metric}{fixture="${fixture}", stage="kept", container="", pod!=""}`,
          ),
          metric,
        ).toBeGreaterThan(0);
      }
      for (const metric of [
        'container_network_receive_bytes_total',
        'container_network_transmit_bytes_total',
      ]) {
        const pods = await distinct(
          metric,
          fixture,
          'namespace, pod, interface',
          'pod!=""',
        );
        const node = await distinct(metric, fixture, 'interface', 'id="/"');
        expect(node, `${metric}: the node's interfaces`).toBeGreaterThan(0);
        // cri-dockerd: cAdvisor sees only raw cgroups, and no pod's network namespace (kubernetes/kubernetes#111077).
        if (fixture === 'cadvisor-docker') expect(pods, metric).toBe(0);
        else expect(pods, metric).toBeGreaterThan(0);
        expect(
          await count(`${metric}{fixture="${fixture}", stage="kept"}`),
          metric,
        ).toBe(pods + node);
      }
      expect(
        await count(
          `{__name__=~"container_(cpu_usage_seconds_total|memory_working_set_bytes)", fixture="${fixture}", stage="kept"}`,
        ),
      ).toBe(0);
    },
  );

  it('keeps every sample of the exporters plgkit ships for their metrics', () => {
    for (const fixture of ['node-exporter', 'kube-state-metrics']) {
      const { raw, kept: k } = stored.get(fixture)!;
      expect(k, fixture).toBe(raw);
    }
  });

  it("keeps of plgkit's own components exactly the families a dashboard or rule reads", async () => {
    for (const [app, families] of Object.entries(STACK_KEPT_FAMILIES)) {
      const kept = await prometheus.query(
        `group by (__name__) ({fixture="${app}", stage="kept", __name__!~"up|scrape_.+"})`,
      );
      expect(kept.map((s) => s.metric.__name__).sort(), app).toEqual(
        [...families].sort(),
      );
      const { raw, kept: k } = stored.get(app)!;
      expect(k, app).toBeLessThan(raw / 10);
    }
  });

  it("matches docs/measured.md's table of series stored, fixture by fixture", () => {
    const doc = readFileSync(
      join(FIXTURES_DIR, '..', '..', 'docs', 'measured.md'),
      'utf8',
    );
    for (const f of FIXTURES)
      expect(doc).toContain(seriesRow(f, stored.get(f.name)!));
  });

  it('keeps the kubelet volume statistics the PVC rules read, and nothing else of the kubelet', async () => {
    const families = await prometheus.query(
      'group by (__name__) ({fixture="kubelet", stage="kept", __name__!~"up|scrape_.+"})',
    );
    expect(families.map((s) => s.metric.__name__).sort()).toEqual([
      'kubelet_volume_stats_available_bytes',
      'kubelet_volume_stats_capacity_bytes',
      'kubelet_volume_stats_used_bytes',
    ]);
  });
});
