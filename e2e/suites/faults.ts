// The stack's known outages, injected one at a time. Each must fail its check for its own reason, and plgkit's alert
// must name the fix; each fault is undone before the next.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@plgkit/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyObjects, kubectl, kubectlJson } from '../harness/kubectl.js';
import type { Alert, Stack } from '../harness/observe.js';
import { APP_NAMESPACE, MARK, oneLine, oomOnce } from '../harness/workloads.js';
import { problemsOf, resultOf, runCheck } from './check.js';
import {
  applyForced,
  componentPods,
  eventually,
  podLog,
  restartComponent,
} from './common.js';
import { onHarnessNode } from './harness-only.js';

const FAULT_MANAGER = 'plgkit-e2e-fault';

function clusterRole(
  objects: readonly KubeObject[],
  name: string,
): ClusterRole {
  const role = objects.find(
    (o) => o.kind === 'ClusterRole' && o.metadata.name === name,
  ) as ClusterRole | undefined;
  if (!role) throw new Error(`the overlay has no ClusterRole ${name}`);
  return role;
}

/** The role with `resource` taken out of every rule that names it (and a rule left with no resource removed). */
function without(role: ClusterRole, resource: string): ClusterRole {
  const rules = (role.rules ?? []).flatMap((r) => {
    if (!r.resources?.includes(resource)) return [r];
    const rest = r.resources.filter((x) => x !== resource);
    return rest.length > 0 ? [{ ...r, resources: rest }] : [];
  });
  return { ...role, rules };
}

const alertNamed =
  (name: string, match: (a: Alert) => boolean = () => true) =>
  (alerts: Alert[]) =>
    alerts.find((a) => a.labels.alertname === name && match(a));

async function lineArrives(
  stack: Stack,
  pod: string,
  seconds: number,
): Promise<string[]> {
  const read = () =>
    stack
      .logs(`{namespace="${APP_NAMESPACE}", pod="${pod}"}`, 600)
      .map((l) => l.line);
  return eventually(read, (lines) => lines.length > 0, seconds);
}

export function faultsSuite(
  stack: Stack,
  objects: () => readonly KubeObject[],
): void {
  it('(a) Prometheus without nodes/metrics: the kubelet, cAdvisor and resource targets fail with 403, and KubeletScrapeFailing names the grant', async () => {
    const role = clusterRole(objects(), 'prometheus');
    applyForced([without(role, 'nodes/metrics')], FAULT_MANAGER);
    // A new pod, so a new token: the kubelet caches an allowed answer for 5 minutes per token.
    await restartComponent(stack.namespace, 'prometheus');
    try {
      const kubeletJobs = [
        'kubernetes-nodes',
        'kubernetes-cadvisor',
        'kubernetes-resource',
      ];
      const targets = await eventually(
        () =>
          stack.targets().filter((t) => kubeletJobs.includes(t.labels.job!)),
        (ts) =>
          ts.length === kubeletJobs.length &&
          ts.every((t) => t.health === 'down'),
        120,
      );
      expect(
        targets
          .map((t) => `${t.labels.job}: ${t.health} ${t.lastError}`)
          .sort(),
      ).toEqual(
        kubeletJobs
          .sort()
          .map((j) => `${j}: down server returned HTTP status 403 Forbidden`),
      );
      // The other targets are scraped too (a fresh Prometheus's first scrape of each may still be on its way).
      const others = await eventually(
        () =>
          stack.targets().filter((t) => !kubeletJobs.includes(t.labels.job!)),
        (ts) => ts.every((t) => t.health === 'up'),
        60,
      );
      expect(
        others
          .filter((t) => t.health !== 'up')
          .map((t) => `${t.labels.job}: ${t.health} ${t.lastError}`),
        'only the kubelet targets fail',
      ).toEqual([]);
      const alert = await eventually(
        () =>
          alertNamed(
            'KubeletScrapeFailing',
            (a) => a.labels.job === 'kubernetes-nodes',
          )(stack.alerts()),
        (a) => !!a,
        120,
      );
      expect(alert?.annotations.description).toContain(
        'lacks get on nodes/metrics',
      );
      // plgkit check names the missing rule, and points the 403s to it.
      const check = await runCheck(stack.namespace);
      expect(problemsOf(check, 'permissions')).toEqual([
        expect.stringMatching(
          /^ServiceAccount \S+\/prometheus may not get nodes\/metrics, list nodes\/metrics, watch nodes\/metrics ⟶ add the rule \{apiGroups: \[""\], resources: \[.*"nodes\/metrics".*\], verbs: \["get", "list", "watch"\]\} to ClusterRole prometheus/,
        ),
      ]);
      expect(problemsOf(check, 'targets').sort()).toEqual(
        kubeletJobs
          .sort()
          .map((j) =>
            expect.stringMatching(
              new RegExp(
                `^${j}: \\S+ is down: server returned HTTP status 403 Forbidden ⟶ Prometheus's ServiceAccount is denied: grant it get on nodes/metrics`,
              ),
            ),
          ),
      );
    } finally {
      applyForced([role], 'plgkit-e2e');
      await restartComponent(stack.namespace, 'prometheus');
    }
    await eventually(
      () => stack.targets(),
      (ts) => ts.length > 0 && ts.every((t) => t.health === 'up'),
      120,
    );
  });

  it('(b) the collector without list/watch on pods: its log says pods are forbidden, no line arrives, and LogCollectorNotTailing names the grant', async () => {
    const role = clusterRole(objects(), 'promtail');
    applyForced([without(role, 'pods')], FAULT_MANAGER);
    // Not Ready: Promtail's /ready is false while it tails nothing.
    const { pod } = await restartComponent(
      stack.namespace,
      'promtail',
      false,
      false,
    );
    try {
      const log = await eventually(
        () => podLog(stack.namespace, pod.metadata!.name!),
        (l) => l.includes('pods is forbidden'),
        60,
      );
      expect(log).toMatch(
        /pods is forbidden: User "system:serviceaccount:[\w-]+:promtail" cannot (list|watch) resource "pods"/,
      );
      applyObjects([oneLine('e2e-unseen', `${MARK} unseen`)]);
      expect(await lineArrives(stack, 'e2e-unseen', 30)).toEqual([]);
      const active = await eventually(
        () =>
          stack.query(
            `promtail_targets_active_total{pod="${pod.metadata!.name}"}`,
          ),
        (s) => s.length > 0,
        90,
      );
      expect(active.map((s) => s.value[1])).toEqual(['0']);
      const rule = stack
        .ruleGroups()
        .flatMap((g) => g.rules)
        .find((r) => r.name === 'LogCollectorNotTailing') as unknown as {
        query: string;
        annotations: Record<string, string>;
      };
      expect(rule.annotations.description).toContain(
        'its ClusterRole lacks list and watch on pods',
      );
      const check = await runCheck(stack.namespace);
      expect(problemsOf(check, 'permissions')).toEqual([
        expect.stringMatching(
          /^ServiceAccount \S+\/promtail may not get pods, list pods, watch pods ⟶ add the rule \{apiGroups: \[""\], resources: \["pods"\], verbs: \["get", "list", "watch"\]\} to ClusterRole promtail/,
        ),
      ]);
      expect(problemsOf(check, 'pods')).toContainEqual(
        expect.stringMatching(/^promtail-\S+ is not Ready/),
      );
    } finally {
      applyForced([role], 'plgkit-e2e');
      await restartComponent(stack.namespace, 'promtail');
    }
    // Granted again, the collector reads the file from its start: the line was only late.
    expect(await lineArrives(stack, 'e2e-unseen', 60)).toEqual([
      `${MARK} unseen`,
    ]);
  });

  it('(c) a container far below its memory need is OOMKilled in its first seconds, and ContainerOOMKilled fires for it within 5 minutes', async () => {
    applyObjects([oomOnce()]);
    const killed = await eventually(
      () => kubectlJson<Pod>(['-n', APP_NAMESPACE, 'get', 'pod', 'e2e-oom']),
      (p) =>
        p.status?.containerStatuses?.[0]?.lastState?.terminated?.reason ===
        'OOMKilled',
      120,
    );
    const terminated =
      killed.status!.containerStatuses![0]!.lastState!.terminated!;
    expect(terminated.reason).toBe('OOMKilled');
    const killedAt = Date.parse(terminated.finishedAt!);
    const alert = await eventually(
      () =>
        alertNamed(
          'ContainerOOMKilled',
          (a) => a.labels.pod === 'e2e-oom' && a.state === 'firing',
        )(stack.alerts()),
      (a) => !!a,
      300,
    );
    expect(alert, 'ContainerOOMKilled firing for e2e-oom').toBeDefined();
    console.log(
      `faults: e2e-oom was OOMKilled ${((killedAt - Date.parse(killed.metadata!.creationTimestamp!)) / 1000).toFixed(0)} s after it was created; ContainerOOMKilled fired ${((Date.now() - killedAt) / 1000).toFixed(0)} s after the kill`,
    );
    expect(alert!.labels).toMatchObject({
      namespace: APP_NAMESPACE,
      pod: 'e2e-oom',
      container: 'main',
    });
    expect(alert!.annotations.description).toContain('Raise its memory limit');
    // The same in the stack's namespace: plgkit check names the container, its limit and peak, and the line to raise.
    const inStack = {
      ...oomOnce('e2e-oom-stack'),
      metadata: {
        ...oomOnce('e2e-oom-stack').metadata,
        namespace: stack.namespace,
      },
    };
    applyObjects([inStack]);
    try {
      await eventually(
        () =>
          kubectlJson<Pod>([
            '-n',
            stack.namespace,
            'get',
            'pod',
            'e2e-oom-stack',
          ]),
        (p) =>
          p.status?.containerStatuses?.[0]?.lastState?.terminated?.reason ===
          'OOMKilled',
        120,
      );
      const check = await runCheck(stack.namespace);
      expect(problemsOf(check, 'pods')).toContainEqual(
        expect.stringMatching(
          /^e2e-oom-stack\/main was OOMKilled at \S+ \(limit 16Mi(, last peak \d+ MiB)?; 1 restarts\) ⟶ raise resources\.limits\.memory of container main to 32Mi where e2e-oom-stack is defined$/,
        ),
      );
    } finally {
      kubectl([
        '-n',
        stack.namespace,
        'delete',
        'pod',
        'e2e-oom-stack',
        '--wait=false',
        '--ignore-not-found',
      ]);
    }
  });

  it('(d) the wrong pipeline for the runtime garbles lines, shown as such; the auto pipeline cannot pick wrong, as it reads the runtime from each container', async () => {
    const collector = componentPods(stack.namespace, 'promtail')[0]!;
    const configMap = collector.spec!.volumes!.find((v) => v.configMap)!
      .configMap!.name!;
    const current = kubectlJson<{
      metadata: { labels?: Record<string, string> };
      data: Record<string, string>;
    }>(['-n', stack.namespace, 'get', 'configmap', configMap]);
    const config = current.data['promtail.yaml']!;
    // The docker pipeline alone on this containerd node: what overlays/minikube-docker ships.
    const parsed = parse(config) as {
      scrape_configs: Array<{ pipeline_stages: unknown[] }>;
    };
    for (const job of parsed.scrape_configs)
      job.pipeline_stages = [{ docker: {} }];
    const docker = stringify(parsed);
    applyForced(
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: configMap, namespace: stack.namespace },
          data: { 'promtail.yaml': docker },
        },
      ],
      FAULT_MANAGER,
    );
    await restartComponent(stack.namespace, 'promtail');
    try {
      const check = await runCheck(stack.namespace);
      expect(problemsOf(check, 'runtime')).toEqual([
        expect.stringMatching(
          /^node \S+: runtime containerd:\/\/\S+, but the overlay's log pipeline is docker's ⟶ lines would keep the CRI prefix/,
        ),
      ]);
      applyObjects([oneLine('e2e-garbled', `${MARK} garbled`)]);
      const lines = await lineArrives(stack, 'e2e-garbled', 60);
      // docker's JSON parser fails on a CRI line and leaves it whole: the runtime's prefix stays in the message.
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^\\S+ stdout F ${MARK} garbled$`)),
      ]);
    } finally {
      // Restored whole, labels too: an apply by the same manager without them would remove them.
      applyForced(
        [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: configMap,
              namespace: stack.namespace,
              labels: current.metadata.labels,
            },
            data: current.data,
          },
        ],
        'plgkit-e2e',
      );
      await restartComponent(stack.namespace, 'promtail');
    }
    applyObjects([oneLine('e2e-clean', `${MARK} clean`)]);
    expect(await lineArrives(stack, 'e2e-clean', 60)).toEqual([
      `${MARK} clean`,
    ]);
    if (config.includes('container_runtime')) {
      // auto: the pipeline is chosen per container from its ID's scheme, so a containerd container never meets docker's.
      expect(config).toMatch(/containerd/);
      expect(config).toMatch(/docker/);
    }
  });

  // The skewed line is written into the node's log file.
  onHarnessNode(
    "(e) a line older than reject_old_samples_max_age is refused by Loki, with the reason in the collector's log and its dropped-entries metric",
    async () => {
      const before = Number(
        stack.query('sum(promtail_dropped_entries_total)')[0]?.value[1] ?? '0',
      );
      const writer = kubectlJson<Pod>([
        '-n',
        APP_NAMESPACE,
        'get',
        'pod',
        'e2e-log-writer',
      ]);
      const dir = join(
        '/var/log/pods',
        `${APP_NAMESPACE}_e2e-log-writer_${writer.metadata!.uid}`,
        'main',
      );
      const file = join(
        dir,
        readdirSync(dir)
          .filter((f) => /^\d+\.log$/.test(f))
          .sort()
          .at(-1)!,
      );
      // What a node whose clock is 10 days behind writes (Loki refuses lines older than 7 days): the runtime's timestamp
      // is the only one the collector uses, and no clock can be set back here, so the line is written as the runtime would.
      const old = new Date(Date.now() - 10 * 86_400_000)
        .toISOString()
        .replace('Z', '000000Z');
      appendFileSync(file, `${old} stdout F ${MARK} from a skewed clock\n`);
      const collector = componentPods(stack.namespace, 'promtail')[0]!.metadata!
        .name!;
      const log = await eventually(
        () => podLog(stack.namespace, collector),
        (l) => /timestamp too old/.test(l),
        60,
      );
      expect(log).toMatch(/status=400 .*timestamp too old/);
      const after = await eventually(
        () =>
          Number(
            stack.query('sum(promtail_dropped_entries_total)')[0]?.value[1] ??
              '0',
          ),
        (n) => n > before,
        90,
      );
      expect(after).toBeGreaterThan(before);
      expect(
        stack
          .logs(
            `{namespace="${APP_NAMESPACE}", pod="e2e-log-writer"} |= "skewed clock"`,
            11 * 86_400,
          )
          .map((l) => l.line),
      ).toEqual([]);
      const rule = stack
        .ruleGroups()
        .flatMap((g) => g.rules)
        .find((r) => r.name === 'LogCollectorDroppingEntries') as unknown as {
        annotations: Record<string, string>;
      };
      expect(rule.annotations.description).toContain(
        "the node's clock is behind",
      );
      const check = await runCheck(stack.namespace);
      expect(problemsOf(check, 'clock')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^collector ${collector} had \\d+ lines? refused by Loki as too old in the last 10 minutes \\("timestamp too old"\\) ⟶ Loki accepts lines up to 7 days old`,
          ),
        ),
      ]);
      expect(resultOf(check, 'logs').status).toBe('pass');
    },
  );
}
