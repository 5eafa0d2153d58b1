// plgkit check: the stack's known outages, diagnosed on the live cluster in order, each with the line that fixes it.
import { connectionUrl } from '@plgkit/core';
import type {
  Node,
  PersistentVolumeClaim,
  Pod,
} from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { checkNodeRuntime, collectorPipeline } from '../doctor.js';
import { grafanaProvisioning } from '../query/cluster.js';
import type { QueryResult } from '../query/model.js';
import { runDashboards } from '../query/runner.js';
import { COLLECTORS, type Collector } from '../stack.js';
import { type AlertmanagerStatus, alertingResult } from './alerting.js';
import { type CheckTarget, type Cluster, connect } from './cluster.js';
import {
  type ClockReading,
  clockResult,
  logsResult,
  nodeNames,
  skewOf,
} from './logs.js';
import {
  CHECKS,
  type CheckResult,
  type Problem,
  skip,
  verdict,
  wait,
} from './model.js';
import { accessReview, permissionsResult, stackNeeds } from './permissions.js';
import { checkPods, podApp, podReady } from './pods.js';
import {
  type RuleGroup,
  rulesResult,
  type Target,
  targetsResult,
} from './prometheus.js';
import {
  LOGS_WARM_UP_SECONDS,
  metricsWarmUpSeconds,
  newestStart,
  prometheusIntervals,
  startedAgo,
} from './warm-up.js';

interface PromResponse<T> {
  data: T;
}

async function promQuery(
  cluster: Cluster,
  base: string,
  expr: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = (await cluster.service(
    `${base}/api/v1/query?query=${encodeURIComponent(expr)}`,
  )) as PromResponse<{
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  }>;
  return r.data.result;
}

async function permissions(
  cluster: Cluster,
  collector: Collector,
): Promise<CheckResult> {
  const needs = stackNeeds(collector);
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: needs.map((n) => accessReview(n, cluster.target.namespace)),
  };
  // One create for every review; kubectl prints each created object in turn, so one line of `allowed` per review.
  const out = await cluster.run(
    ['create', '-f', '-', '-o', 'jsonpath={.status.allowed}{"\\n"}'],
    JSON.stringify(list),
  );
  const allowed = out
    .split('\n')
    .slice(0, needs.length)
    .map((l) => l.trim() === 'true');
  if (allowed.length !== needs.length)
    throw new Error(
      `kubectl answered ${allowed.length} of ${needs.length} SubjectAccessReviews`,
    );
  return permissionsResult(needs, allowed, cluster.target.namespace);
}

async function runtime(
  cluster: Cluster,
  nodes: readonly Node[],
  collectors: readonly Pod[],
): Promise<CheckResult> {
  // The ConfigMaps the collector pods mount: their config, whatever labels the objects carry.
  const names = [
    ...new Set(
      collectors.flatMap((p) =>
        (p.spec?.volumes ?? [])
          .map((v) => v.configMap?.name)
          .filter((n): n is string => !!n),
      ),
    ),
  ];
  const configs = await Promise.all(
    names.map((n) =>
      cluster
        .json<{ data?: Record<string, string> }>([
          '-n',
          cluster.target.namespace,
          'get',
          'configmap',
          n,
        ])
        .catch(() => ({ data: {} })),
    ),
  );
  const pipeline = configs
    .map((c) => collectorPipeline(c.data ?? {}))
    .find((p) => p !== undefined);
  if (pipeline === undefined)
    return skip(
      'runtime',
      'no collector pod (Promtail or Alloy) with a config to compare the runtimes with',
    );
  const checks = nodes.map((n) =>
    checkNodeRuntime(
      {
        node: n.metadata!.name!,
        runtimeVersion: n.status?.nodeInfo?.containerRuntimeVersion ?? '',
      },
      pipeline,
    ),
  );
  const problems: Problem[] = checks
    .filter((c) => !c.ok)
    .map((c) => ({
      what: `${c.tool}: ${c.detail}`,
      fix: c.hint ?? 'use the auto Component of your collector',
    }));
  return verdict(
    'runtime',
    problems,
    `${nodes.length} node${nodes.length === 1 ? '' : 's'} (${[...new Set(nodes.map((n) => n.status?.nodeInfo?.containerRuntimeVersion))].join(', ')}) fit the ${pipeline} log pipeline`,
  );
}

async function logs(
  cluster: Cluster,
  loki: string,
  nodes: readonly string[],
  pods: readonly Pod[],
  collectors: readonly Pod[],
): Promise<CheckResult> {
  const r = (await cluster.service(
    `${loki}/loki/api/v1/query?query=${encodeURIComponent('sum by (node) (count_over_time({node=~".+"}[5m]))')}`,
  )) as PromResponse<{
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  }>;
  const byNode = new Map(
    r.data.result.map(
      (s) => [s.metric.node ?? '', Number(s.value[1])] as const,
    ),
  );
  // Per node, its collector's start or Loki's, whichever is later, plus the warm-up.
  const lokiStart = newestStart(pods, ['loki']) ?? 0;
  const readyAtByNode = new Map(
    nodes.map((n) => {
      const collector = collectors.filter((p) => p.spec?.nodeName === n);
      const started = Math.max(lokiStart, newestStart(collector) ?? 0);
      return [n, started + LOGS_WARM_UP_SECONDS * 1000] as const;
    }),
  );
  return logsResult(
    nodes,
    byNode,
    collectors,
    cluster.target.namespace,
    readyAtByNode,
  );
}

async function clock(
  cluster: Cluster,
  nodes: readonly string[],
  collectors: readonly Pod[],
): Promise<CheckResult> {
  const readings: ClockReading[] = [];
  for (const [source, path] of [
    ['the API server', '/healthz'] as const,
    ...nodes.map(
      (n) => [`node ${n}`, `/api/v1/nodes/${n}/proxy/healthz`] as const,
    ),
  ]) {
    const sentAt = Date.now();
    const r = await cluster.get(path).catch(() => undefined);
    const skew = skewOf(r?.date, sentAt, Date.now());
    if (skew !== undefined) readings.push({ source, skewSeconds: skew });
  }
  const refused = new Map<string, number>();
  for (const pod of collectors.filter(podReady)) {
    const log = await cluster
      .run([
        '-n',
        cluster.target.namespace,
        'logs',
        pod.metadata!.name!,
        '--since=10m',
      ])
      .catch(() => '');
    const count = log
      .split('\n')
      .filter((l) => /timestamp too old|entry too far behind/.test(l)).length;
    if (count > 0) refused.set(pod.metadata!.name!, count);
  }
  return clockResult(readings, refused, cluster.target.namespace);
}

/** Why a panel may rightly be empty here: no PersistentVolume reports volume statistics (hostPath volumes do not). */
async function explainEmpty(
  cluster: Cluster,
  prometheus: string,
  r: QueryResult,
): Promise<string | undefined> {
  if (!r.query.includes('kubelet_volume_stats_')) return undefined;
  const stats = await promQuery(
    cluster,
    prometheus,
    'count(kubelet_volume_stats_capacity_bytes)',
  ).catch(() => []);
  return stats.length === 0
    ? `${r.dashboard} / ${r.panel} has no data: no PersistentVolume here reports volume statistics (hostPath volumes, as minikube's storage-provisioner makes, have none)`
    : undefined;
}

/** When every panel should have data: a warm-up after `started` (the newest Ready pod's start), by Prometheus's intervals. */
async function metricsReadyAt(
  cluster: Cluster,
  prometheus: string,
  started: number,
): Promise<number> {
  const config = (await cluster.service(
    `${prometheus}/api/v1/status/config`,
  )) as PromResponse<{ yaml: string }>;
  const { scrapeSeconds, evaluationSeconds } = prometheusIntervals(
    config.data.yaml,
  );
  return (
    started + metricsWarmUpSeconds(scrapeSeconds, evaluationSeconds) * 1000
  );
}

async function dashboards(
  cluster: Cluster,
  prometheus: string,
  pods: readonly Pod[],
): Promise<CheckResult> {
  const { datasources, dashboards: boards } = await grafanaProvisioning(
    cluster.target,
  );
  const results = await runDashboards(boards, {
    datasources: datasources.datasources,
    fetchJson: cluster.service,
  });
  const notes: string[] = [];
  const problems: Problem[] = [];
  for (const r of results.filter((x) => x.error || x.count === 0)) {
    const why = r.error
      ? undefined
      : await explainEmpty(cluster, prometheus, r);
    if (why) notes.push(why);
    else {
      problems.push({
        what: `${r.dashboard} / ${r.panel}${r.refId ? ` (${r.refId})` : ''}: ${r.error ?? `no data from ${r.query}`}`,
        fix: r.description
          ? `${r.description} The targets check shows whether its source is scraped; plgkit dashboards runs the query again`
          : 'the targets check shows whether its source is scraped; plgkit dashboards runs the query again',
      });
    }
  }
  const now = Date.now();
  const empty = results.filter((r) => !r.error && r.count === 0).length;
  const started = newestStart(pods);
  if (
    started !== undefined &&
    problems.length > 0 &&
    problems.length === empty - notes.length
  ) {
    const until = await metricsReadyAt(cluster, prometheus, started);
    if (until > now)
      return wait(
        'dashboards',
        `${problems.length} of ${results.length} panel and variable queries have no data yet: the stack's newest pod ${startedAgo(started, now)}, and a rate needs two scrapes of a series; data is due within ${Math.ceil((until - now) / 1000)} s`,
        until,
      );
  }
  return verdict(
    'dashboards',
    problems,
    `${results.length - problems.length - notes.length} of ${results.length} panel and variable queries return data`,
    notes,
  );
}

/** Runs every check in order; a check whose premise failed is skipped with the reason. */
export async function runChecks(target: CheckTarget): Promise<CheckResult[]> {
  const ns = target.namespace;
  const cluster = await connect(target);
  try {
    const pods = (
      await cluster.json<{ items: Pod[] }>(['-n', ns, 'get', 'pods'])
    ).items;
    const nodes = (await cluster.json<{ items: Node[] }>(['get', 'nodes']))
      .items;
    const { datasources } = await grafanaProvisioning(target).catch(() => ({
      datasources: { datasources: [] },
    }));
    const url = (type: string) =>
      datasources.datasources
        .find((d) => d.type === type)
        ?.url?.replace(/\/$/, '');
    const prometheus =
      url('prometheus') ?? connectionUrl('grafana', 'prometheus', ns);
    const loki = url('loki') ?? connectionUrl('grafana', 'loki', ns);
    const alertmanager =
      url('alertmanager') ?? connectionUrl('grafana', 'alertmanager', ns);
    const ready = (app: string) =>
      pods.some((p) => podApp(p) === app && podReady(p));
    const collectors = pods.filter((p) =>
      (COLLECTORS as readonly string[]).includes(podApp(p)),
    );

    const results: CheckResult[] = [];
    results.push(
      await checkPods(pods, {
        namespace: ns,
        claims: (
          await cluster.json<{ items: PersistentVolumeClaim[] }>([
            '-n',
            ns,
            'get',
            'pvc',
          ])
        ).items,
        storageClasses: (
          await cluster.json<{ items: StorageClass[] }>([
            'get',
            'storageclasses',
          ])
        ).items,
        lastLog: async (pod, container) =>
          (
            await cluster
              .run([
                '-n',
                ns,
                'logs',
                pod,
                '-c',
                container,
                '--previous',
                '--tail=3',
              ])
              .catch(() => '')
          )
            .trim()
            .split('\n')
            .join(' | ') || undefined,
        peakMemory: async (pod, container) => {
          if (!ready('prometheus')) return undefined;
          const r = await promQuery(
            cluster,
            prometheus,
            `max_over_time(container_memory_working_set_bytes{namespace="${ns}", pod="${pod}", container="${container}"}[1h])`,
          ).catch(() => []);
          return r.length ? Number(r[0]!.value[1]) : undefined;
        },
      }),
    );
    if (pods.length === 0)
      return [
        ...results,
        ...CHECKS.filter((c) => c !== 'pods').map((c) =>
          skip(c, 'the stack is not applied here'),
        ),
      ];
    results.push(
      await permissions(
        cluster,
        collectors.some((p) => podApp(p) === 'alloy') ? 'alloy' : 'promtail',
      ),
    );
    const noPrometheus = 'skipped: Prometheus is not Ready (see pods)';
    results.push(
      ready('prometheus')
        ? targetsResult(
            (
              (await cluster.service(
                `${prometheus}/api/v1/targets?state=active`,
              )) as PromResponse<{ activeTargets: Target[] }>
            ).data.activeTargets,
            ns,
          )
        : skip('targets', noPrometheus),
    );
    results.push(await runtime(cluster, nodes, collectors));
    results.push(
      ready('loki')
        ? await logs(cluster, loki, nodeNames(nodes), pods, collectors)
        : skip('logs', 'skipped: Loki is not Ready (see pods)'),
    );
    results.push(await clock(cluster, nodeNames(nodes), collectors));
    results.push(
      ready('prometheus')
        ? await dashboards(cluster, prometheus, pods)
        : skip('dashboards', noPrometheus),
    );
    results.push(
      ready('prometheus')
        ? rulesResult(
            (
              (await cluster.service(
                `${prometheus}/api/v1/rules`,
              )) as PromResponse<{ groups: RuleGroup[] }>
            ).data.groups,
          )
        : skip('rules', noPrometheus),
    );
    results.push(
      ready('alertmanager') && ready('prometheus')
        ? alertingResult(
            (await cluster.service(
              `${alertmanager}/api/v2/status`,
            )) as AlertmanagerStatus,
            (
              (await cluster.service(
                `${prometheus}/api/v1/alertmanagers`,
              )) as PromResponse<{ activeAlertmanagers: { url: string }[] }>
            ).data.activeAlertmanagers.map((a) => a.url),
            ns,
          )
        : skip(
            'alerting',
            'skipped: Alertmanager or Prometheus is not Ready (see pods)',
          ),
    );
    return results;
  } finally {
    cluster.close();
  }
}
