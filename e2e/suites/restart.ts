// `minikube stop` and `minikube start` with the stack running, as a user's laptop goes to sleep with it: every
// container stops, the node comes back, and every pod's containers start again in new sandboxes (new IPs). Nothing
// the stack had may be lost or doubled: lines written just before the stop and just after the start arrive once
// each, Prometheus keeps its samples, no pod is left behind, and no target comes back under new labels.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { expect, it } from 'vitest';
import { start, stop } from '../harness/cluster.js';
import { sleep } from '../harness/daemons.js';
import {
  carriesIdentity,
  type Identities,
  newIdentities,
  nodeIdentities,
} from '../harness/identities.js';
import { applyObjects, kubectl, kubectlJson } from '../harness/kubectl.js';
import { Stack } from '../harness/observe.js';
import { isReady, podState, restarts } from '../harness/pods.js';
import { GRAFANA, NAMESPACE } from '../harness/stack.js';
import { MARK, namespace, runTagged } from '../harness/workloads.js';
import { eventually } from './common.js';

const NS = 'e2e-restart';
const WRITER = 'restart-writer';
const LINES = 2000;
const PREFIX = `${MARK} restart`;

const EVERY_SERIES = '{__name__=~".+"}';
/** How many new series a stop and start may bring that no new container or sandbox accounts for. */
const OTHER_NEW_SERIES = 100;

/** Every pod of the cluster, Grafana's too: each sandbox has an IP and a network device. */
function allPods(): Pod[] {
  return kubectlJson<{ items: Pod[] }>(['get', 'pods', '-A']).items;
}

/** Every pod of the cluster but Grafana's (its image cannot be had here): its name and whether it is Ready. */
function clusterPods(): Pod[] {
  return allPods().filter((p) => !GRAFANA.test(p.metadata?.name ?? ''));
}

type Labels = Record<string, string>;

/** A series' whole label set as one string, the same whatever the labels' order. */
const labelKey = (s: Labels): string =>
  JSON.stringify(Object.entries(s).sort());

/** kube-state-metrics' families about a container's previous run: a container's first restart begins them. */
const PREVIOUS_RUN = new Set([
  'kube_pod_container_status_last_terminated_reason',
  'kube_pod_container_status_last_terminated_exitcode',
  'kube_pod_container_status_last_terminated_timestamp',
]);

/**
 * The series in `after` that `before` did not have: a new container's or sandbox's own (they carry one of its new
 * `names`, or describe its container's previous run), and the others.
 */
function newSeries(
  before: Labels[],
  after: Labels[],
  names: Identities,
): { owned: Labels[]; other: Labels[] } {
  const known = new Set(before.map(labelKey));
  const isOwn = (s: Labels) =>
    carriesIdentity(s, names) || PREVIOUS_RUN.has(s.__name__ ?? '');
  const fresh = after.filter((s) => !known.has(labelKey(s)));
  return { owned: fresh.filter(isOwn), other: fresh.filter((s) => !isOwn(s)) };
}

/** Series counted by job and metric name, largest first: "12 node-exporter/node_network_up, …". */
function byFamily(series: Labels[]): string {
  const counts = new Map<string, number>();
  for (const s of series) {
    const family = `${s.job}/${s.__name__}`;
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => `${n} ${f}`)
      .join(', ') || 'none'
  );
}

/** The pod's containers whose run before the start ended in SIGKILL (exit code 137), as `pod/container`. */
function killedAtStop(p: Pod): string[] {
  return (p.status?.containerStatuses ?? [])
    .filter((c) => c.lastState?.terminated?.exitCode === 137)
    .map((c) => `${p.metadata?.name}/${c.name}`);
}

/** A target's identity and its whole label set, one string per `up` series. */
function upLabelSets(stack: Stack, at: number): string[] {
  return stack
    .query('up', at, '1m')
    .map((s) => labelKey(s.metric))
    .sort();
}

/** The writer's lines in Loki since `since` (Unix seconds), counted by the run of its container that wrote them and their number. */
function linesByRun(stack: Stack, since: number): Map<string, number[]> {
  const runs = new Map<string, number[]>();
  for (const { line } of stack.logs(
    `{namespace="${NS}", pod="${WRITER}"} |= "${PREFIX}"`,
    Math.ceil(Date.now() / 1000 - since),
  )) {
    const m = new RegExp(`^${PREFIX} run=(\\w+) (\\d+)$`).exec(line);
    if (!m) continue;
    runs.set(m[1]!, [...(runs.get(m[1]!) ?? []), Number(m[2])]);
  }
  return runs;
}

/** The run id the writer's container printed, from its current log or (`previous`) the one before. */
function runId(previous: boolean): string {
  const log = kubectl([
    '-n',
    NS,
    'logs',
    WRITER,
    ...(previous ? ['--previous'] : []),
  ]);
  const id = new RegExp(`^${PREFIX} run=(\\w+) done$`, 'm').exec(log)?.[1];
  expect(id, log.slice(-300)).toBeDefined();
  return id!;
}

/** Each of the runs' lines were 1…LINES, each exactly once, and no other run wrote any. */
function complete(runs: Map<string, number[]>, ids: string[]): boolean {
  return (
    runs.size === ids.length &&
    ids.every((id) => {
      const ns = runs.get(id) ?? [];
      return ns.length === LINES && new Set(ns).size === LINES;
    })
  );
}

/** What the collector says it dropped: the first place to look when a run's lines are missing. */
function drops(stack: Stack): string {
  const sums = [
    'sum by (reason) (promtail_dropped_entries_total)',
    'sum by (reason) (loki_write_dropped_entries_total)',
  ].map((q) =>
    stack
      .query(q)
      .map((s) => `${q}{reason=${s.metric.reason}} ${s.value[1]}`)
      .join(', '),
  );
  return sums.filter((s) => s !== '').join('; ') || 'no drop counted';
}

export function restartSuite(): void {
  const stack = new Stack(NAMESPACE);

  it('loses no line, sample or pod over a stop and a start, and brings every target back under the same labels', async () => {
    // A writer left by an earlier run goes; Loki keeps its lines, so only lines since this writer came are counted.
    kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
    const applied = Date.now() / 1000 - 5;
    applyObjects([namespace(NS), runTagged(WRITER, NS, PREFIX, LINES)]);
    // The first run has written every line to its log file: stop at once, before the collector can have sent them all.
    const written = await eventually(
      () => {
        try {
          return kubectl(['-n', NS, 'logs', WRITER]).includes('done');
        } catch {
          return false; // its container has not started yet
        }
      },
      (done) => done,
      120,
    );
    expect(written).toBe(true);
    const before = Date.now() / 1000;
    const labelsBefore = upLabelSets(stack, before);
    expect(labelsBefore.length).toBeGreaterThan(5);
    const headBefore = Number(
      stack.query('prometheus_tsdb_head_series', before)[0]!.value[1],
    );
    const seriesBefore = stack.series(EVERY_SERIES, before - 60, before);
    const writerUid = kubectlJson<Pod>(['-n', NS, 'get', 'pod', WRITER])
      .metadata!.uid!;
    const namesBefore = nodeIdentities(allPods());
    const restartsBefore = new Map(
      clusterPods().map((p) => [p.metadata!.uid!, restarts(p)]),
    );

    const t0 = Date.now();
    await stop();
    const stopped = (Date.now() - t0) / 1000;
    await sleep(5000);
    const t1 = Date.now();
    await start();
    const pods = await eventually(
      clusterPods,
      (ps) => ps.length > 0 && ps.every(isReady),
      300,
    );
    const started = (Date.now() - t1) / 1000;
    expect(pods.filter((p) => !isReady(p)).map(podState)).toEqual([]);
    // The same pods (none replaced), each of their containers started again.
    expect(pods.map((p) => p.metadata!.uid).sort()).toEqual(
      [...restartsBefore.keys()].sort(),
    );
    const restarted = pods.filter(
      (p) => restarts(p) > restartsBefore.get(p.metadata!.uid!)!,
    );
    expect(restarted.length).toBe(pods.length);
    // Each of the stack's containers stopped by itself inside the node's grace. A collector killed at its end still
    // held lines it had read: Loki must take pushes for a while after its own SIGTERM.
    expect(
      pods
        .filter((p) => p.metadata?.namespace === NAMESPACE)
        .flatMap(killedAtStop),
    ).toEqual([]);

    // The run before the stop and the run after the start, each line once.
    const ids = [runId(true), runId(false)];
    const runs = await eventually(
      () => linesByRun(stack, applied),
      (r) => complete(r, ids),
      180,
    );
    const counts = ids.map((id, i) => {
      const ns = runs.get(id) ?? [];
      return `run ${id} (${i === 0 ? 'before the stop' : 'after the start'}): ${ns.length} lines, ${new Set(ns).size} distinct of ${LINES}`;
    });
    console.log(
      `stop ${stopped.toFixed(0)} s, start until every pod is Ready ${started.toFixed(0)} s; ${counts.join('; ')}`,
    );
    expect(
      complete(runs, ids),
      `${counts.join('; ')}; runs in Loki: ${[...runs.keys()].join(', ')}; ${drops(stack)}`,
    ).toBe(true);

    // Samples from before the stop are still there.
    expect(
      stack.query('up{job="kubernetes-apiservers"}', before, '1m'),
    ).toHaveLength(1);
    // Every target back, under the labels it had: a pod's new IP must not make it a new target.
    const labelsAfter = await eventually(
      () => upLabelSets(stack, Date.now() / 1000),
      (after) => after.length === labelsBefore.length,
      120,
    );
    expect(labelsAfter).toEqual(labelsBefore);

    // What the stop and start added is the new containers' and sandboxes' own series, nearly all of it.
    const headAfter = Number(
      stack.query('prometheus_tsdb_head_series')[0]!.value[1],
    );
    const fresh = newIdentities(namesBefore, nodeIdentities(allPods()));
    // The writer came just before the stop, maybe after some targets' last scrape: its series are a new pod's own.
    const gained = newSeries(
      seriesBefore,
      stack.series(EVERY_SERIES, t1 / 1000, Date.now() / 1000),
      {
        ids: new Set([...fresh.ids, writerUid]),
        values: new Set([...fresh.values, NS]),
      },
    );
    console.log(
      `head series: ${headBefore} before the stop, ${headAfter} after the start (+${(((headAfter - headBefore) / headBefore) * 100).toFixed(1)}%); ` +
        `series new since the stop: ${gained.owned.length} a new container's or sandbox's own, ${gained.other.length} other: ${byFamily(gained.other)}`,
    );
    // The head's own count is printed, not held to the accounting: it also counts series that have no sample since
    // the start (gained +1,348 once when the series seen since the start were 497), which the series API cannot see.
    // The rest is a restarted process counting something for the first time: Prometheus's and Promtail's readiness
    // answering 503 while they start, Loki's ring client timing a new operation: a dozen or so per histogram, 1 to 98
    // measured before the stack's own families were filtered. A job repeated under a changed label would be hundreds
    // (kube-state-metrics stores about 700).
    expect(gained.other.length, byFamily(gained.other)).toBeLessThanOrEqual(
      OTHER_NEW_SERIES,
    );
    kubectl(['delete', 'namespace', NS, '--wait=false']);
  });
}
