// A stack that has just started has gaps that are not faults. Prometheus has a rate only after two scrapes of a
// target, and a recording rule's series only after the evaluation that follows. A node's first lines reach Loki once
// the collector's pushes stop backing off, as Loki's ingester joins its ring. Right after `kubectl rollout status`,
// which is when a reader runs `plgkit check`, such gaps would fail the dashboards and logs checks, so they wait
// instead: each until the moment the data should be there.
import { durationSeconds, LOG_DELIVERY } from '@plgkit/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parse } from 'yaml';
import { podApp, podReady } from './pods.js';

/** Scheduling and scrape jitter on top of the intervals. */
const SLACK_SECONDS = 15;

/**
 * Seconds from a target's start to data in every panel that reads it: discovery and the first scrape within one
 * interval, a second scrape for rates, and a third for a counter the component creates at its first event (Loki's
 * distributor counts from the first push it takes); then a rule evaluation for the recording rules that read them,
 * and another for the jitter between scrapes and evaluations. Measured on 2 busy cores: 105 s after the newest pod
 * started, Loki's ingestion rate and a recording rule still had no data.
 */
export function metricsWarmUpSeconds(
  scrapeSeconds: number,
  evaluationSeconds: number,
): number {
  return 3 * scrapeSeconds + 2 * evaluationSeconds + SLACK_SECONDS;
}

/**
 * Seconds from Loki's or a collector's start to a node's lines in Loki: Loki's ingester joins its ring 15 s after it
 * starts (its readiness waits for it), and a push refused meanwhile is retried within `maxBackoffSeconds`, twice.
 */
export const LOGS_WARM_UP_SECONDS =
  15 + 2 * LOG_DELIVERY.maxBackoffSeconds + SLACK_SECONDS;

/** Prometheus's `global` intervals, in seconds, from its running config (`/api/v1/status/config`). */
export function prometheusIntervals(configYaml: string): {
  scrapeSeconds: number;
  evaluationSeconds: number;
} {
  // Prometheus's own defaults, where the config leaves them out.
  const global =
    (
      parse(configYaml) as {
        global?: { scrape_interval?: string; evaluation_interval?: string };
      }
    ).global ?? {};
  return {
    scrapeSeconds: durationSeconds(global.scrape_interval ?? '1m'),
    evaluationSeconds: durationSeconds(global.evaluation_interval ?? '1m'),
  };
}

/** When a pod's newest container started, in ms since the epoch; undefined while none runs. */
export function podStartedAt(pod: Pod): number | undefined {
  const starts = (pod.status?.containerStatuses ?? [])
    .map((c) => c.state?.running?.startedAt)
    .filter((t): t is string => !!t)
    .map((t) => Date.parse(t));
  return starts.length > 0 ? Math.max(...starts) : undefined;
}

/** The newest start among the Ready pods of the given apps (all of them when none is given). */
export function newestStart(
  pods: readonly Pod[],
  apps?: readonly string[],
): number | undefined {
  const starts = pods
    .filter((p) => podReady(p) && (!apps || apps.includes(podApp(p))))
    .map(podStartedAt)
    .filter((t): t is number => t !== undefined);
  return starts.length > 0 ? Math.max(...starts) : undefined;
}

/** "started 40 s ago" for a start time, against `now`. */
export function startedAgo(startedAt: number, now: number): string {
  return `started ${Math.max(0, Math.round((now - startedAt) / 1000))} s ago`;
}
