// Measured rather than assumed: each container's memory after 10 minutes of scraping and log traffic, right
// after a fresh burst of 10,005 lines, against its limit; the series each scrape job stores. The figures are held to
// e2e/measured.json (the source of docs/measured.md), or recorded into it with PLGKIT_E2E_RECORD=1, together with real payloads
// for fixtures/metrics.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { durationSeconds, parseQuantity } from '@plgkit/core';
import {
  APISERVER_KEPT_FAMILIES,
  DEFAULTS as PROMETHEUS_DEFAULTS,
} from '@plgkit/prometheus';
import type { Node } from 'kubernetes-types/core/v1.js';
import { beforeAll, expect, it } from 'vitest';
import {
  driftFrom,
  MEASURE_AFTER_MINUTES,
  MEASURED_FILE,
  type OverlayMeasurement,
  pinnedVersions,
  RECORDING,
  readMeasured,
  writeMeasured,
} from '../../support/measured.js';
import { capturePayloads, writePayloads } from '../harness/capture.js';
import { memoryValue } from '../harness/cgroups.js';
import { sleep } from '../harness/daemons.js';
import { applyObjects, kubectlJson } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import { pods } from '../harness/pods.js';
import { GRAFANA, REPO } from '../harness/stack.js';
import { targetNodeName } from '../harness/target-node.js';
import {
  APP_NAMESPACE,
  expectedLines,
  logWriter,
} from '../harness/workloads.js';
import { eventually } from './common.js';

const MiB = 1024 * 1024;
const BURST_POD = 'e2e-measure-burst';
const SCRAPE_MS = durationSeconds(PROMETHEUS_DEFAULTS.scrapeInterval) * 1000;
/** The series count's lookback: two scrapes, so a live target always has a sample in it and a gone one soon none. */
const LOOKBACK_MS = 2 * SCRAPE_MS;

/** Each running container's RSS, peak and limit, by component. */
function memory(namespace: string): OverlayMeasurement['memory'] {
  const out: Array<OverlayMeasurement['memory'][number]> = [];
  for (const pod of pods(namespace)) {
    if (GRAFANA.test(pod.metadata!.name!)) continue;
    for (const status of pod.status?.containerStatuses ?? []) {
      if (!status.containerID || !status.state?.running) continue;
      const spec = pod.spec!.containers.find((c) => c.name === status.name)!;
      out.push({
        component:
          pod.metadata!.labels?.['app.kubernetes.io/name'] ??
          pod.metadata!.name!,
        container: status.name,
        rssMiB: Math.round(
          memoryValue(pod, status.containerID, 'memory.stat', 'total_rss') /
            MiB,
        ),
        peakMiB: Math.round(
          memoryValue(pod, status.containerID, 'memory.max_usage_in_bytes') /
            MiB,
        ),
        limitMiB: Math.round(
          parseQuantity(String(spec.resources?.limits?.memory ?? '0')) / MiB,
        ),
      });
    }
  }
  return out.sort((a, b) => a.component.localeCompare(b.component));
}

export function measureSuite(
  stack: Stack,
  overlay: string,
  appliedAt: () => number,
): void {
  let live: OverlayMeasurement;

  beforeAll(async () => {
    // Durability restarted Loki, Prometheus and the collector: give the containers measured now a burst of their own.
    applyObjects([logWriter(BURST_POD)]);
    const expected = expectedLines().length;
    const got = await eventually(
      () =>
        stack.logs(`{namespace="${APP_NAMESPACE}", pod="${BURST_POD}"}`).length,
      (n) => n >= expected,
      180,
    );
    if (got < expected)
      throw new Error(
        `the measuring burst reached Loki with ${got} of ${expected} lines`,
      );
    // An instant query finds a series by its last sample within the lookback (5 minutes by default), so the series
    // of a container replaced before then still count (a restarted Prometheus marks none stale). Counted with a
    // lookback of two scrapes, once every container has run that long, each job counts only its live targets.
    const started = pods(stack.namespace).flatMap((p) =>
      (p.status?.containerStatuses ?? []).map((c) =>
        Date.parse(c.state?.running?.startedAt ?? ''),
      ),
    );
    const lastStart = Math.max(0, ...started.filter(Number.isFinite));
    const wait =
      Math.max(
        appliedAt() + MEASURE_AFTER_MINUTES * 60_000,
        lastStart + LOOKBACK_MS + SCRAPE_MS,
      ) - Date.now();
    if (wait > 0) await sleep(wait);
    const series = Object.fromEntries(
      stack
        .query(
          'count by (job) ({__name__=~".+"})',
          undefined,
          `${LOOKBACK_MS / 1000}s`,
        )
        .map((s) => [s.metric.job || '(rules)', Number(s.value[1])] as const)
        .sort((a, b) => a[0].localeCompare(b[0])),
    );
    live = {
      overlay,
      date: new Date().toISOString().slice(0, 10),
      minutes: Math.round((Date.now() - appliedAt()) / 6000) / 10,
      memory: memory(stack.namespace),
      series,
      headSeries: Number(
        stack.query('prometheus_tsdb_head_series')[0]?.value[1] ?? '0',
      ),
    };
    console.log(
      `measured on overlays/${overlay}:\n${JSON.stringify(live, null, 2)}`,
    );
  }, 20 * 60_000);

  it(`keeps every container's peak memory under its limit after ${MEASURE_AFTER_MINUTES} minutes and a burst`, () => {
    expect(live.minutes).toBeGreaterThanOrEqual(MEASURE_AFTER_MINUTES);
    expect(live.memory.length).toBeGreaterThanOrEqual(5);
    expect(
      live.memory
        .filter((m) => !(m.peakMiB < m.limitMiB))
        .map((m) => `${m.component}/${m.container}`),
    ).toEqual([]);
  });

  it('stores from the API server only the families the Control plane dashboard reads (28,605 series before the filter)', () => {
    const stored = stack
      .query(
        'group by (__name__) ({job="kubernetes-apiservers"})',
        undefined,
        `${LOOKBACK_MS / 1000}s`,
      )
      .map((s) => s.metric.__name__!)
      .filter((n) => n !== 'up' && !n.startsWith('scrape_'))
      .sort();
    expect(stored).toEqual([...APISERVER_KEPT_FAMILIES].sort());
    expect(live.series['kubernetes-apiservers']).toBeLessThan(2000);
  });

  it('holds the head to at most 6,000 series on one node (12,717 before the stack kept only what it reads; the API server families the Control plane dashboard reads are about 950)', () => {
    expect(live.headSeries).toBeGreaterThan(0);
    expect(live.headSeries).toBeLessThanOrEqual(6000);
  });

  if (RECORDING) {
    it('records the figures into e2e/measured.json, and real payloads into fixtures/metrics', () => {
      const previous = existsSync(MEASURED_FILE) ? readMeasured() : undefined;
      const versions = pinnedVersions();
      const node = kubectlJson<Node>(['get', 'node', targetNodeName()]).status!
        .nodeInfo!;
      const keep =
        previous &&
        JSON.stringify(previous.versions) === JSON.stringify(versions)
          ? previous.overlays
          : {};
      writeMeasured({
        versions,
        kubernetes: node.kubeletVersion,
        runtime: node.containerRuntimeVersion,
        overlays: { ...keep, [overlay]: live },
      });
      // The payloads come from the default overlay's run: a containerd node, the stack at its pinned versions.
      if (overlay === 'minikube')
        writePayloads(
          join(REPO, 'fixtures', 'metrics'),
          capturePayloads(stack.namespace),
          live.date,
        );
    });
  } else {
    it('measures what e2e/measured.json records, within a band (else: PLGKIT_E2E_RECORD=1 pnpm e2e, and commit)', () => {
      const recorded = readMeasured().overlays[overlay];
      expect(
        recorded,
        `e2e/measured.json has no figures for ${overlay}`,
      ).toBeDefined();
      expect(driftFrom(recorded!, live)).toEqual([]);
    });
  }
}
