// A real Prometheus (Debian's, on loopback) scraping the fixture payloads with the scrape settings the generator
// emits for the matching job (metric_relabel_configs, honor_labels), and loading the generator's rule files. Each
// fixture is scraped twice in the same run: as `stage="kept"` with those settings, and as `stage="raw"` without
// relabeling, so stored series can be compared from one run.
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { toYaml } from '@plgkit/core';
import {
  prometheusConfig,
  resolvePrometheusOptions,
  ruleFiles,
  type ScrapeConfig,
} from '@plgkit/prometheus';
import { freePort, start, stop, waitFor } from './processes.js';
import { REPO } from './render.js';
import { prometheusBinaries } from './upstream-binaries.js';

export const FIXTURES_DIR = join(REPO, 'fixtures', 'metrics');

/** A fixture payload (a file, or a directory of one file per node) and the generator job that scrapes it. */
export interface Fixture {
  readonly name: string;
  readonly job: string;
  /** Target labels the job's service discovery would attach (node, namespace, pod, app). */
  readonly labels: (file: string) => Record<string, string>;
}

const node = (file: string) => ({ node: basename(file, '.txt') });

export const FIXTURES: readonly Fixture[] = [
  {
    name: 'prometheus',
    job: 'prometheus',
    labels: () => ({ namespace: 'monitoring', pod: 'prometheus-0' }),
  },
  {
    name: 'node-exporter',
    job: 'node-exporter',
    labels: () => ({
      namespace: 'monitoring',
      pod: 'node-exporter-q4m8t',
      node: 'node-1',
    }),
  },
  // The job attaches no pod labels to kube-state-metrics: its series carry the reported objects' own.
  { name: 'kube-state-metrics', job: 'kube-state-metrics', labels: () => ({}) },
  { name: 'kubelet', job: 'kubernetes-nodes', labels: node },
  // The API servers' endpoints are no pods: the job attaches no labels.
  { name: 'apiserver', job: 'kubernetes-apiservers', labels: () => ({}) },
  {
    name: 'coredns',
    job: 'kubernetes-service-endpoints',
    labels: () => ({
      namespace: 'kube-system',
      service: 'kube-dns',
      pod: 'coredns-7d4b9c6f5-x2kq8',
      node: 'node-1',
    }),
  },
  { name: 'kubelet-resource', job: 'kubernetes-resource', labels: node },
  { name: 'cadvisor-docker', job: 'kubernetes-cadvisor', labels: node },
  { name: 'cadvisor-containerd', job: 'kubernetes-cadvisor', labels: node },
  {
    name: 'loki',
    job: 'kubernetes-pods',
    labels: () => ({
      namespace: 'monitoring',
      pod: 'loki-0',
      app: 'loki',
      node: 'node-3',
    }),
  },
  {
    name: 'promtail',
    job: 'kubernetes-pods',
    labels: () => ({
      namespace: 'monitoring',
      pod: 'promtail-h2x9k',
      app: 'promtail',
      node: 'node-1',
    }),
  },
  {
    name: 'alloy',
    job: 'kubernetes-pods',
    labels: () => ({
      namespace: 'monitoring',
      pod: 'alloy-r7k2p',
      app: 'alloy',
      node: 'node-1',
    }),
  },
];

/** The payload files of a fixture, relative to FIXTURES_DIR. */
export function fixtureFiles(f: Fixture): string[] {
  const dir = join(FIXTURES_DIR, f.name);
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    return readdirSync(dir)
      .sort()
      .map((file) => `${f.name}/${file}`);
  return [`${f.name}.txt`];
}

/** Samples in a payload: every non-comment line. */
export function payloadSeries(f: Fixture): number {
  return fixtureFiles(f).reduce(
    (n, file) =>
      n +
      readFileSync(join(FIXTURES_DIR, file), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')).length,
    0,
  );
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  query(expr: string): Promise<Sample[]>;
}

function scrapeConfigs(port: number): ScrapeConfig[] {
  const jobs = new Map(
    prometheusConfig(resolvePrometheusOptions()).scrape_configs.map((j) => [
      j.job_name,
      j,
    ]),
  );
  return FIXTURES.flatMap((f) => {
    const job = jobs.get(f.job);
    if (!job)
      throw new Error(`fixture ${f.name}: the generator has no job ${f.job}`);
    return (['kept', 'raw'] as const).map((stage) => ({
      job_name: `${stage}/${f.name}`,
      ...(job.honor_labels ? { honor_labels: true } : {}),
      // Captured payloads carry the kubelet's sample timestamps from the day of capture: outside the head's window and
      // the query's 5-minute lookback. Stamp each sample with the scrape's time instead.
      honor_timestamps: false,
      static_configs: fixtureFiles(f).map((file) => ({
        targets: [`127.0.0.1:${port}`],
        labels: {
          __metrics_path__: `/${file}`,
          job: f.job,
          fixture: f.name,
          stage,
          instance: file,
          ...f.labels(file),
        },
      })),
      ...(stage === 'kept' && job.metric_relabel_configs
        ? { metric_relabel_configs: job.metric_relabel_configs }
        : {}),
    })) as unknown as ScrapeConfig[];
  });
}

function serveFixtures(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    try {
      const body = readFileSync(
        join(FIXTURES_DIR, decodeURIComponent((req.url ?? '/').slice(1))),
      );
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    ),
  );
}

/**
 * Runs `body` against a Prometheus that has scraped every fixture at least twice and evaluated every rule group.
 * Fails with Prometheus's own output if it does not get there within two minutes.
 */
export async function withFixturePrometheus<T>(
  body: (p: RunningPrometheus) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'plgkit-prometheus-'));
  const { server, port: fixturesPort } = await serveFixtures();
  const rules = Object.entries(ruleFiles()).map(([name, content]) => {
    writeFileSync(join(dir, name), toYaml(content));
    return join(dir, name);
  });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    toYaml({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: rules,
      scrape_configs: scrapeConfigs(fixturesPort),
    }),
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The pinned Prometheus, as the stack runs it (built from the module proxy on first use).
  const prometheus = start((await prometheusBinaries()).prometheus, [
    `--config.file=${dir}/prometheus.yml`,
    `--storage.tsdb.path=${dir}/data`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const api = {
    async query(expr: string): Promise<Sample[]> {
      const res = (await (
        await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)
      ).json()) as {
        status: string;
        error?: string;
        data: {
          result: { metric: Record<string, string>; value: [number, string] }[];
        };
      };
      if (res.status !== 'success')
        throw new Error(`query ${expr}: ${res.error}`);
      return res.data.result.map((r) => ({
        metric: r.metric,
        value: Number(r.value[1]),
      }));
    },
  };
  try {
    await waitFor(`${base}/-/ready`, 60, prometheus.output);
    const deadline = Date.now() + 120_000;
    const expected = FIXTURES.reduce(
      (n, f) => n + 2 * fixtureFiles(f).length,
      0,
    );
    for (;;) {
      const targets = (await (
        await fetch(`${base}/api/v1/targets`)
      ).json()) as {
        data: {
          activeTargets: {
            health: string;
            lastError: string;
            scrapeUrl: string;
          }[];
        };
      };
      const up = targets.data.activeTargets.filter(
        (t) => t.health === 'up',
      ).length;
      const scrapes = await api
        .query('min(prometheus_target_interval_length_seconds_count)')
        .catch(() => []);
      const evaluated = await api.query(
        'min(prometheus_rule_group_iterations_total) >= 3',
      );
      if (
        up === expected &&
        (scrapes[0]?.value ?? 0) >= 2 &&
        evaluated.length > 0
      )
        break;
      if (Date.now() > deadline) {
        const errors = targets.data.activeTargets
          .filter((t) => t.health !== 'up')
          .map((t) => `${t.scrapeUrl}: ${t.lastError}`);
        throw new Error(
          `Prometheus did not scrape all ${expected} fixture targets (${up} up):\n${errors.join('\n')}\n${prometheus.output().slice(-2000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return await body(api);
  } finally {
    await stop(prometheus.child);
    server.close();
  }
}

/** Series stored from one fixture: scraped unfiltered (`raw`) and with the generator's relabeling (`kept`). */
export interface StoredSeries {
  readonly raw: number;
  readonly kept: number;
}

/**
 * Series stored from each fixture's payload in each stage: only what was read from the payload, not the series
 * Prometheus adds per target (up, scrape_*) or makes from rules (ALERTS, recorded names).
 */
export async function storedSeries(
  p: RunningPrometheus,
): Promise<Map<string, StoredSeries>> {
  const counts = await p.query(
    'count by (fixture, stage) ({__name__!~"up|scrape_.+|ALERTS.*|.+:.+", stage!=""})',
  );
  const count = (fixture: string, stage: string) =>
    counts.find((s) => s.metric.fixture === fixture && s.metric.stage === stage)
      ?.value ?? 0;
  return new Map(
    FIXTURES.map((f) => [
      f.name,
      { raw: count(f.name, 'raw'), kept: count(f.name, 'kept') },
    ]),
  );
}

/** The first line of a payload captured on the e2e cluster (e2e/harness/capture.ts writes it). */
export const CAPTURED_MARK = '# Captured from the plgkit e2e cluster';

/** Where a fixture's payloads come from: captured on the e2e cluster, written by the synthetic model, or both. */
export function fixtureSource(
  f: Fixture,
): 'captured' | 'synthetic' | 'captured and synthetic' {
  const captured = fixtureFiles(f).map((file) =>
    readFileSync(join(FIXTURES_DIR, file), 'utf8').startsWith(CAPTURED_MARK),
  );
  return captured.every(Boolean)
    ? 'captured'
    : captured.some(Boolean)
      ? 'captured and synthetic'
      : 'synthetic';
}

/** docs/measured.md's row for a fixture: payload, source, series exposed, series the generated relabeling stores. */
export function seriesRow(f: Fixture, s: StoredSeries): string {
  return `| ${f.name} | ${f.job} | ${fixtureSource(f)} | ${s.raw} | ${s.kept} |`;
}
