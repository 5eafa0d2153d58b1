// The data path for metrics: every target up with no scrape error, every rule group healthy.
import { STACK } from '@plgkit/core';
import { beforeAll, expect, it } from 'vitest';
import { applyObjects } from '../harness/kubectl.js';
import type { Stack, Target } from '../harness/observe.js';
import { pods } from '../harness/pods.js';
import {
  annotatedMetrics,
  METRICS_APP,
  METRICS_SERVICE_APP,
} from '../harness/workloads.js';
import { eventually } from './common.js';

/** Each job and what must be among its targets: by app label for the annotation jobs, by count for the rest. */
export const expectedTargets = (
  collector: string,
): ReadonlyArray<{
  job: string;
  what: string;
  matches: (t: Target) => boolean;
}> => [
  {
    job: 'prometheus',
    what: 'Prometheus itself',
    matches: (t) => t.labels.job === 'prometheus',
  },
  {
    job: 'kubernetes-apiservers',
    what: 'the API server',
    matches: (t) => t.labels.job === 'kubernetes-apiservers',
  },
  {
    job: 'kubernetes-nodes',
    what: 'the kubelet',
    matches: (t) => t.labels.job === 'kubernetes-nodes',
  },
  {
    job: 'kubernetes-cadvisor',
    what: 'cAdvisor',
    matches: (t) => t.labels.job === 'kubernetes-cadvisor',
  },
  {
    job: 'kubernetes-resource',
    what: "the kubelet's resource metrics",
    matches: (t) => t.labels.job === 'kubernetes-resource',
  },
  {
    job: 'node-exporter',
    what: 'node-exporter',
    matches: (t) => t.labels.job === 'node-exporter',
  },
  {
    job: 'kube-state-metrics',
    what: 'kube-state-metrics',
    matches: (t) => t.labels.job === 'kube-state-metrics',
  },
  {
    job: 'kubernetes-pods',
    what: 'Loki',
    matches: (t) =>
      t.labels.job === 'kubernetes-pods' && t.labels.app === 'loki',
  },
  {
    job: 'kubernetes-pods',
    what: `the collector (${collector})`,
    matches: (t) =>
      t.labels.job === 'kubernetes-pods' && t.labels.app === collector,
  },
  {
    job: 'kubernetes-pods',
    what: 'an annotated pod',
    matches: (t) =>
      t.labels.job === 'kubernetes-pods' && t.labels.app === METRICS_APP,
  },
  {
    job: 'kubernetes-service-endpoints',
    what: 'an annotated Service',
    matches: (t) =>
      t.labels.job === 'kubernetes-service-endpoints' &&
      t.labels.service === METRICS_SERVICE_APP,
  },
  {
    job: 'kubernetes-service-endpoints',
    what: 'CoreDNS, through the kube-dns Service kubeadm annotates',
    matches: (t) =>
      t.labels.job === 'kubernetes-service-endpoints' &&
      t.labels.namespace === 'kube-system' &&
      t.labels.service === 'kube-dns',
  },
];

export function metricsSuite(stack: Stack): void {
  beforeAll(() => {
    applyObjects(annotatedMetrics());
  });

  it('scrapes every target with no error: API server, kubelet, cAdvisor, exporters, Prometheus, Loki, the collector, annotated pods and Services', async () => {
    const t0 = Date.now();
    const healthy = (targets: Target[]) =>
      expectedTargets(stack.collector).every((e) =>
        targets.some((t) => e.matches(t) && t.health === 'up'),
      ) && targets.every((t) => t.health === 'up');
    const targets = await eventually(() => stack.targets(), healthy, 180);
    console.log(
      `targets: all ${targets.length} up after ${((Date.now() - t0) / 1000).toFixed(0)} s\n${targets.map((t) => `  ${t.labels.job} ${t.labels.app ?? ''} ${t.scrapeUrl} ${t.health}`).join('\n')}`,
    );
    for (const e of expectedTargets(stack.collector))
      expect(
        targets.filter(e.matches).map((t) => t.health),
        `${e.job}: ${e.what}`,
      ).toContain('up');
    expect(
      targets
        .filter((t) => t.health !== 'up' || t.lastError !== '')
        .map((t) => `${t.labels.job} ${t.scrapeUrl}: ${t.lastError}`),
    ).toEqual([]);
  });

  it('scrapes each endpoint by one job only: a pod annotated itself is not scraped again through its annotated Service', () => {
    const targets = stack.targets();
    // Prometheus scrapes itself at localhost: that is its pod's address.
    const prometheusIp = pods(stack.namespace).find(
      (p) =>
        p.metadata?.labels?.['app.kubernetes.io/name'] ===
        STACK.prometheus.name,
    )?.status?.podIP;
    expect(prometheusIp).toBeDefined();
    const jobsByUrl = new Map<string, string[]>();
    for (const t of targets) {
      const url = t.scrapeUrl.replace('//localhost:', `//${prometheusIp}:`);
      jobsByUrl.set(url, [...(jobsByUrl.get(url) ?? []), t.labels.job!]);
    }
    console.log(`${targets.length} targets, ${jobsByUrl.size} endpoints`);
    expect(
      [...jobsByUrl]
        .filter(([, jobs]) => jobs.length > 1)
        .map(([url, jobs]) => `${url}: ${jobs.join(', ')}`),
    ).toEqual([]);
    expect(
      targets
        .filter((t) => t.labels.pod === METRICS_APP)
        .map((t) => t.labels.job),
    ).toEqual(['kubernetes-pods']);
  });

  it('evaluates every rule group with health ok', async () => {
    const evaluated = (groups: ReturnType<Stack['ruleGroups']>) =>
      groups.length > 0 &&
      groups.every((g) => g.rules.every((r) => r.health !== 'unknown'));
    const groups = await eventually(() => stack.ruleGroups(), evaluated, 90);
    expect(groups.map((g) => g.name).sort()).toEqual([
      'plgkit.alerts',
      'plgkit.records',
    ]);
    expect(
      groups.flatMap((g) =>
        g.rules
          .filter((r) => r.health !== 'ok')
          .map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`),
      ),
    ).toEqual([]);
  });
}
