// Point 6, measured rather than assumed: each container's memory against its limit after the run's log bursts and
// scraping, and the series each scrape job stores.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { toBytes } from '@plgkit/core';
import { expect, it } from 'vitest';
import { memoryValue } from '../harness/cgroups.js';
import { kubectlJson } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import { GRAFANA } from '../harness/stack.js';

const MiB = 1024 * 1024;

export function measureSuite(stack: Stack, since: () => number): void {
  it('keeps every container\'s peak memory under its limit, and reports RSS, peak and limit', () => {
    const minutes = ((Date.now() - since()) / 60_000).toFixed(1);
    const rows: string[] = [];
    const over: string[] = [];
    for (const pod of kubectlJson<{ items: Pod[] }>(['-n', stack.namespace, 'get', 'pods']).items) {
      if (GRAFANA.test(pod.metadata!.name!)) continue;
      for (const status of pod.status?.containerStatuses ?? []) {
        if (!status.containerID || !status.state?.running) continue;
        const spec = pod.spec!.containers.find((c) => c.name === status.name)!;
        const limit = toBytes(String(spec.resources?.limits?.memory ?? '0'));
        const rss = memoryValue(pod, status.containerID, 'memory.stat', 'total_rss');
        const peak = memoryValue(pod, status.containerID, 'memory.max_usage_in_bytes');
        rows.push(`  ${pod.metadata!.name}/${status.name}: RSS ${(rss / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, limit ${(limit / MiB).toFixed(0)} MiB`);
        if (!(peak < limit)) over.push(`${pod.metadata!.name}/${status.name}`);
      }
    }
    console.log(`memory after ${minutes} min of the data-path tests (peak = the cgroup's max usage, page cache included):\n${rows.join('\n')}`);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(over).toEqual([]);
  });

  it('reports the series each scrape job stores', () => {
    const perJob = stack.query('count by (job) ({__name__=~".+"})').map((s) => [s.metric.job ?? '', Number(s.value[1])] as const).sort((a, b) => b[1] - a[1]);
    const head = Number(stack.query('prometheus_tsdb_head_series')[0]?.value[1] ?? '0');
    console.log(`series per job (head ${head}):\n${perJob.map(([job, n]) => `  ${job || '(recording rules)'}: ${n}`).join('\n')}`);
    expect(perJob.length).toBeGreaterThanOrEqual(8);
    expect(perJob.reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(0);
  });
}
