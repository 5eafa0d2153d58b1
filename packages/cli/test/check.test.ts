import {
  alertmanagerConfig,
  resolveAlertmanagerOptions,
} from '@plgkit/alertmanager';
import { toYaml } from '@plgkit/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { alertingResult } from '../src/check/alerting.js';
import { clockResult, logsResult, skewOf } from '../src/check/logs.js';
import {
  type CheckResult,
  formatResults,
  readyAt,
} from '../src/check/model.js';
import {
  accessReview,
  permissionsResult,
  ruleLine,
  stackNeeds,
} from '../src/check/permissions.js';
import { checkPods, oomFix, type PodContext } from '../src/check/pods.js';
import { rulesResult, targetsResult } from '../src/check/prometheus.js';
import {
  LOGS_WARM_UP_SECONDS,
  metricsWarmUpSeconds,
  newestStart,
  prometheusIntervals,
} from '../src/check/warm-up.js';

// The diagnosis of `plgkit check`, from the objects and answers a cluster gives; the e2e runs it on a real cluster.

const ctx = (over: Partial<PodContext> = {}): PodContext => ({
  namespace: 'monitoring',
  claims: [],
  storageClasses: [],
  lastLog: async () => 'level=error msg="config: unknown field bogus"',
  peakMemory: async () => 60 * 1024 * 1024,
  ...over,
});

const pod = (
  name: string,
  status: Pod['status'],
  spec: Partial<Pod['spec']> = {},
): Pod => ({
  metadata: { name, labels: { 'app.kubernetes.io/name': name.split('-')[0]! } },
  spec: {
    containers: [
      { name: name.split('-')[0]!, resources: { limits: { memory: '64Mi' } } },
    ],
    ...spec,
  },
  status,
});
const ready = {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True' }],
};

describe('pods', () => {
  it('passes when every pod is Ready', async () => {
    const r = await checkPods(
      [pod('loki-0', ready), pod('prometheus-0', ready)],
      ctx(),
    );
    expect(r).toMatchObject({ status: 'pass', summary: '2 of 2 pods Ready' });
  });

  it('says why a pod is not Ready, with the fix for each cause', async () => {
    const r = await checkPods(
      [
        pod('grafana-1', {
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'grafana',
              image: 'docker.io/grafana/grafana:13.2.3',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: 'ImagePullBackOff' } },
            },
          ],
        }),
        pod('grafana-2', {
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'grafana',
              image: 'g',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: {
                waiting: {
                  reason: 'CreateContainerConfigError',
                  message: 'secret "grafana-admin" not found',
                },
              },
            },
          ],
        }),
        pod('loki-0', {
          ...ready,
          containerStatuses: [
            {
              name: 'loki',
              image: 'l',
              imageID: '',
              ready: true,
              restartCount: 2,
              state: { running: {} },
              lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
            },
          ],
        }),
        pod('promtail-x', {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'promtail',
              image: 'p',
              imageID: '',
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
            },
          ],
        }),
        pod(
          'prometheus-0',
          {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                message: '0/1 nodes: unbound PVC',
              },
            ],
          },
          {
            volumes: [
              {
                name: 'data',
                persistentVolumeClaim: { claimName: 'data-prometheus-0' },
              },
            ],
          },
        ),
      ],
      ctx({
        claims: [
          {
            metadata: { name: 'data-prometheus-0' },
            spec: {},
            status: { phase: 'Pending' },
          },
        ],
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.problems.map((p) => [p.what, p.fix])).toEqual([
      [
        'grafana-1/grafana: image docker.io/grafana/grafana:13.2.3 cannot be pulled (ImagePullBackOff)',
        'make docker.io/grafana/grafana:13.2.3 reachable from the node (check the tag and the registry; minikube image load docker.io/grafana/grafana:13.2.3 for a local one); kubectl -n monitoring describe pod grafana-1 shows the pull error',
      ],
      [
        'grafana-2/grafana cannot start: secret "grafana-admin" not found',
        'kubectl -n monitoring create secret generic grafana-admin --from-literal=admin-user=admin --from-literal=admin-password="$(openssl rand -base64 18)"',
      ],
      [
        'loki-0/loki was OOMKilled (limit 64Mi, last peak 60 MiB; 2 restarts)',
        "give container loki more memory: run the plgkit new-overlay command at the top of your overlay's kustomization.yaml again with --force --memory loki=128Mi; in plgkit's own overlays, raise its limits.memory in components/size-*/resources.yaml",
      ],
      [
        'promtail-x/promtail keeps exiting (CrashLoopBackOff, 5 restarts); its last lines: level=error msg="config: unknown field bogus"',
        'fix what its log says: kubectl -n monitoring logs promtail-x -c promtail --previous',
      ],
      [
        'prometheus-0 is Pending: its PersistentVolumeClaim data-prometheus-0 is not bound and the cluster has no default StorageClass',
        'minikube addons enable storage-provisioner && minikube addons enable default-storageclass (elsewhere: mark a StorageClass default with the annotation storageclass.kubernetes.io/is-default-class=true)',
      ],
    ]);
  });
});

describe('the OOMKilled fix', () => {
  it('doubles the limit (or the peak) for a stack component through new-overlay, elsewhere where it is defined', () => {
    expect(oomFix('prometheus', 'prometheus', '1Gi', undefined)).toContain(
      '--memory prometheus=2048Mi',
    );
    expect(oomFix('loki', 'loki', undefined, 100 * 1024 * 1024)).toContain(
      '--memory loki=200Mi',
    );
    expect(oomFix('my-app', 'main', '16Mi', undefined)).toBe(
      'raise resources.limits.memory of container main to 32Mi where my-app is defined',
    );
  });
});

describe('permissions', () => {
  const needs = stackNeeds();

  it("asks for everything the shipped ClusterRoles grant each ServiceAccount: Prometheus's nodes/metrics, the collector's pods", () => {
    const asked = needs.map((n) => `${n.serviceAccount} ${n.verb} ${n.what}`);
    expect(asked).toContain('prometheus get nodes/metrics');
    expect(asked).toContain('prometheus list endpointslices.discovery.k8s.io');
    expect(asked).toContain('prometheus get /metrics');
    expect(asked).toContain('promtail watch pods');
    expect(asked).toContain('kube-state-metrics list deployments.apps');
    const review = accessReview(
      needs.find((n) => n.what === 'nodes/metrics')!,
      'obs',
    ) as { spec: { user: string; resourceAttributes: object } };
    expect(review.spec.user).toBe('system:serviceaccount:obs:prometheus');
    expect(review.spec.resourceAttributes).toEqual({
      verb: 'get',
      group: '',
      resource: 'nodes',
      subresource: 'metrics',
    });
  });

  it('names the rule to add for each denial, once per rule', () => {
    const allowed = needs.map(
      (n) => !(n.serviceAccount === 'prometheus' && n.what.startsWith('nodes')),
    );
    const r = permissionsResult(needs, allowed, 'monitoring');
    expect(r.status).toBe('fail');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.what).toBe(
      'ServiceAccount monitoring/prometheus may not get nodes, get nodes/metrics, list nodes, list nodes/metrics, watch nodes, watch nodes/metrics',
    );
    expect(r.problems[0]!.fix).toBe(
      `add the rule ${ruleLine(needs.find((n) => n.what === 'nodes/metrics')!.rule)} to ClusterRole prometheus (bound to monitoring/prometheus), as prometheus's base ships it`,
    );
    expect(
      permissionsResult(
        needs,
        needs.map(() => true),
        'monitoring',
      ).status,
    ).toBe('pass');
  });
});

describe('targets and rules', () => {
  const t = (
    job: string,
    lastError: string,
    labels: Record<string, string> = {},
  ) => ({
    labels: { job, ...labels },
    scrapeUrl: `https://192.0.2.1:10250/${job}`,
    health: 'down' as const,
    lastError,
  });

  it('points each scrape error to its cause: RBAC for 403, the certificate for x509, the pod for a refused connection', () => {
    const r = targetsResult(
      [
        t('kubernetes-nodes', 'server returned HTTP status 403 Forbidden'),
        t(
          'kubernetes-cadvisor',
          'tls: failed to verify certificate: x509: certificate signed by unknown authority',
        ),
        t('loki', 'dial tcp 10.244.0.9:3100: connect: connection refused', {
          namespace: 'monitoring',
          pod: 'loki-0',
        }),
        { ...t('prometheus', ''), health: 'up' },
      ],
      'monitoring',
    );
    expect(r.summary).toBe('1 of 4 targets up in 4 jobs');
    expect(r.problems.map((p) => p.fix)).toEqual([
      "Prometheus's ServiceAccount is denied: grant it get on nodes/metrics in ClusterRole prometheus (the permissions check names the rule)",
      "the kubelet's serving certificate is not signed by the cluster CA (as on minikube and kind): set kubeletInsecureSkipVerify: true in the Prometheus options (plgkit's default)",
      'nothing answers at https://192.0.2.1:10250/loki: kubectl -n monitoring describe pod loki-0',
    ]);
  });

  it('notes targets not scraped yet and rules not evaluated yet, as after a restart, without failing', () => {
    const r = targetsResult(
      [
        { ...t('loki', ''), health: 'unknown' },
        { ...t('prometheus', ''), health: 'up' },
      ],
      'monitoring',
    );
    expect(r).toMatchObject({
      status: 'pass',
      summary: '1 of 2 targets up in 2 jobs',
      notes: [
        '1 target is not scraped yet (Prometheus started less than a scrape interval ago): run plgkit check again in a minute',
      ],
    });
    expect(
      rulesResult([
        {
          name: 'g',
          file: 'f',
          rules: [
            { name: 'A', health: 'unknown' },
            { name: 'B', health: 'ok' },
          ],
        },
      ]),
    ).toMatchObject({
      status: 'pass',
      notes: ['1 rule is not evaluated yet (Prometheus started moments ago)'],
    });
  });

  it('fails an unhealthy rule with its error', () => {
    const r = rulesResult([
      {
        name: 'plgkit',
        file: '/etc/prometheus/rules/a.yaml',
        rules: [
          { name: 'A', health: 'ok' },
          {
            name: 'B',
            health: 'err',
            lastError: 'many-to-many matching not allowed',
          },
        ],
      },
    ]);
    expect(r.problems).toEqual([
      {
        what: 'rule B (group plgkit) is err: many-to-many matching not allowed',
        fix: 'fix its expression in /etc/prometheus/rules/a.yaml; promtool check rules finds what Prometheus rejects',
      },
    ]);
  });
});

describe('logs and clock', () => {
  it('names the collector to look at for a node without lines', () => {
    const collector: Pod = {
      metadata: { name: 'promtail-abc' },
      spec: { nodeName: 'n2', containers: [] },
    };
    const r = logsResult(
      ['n1', 'n2'],
      new Map([['n1', 120]]),
      [collector],
      'monitoring',
    );
    expect(r.problems).toEqual([
      {
        what: 'no lines in Loki from node n2 in the last 5 minutes',
        fix: 'look at the collector on n2: kubectl -n monitoring logs promtail-abc',
      },
    ]);
  });

  it('waits for a node whose collector or Loki just started, and fails it once its lines are overdue', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const due = new Map([
      ['n1', now + 20_000],
      ['n2', now - 1000],
    ]);
    const young = logsResult(
      ['n1', 'n2'],
      new Map([['n2', 5]]),
      [],
      'monitoring',
      due,
      now,
    );
    expect(young).toEqual({
      check: 'logs',
      status: 'wait',
      summary:
        'no lines yet from node n1: Loki or the collector there just started; lines are due within 20 s',
      problems: [],
      readyAt: now + 20_000,
    });
    // One silent node overdue: a failure, the young one with it.
    const overdue = logsResult(
      ['n1', 'n2'],
      new Map(),
      [],
      'monitoring',
      due,
      now,
    );
    expect(overdue.status).toBe('fail');
    expect(overdue.problems.map((p) => p.what)).toEqual([
      'no lines in Loki from node n1 in the last 5 minutes',
      'no lines in Loki from node n2 in the last 5 minutes',
    ]);
  });

  it('reads skew from a Date header against the middle of the request, and warns above 30 s', () => {
    expect(
      skewOf(
        'Fri, 27 Nov 2026 10:00:00 GMT',
        Date.parse('2026-11-27T10:00:00Z') - 400,
        Date.parse('2026-11-27T10:00:00Z') + 400,
      ),
    ).toBe(0);
    expect(skewOf(undefined, 0, 0)).toBeUndefined();
    const r = clockResult(
      [
        { source: 'node minikube', skewSeconds: -95 },
        { source: 'the API server', skewSeconds: 0.4 },
      ],
      new Map([['promtail-abc', 3]]),
      'monitoring',
    );
    expect(r.problems.map((p) => p.what)).toEqual([
      "node minikube's clock is 95 s behind this machine's: Grafana's \"Last 1 hour\" misses lines stamped in its time",
      'collector promtail-abc had 3 lines refused by Loki as too old in the last 10 minutes ("timestamp too old")',
    ]);
    expect(
      clockResult(
        [{ source: 'node minikube', skewSeconds: 12 }],
        new Map(),
        'monitoring',
      ).status,
    ).toBe('pass');
  });
});

describe('output', () => {
  it('prints one line per passing check, and each problem of a failing one with its fix under it', () => {
    const lines = formatResults([
      {
        check: 'pods',
        status: 'fail',
        summary: '5 of 6 pods Ready',
        problems: [
          {
            what: 'grafana-1/grafana: image g cannot be pulled (ErrImagePull)',
            fix: 'make g reachable',
          },
        ],
      },
      {
        check: 'permissions',
        status: 'pass',
        summary: '60 of 60 grants allowed',
        problems: [],
      },
      {
        check: 'targets',
        status: 'skip',
        summary: 'skipped: Prometheus is not Ready (see pods)',
        problems: [],
      },
    ]);
    expect(lines).toEqual([
      '✗ pods: grafana-1/grafana: image g cannot be pulled (ErrImagePull)',
      '    fix: make g reachable',
      '✓ permissions: 60 of 60 grants allowed',
      '– targets: skipped: Prometheus is not Ready (see pods)',
    ]);
  });
});

describe('warm-up', () => {
  const started = (
    name: string,
    app: string,
    at: string,
    isReady = true,
  ): Pod => ({
    metadata: { name, labels: { 'app.kubernetes.io/name': app } },
    spec: { containers: [] },
    status: {
      conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: app,
          image: app,
          imageID: '',
          ready: isReady,
          restartCount: 0,
          state: { running: { startedAt: at } },
        },
      ],
    },
  });

  it("gives panels three scrapes and two rule evaluations from Prometheus's running config, plus slack", () => {
    expect(
      prometheusIntervals(
        'global:\n  scrape_interval: 30s\n  evaluation_interval: 1m\n',
      ),
    ).toEqual({ scrapeSeconds: 30, evaluationSeconds: 60 });
    // Prometheus's defaults where the config has none.
    expect(prometheusIntervals('scrape_configs: []\n')).toEqual({
      scrapeSeconds: 60,
      evaluationSeconds: 60,
    });
    expect(metricsWarmUpSeconds(30, 30)).toBe(165);
    // Loki's 15 s ring join, two pushes at the collectors' longest retry delay (5 s), and the slack.
    expect(LOGS_WARM_UP_SECONDS).toBe(40);
  });

  it('dates the stack by its newest Ready container, per app when asked', () => {
    const pods = [
      started('prometheus-0', 'prometheus', '2026-11-28T12:00:00Z'),
      started('loki-0', 'loki', '2026-11-28T12:01:00Z'),
      // Not Ready: a crash loop must not keep the check waiting.
      started('grafana-1', 'grafana', '2026-11-28T12:05:00Z', false),
    ];
    expect(newestStart(pods)).toBe(Date.parse('2026-11-28T12:01:00Z'));
    expect(newestStart(pods, ['prometheus'])).toBe(
      Date.parse('2026-11-28T12:00:00Z'),
    );
    expect(newestStart(pods, ['alloy'])).toBeUndefined();
  });

  it('prints a waiting check with …, and the latest due time of all that wait', () => {
    const results: CheckResult[] = [
      {
        check: 'logs',
        status: 'wait',
        summary: 'no lines yet',
        problems: [],
        readyAt: 2000,
      },
      {
        check: 'dashboards',
        status: 'wait',
        summary: 'no data yet',
        problems: [],
        readyAt: 5000,
      },
      { check: 'rules', status: 'pass', summary: 'healthy', problems: [] },
    ];
    expect(formatResults(results)).toEqual([
      '… logs: no lines yet',
      '… dashboards: no data yet',
      '✓ rules: healthy',
    ]);
    expect(readyAt(results)).toBe(5000);
    expect(readyAt(results.slice(2))).toBeUndefined();
  });
});

describe('the alerting check', () => {
  const status = (options: object) => ({
    config: {
      original: toYaml(alertmanagerConfig(resolveAlertmanagerOptions(options))),
    },
    versionInfo: { version: '0.35.0' },
  });
  const sending = ['http://10.244.0.9:9093/api/v2/alerts'];

  it('passes with a note when alerts are delivered nowhere, as shipped', () => {
    const r = alertingResult(status({}), sending, 'monitoring');
    expect(r.status).toBe('pass');
    expect(r.summary).toBe(
      'Alertmanager 0.35.0 answers with its config loaded; Prometheus sends to 1; alerts go to no one',
    );
    expect(r.notes?.[0]).toMatch(
      /^alerts are delivered nowhere \(receiver default has no webhook, Slack or email\): put the URL in the Secret alertmanager-receiver/,
    );
  });

  it('names the receiver kind once one is set', () => {
    const r = alertingResult(
      status({ receiver: 'webhook' }),
      sending,
      'monitoring',
    );
    expect(r.status).toBe('pass');
    expect(r.notes).toBeUndefined();
    expect(r.summary).toMatch(/alerts go to webhook$/);
  });

  it('fails when Prometheus sends to no Alertmanager', () => {
    const r = alertingResult(status({}), [], 'monitoring');
    expect(r.status).toBe('fail');
    expect(r.problems).toEqual([
      {
        what: 'Prometheus sends its alerts to no Alertmanager',
        fix: 're-apply the prometheus base (kubectl apply -k): its prometheus.yml names alertmanager.monitoring.svc:9093 under alerting',
      },
    ]);
  });
});
