// Logs and clock: Loki has lines from every node in the last 5 minutes, and no node's clock or collector makes
// lines vanish (skew against this machine from the kubelets' Date headers; lines Loki refused as too old).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { type CheckResult, type Problem, verdict, wait } from './model.js';

/** Skew above this hides lines from Grafana's "Last 1 hour" (they sit outside the window) and warns. */
export const MAX_SKEW_SECONDS = 30;

const collectorOn = (collectors: readonly Pod[], node: string) =>
  collectors.find((p) => p.spec?.nodeName === node)?.metadata?.name;

/**
 * Lines per node in the last 5 minutes (Loki: sum by (node) (count_over_time(…[5m]))), against the nodes there are.
 * A node without lines whose collector or Loki started moments ago waits until `readyAtByNode` says it should have
 * them (see warm-up.ts).
 */
export function logsResult(
  nodes: readonly string[],
  linesByNode: ReadonlyMap<string, number>,
  collectors: readonly Pod[],
  namespace: string,
  readyAtByNode: ReadonlyMap<string, number> = new Map(),
  now = Date.now(),
): CheckResult {
  const silent = nodes.filter((n) => !(linesByNode.get(n) ?? 0));
  const young = silent.filter((n) => (readyAtByNode.get(n) ?? 0) > now);
  if (silent.length > 0 && young.length === silent.length) {
    const until = Math.max(...young.map((n) => readyAtByNode.get(n)!));
    return wait(
      'logs',
      `no lines yet from ${young.length === 1 ? `node ${young[0]}` : `nodes ${young.join(', ')}`}: Loki or the collector there just started; lines are due within ${Math.ceil((until - now) / 1000)} s`,
      until,
    );
  }
  const problems: Problem[] = silent.map((n) => {
    const pod = collectorOn(collectors, n);
    return {
      what: `no lines in Loki from node ${n} in the last 5 minutes`,
      fix: pod
        ? `look at the collector on ${n}: kubectl -n ${namespace} logs ${pod}`
        : `no collector pod runs on ${n}: kubectl -n ${namespace} describe daemonset ${collectors[0]?.metadata?.labels?.['app.kubernetes.io/name'] ?? 'promtail'} (a taint it does not tolerate?)`,
    };
  });
  const total = [...linesByNode.values()].reduce((a, b) => a + b, 0);
  return verdict(
    'logs',
    problems,
    `${total} lines from ${nodes.length - problems.length} of ${nodes.length} nodes in the last 5 minutes`,
  );
}

/** A clock reading: the node (or API server) whose HTTP Date header was read, and its offset from this machine. */
export interface ClockReading {
  readonly source: string;
  readonly skewSeconds: number;
}

/** Offset of an HTTP Date header from the middle of the request, in seconds (the header has whole seconds). */
export function skewOf(
  date: string | undefined,
  sentAt: number,
  receivedAt: number,
): number | undefined {
  const t = date ? Date.parse(date) : NaN;
  return Number.isNaN(t) ? undefined : (t - (sentAt + receivedAt) / 2) / 1000;
}

export function clockResult(
  readings: readonly ClockReading[],
  refused: ReadonlyMap<string, number>,
  namespace: string,
): CheckResult {
  const problems: Problem[] = readings
    .filter((r) => Math.abs(r.skewSeconds) > MAX_SKEW_SECONDS)
    .map((r) => ({
      what: `${r.source}'s clock is ${Math.abs(Math.round(r.skewSeconds))} s ${r.skewSeconds > 0 ? 'ahead of' : 'behind'} this machine's: Grafana's "Last 1 hour" misses lines stamped in its time`,
      fix: r.source.startsWith('node ')
        ? `set it from this machine: minikube ssh -- sudo date -s @$(date +%s) (or run NTP on the node)`
        : "set this machine's or the cluster's clock right (NTP)",
    }));
  for (const [pod, count] of refused) {
    problems.push({
      what: `collector ${pod} had ${count} line${count === 1 ? '' : 's'} refused by Loki as too old in the last 10 minutes ("timestamp too old")`,
      fix: `Loki accepts lines up to 7 days old (limits_config.reject_old_samples_max_age): the node's clock was behind when they were written, or old files were read; kubectl -n ${namespace} logs ${pod} | grep "timestamp too old"`,
    });
  }
  const worst = readings.reduce(
    (m, r) => Math.max(m, Math.abs(r.skewSeconds)),
    0,
  );
  return verdict(
    'clock',
    problems,
    `${readings.length} clocks within ${Math.ceil(worst)} s of this machine; no line refused as too old`,
  );
}

export const nodeNames = (nodes: readonly Node[]): string[] =>
  nodes.map((n) => n.metadata!.name!);
