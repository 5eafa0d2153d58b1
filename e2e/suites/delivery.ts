// Alerts reach people: Alertmanager, switched to its webhook receiver the way the README says (a Secret with the URL,
// and the receiver-webhook Component), delivers to a real HTTP server in the cluster that keeps what it gets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULTS as ALERTMANAGER } from '@plgkit/alertmanager';
import { STACK } from '@plgkit/core';
import { alertingRules } from '@plgkit/prometheus';
import { expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sleep } from '../harness/daemons.js';
import { applyObjects, kubectl } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import { REPO } from '../harness/stack.js';
import {
  ALERT_SINK,
  ALERT_SINK_URL,
  APP_NAMESPACE,
  alertSink,
} from '../harness/workloads.js';
import { eventually, restartComponent } from './common.js';

/** What Alertmanager's webhook receiver posts (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export interface WebhookPayload {
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }>;
}

/** Every notification the sink has been sent, through the API server's service proxy. */
function received(): WebhookPayload[] {
  return kubectl([
    'get',
    '--raw',
    `/api/v1/namespaces/${APP_NAMESPACE}/services/${ALERT_SINK}:8080/proxy/cgi-bin/hook`,
  ])
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as WebhookPayload);
}

const AM = STACK.alertmanager;

const alertmanagerApi = (namespace: string, path: string) =>
  `/api/v1/namespaces/${namespace}/services/${AM.name}:${AM.ports.web}/proxy/api/v2${path}`;

/**
 * POSTs JSON to Alertmanager's API from the sink's pod, as any client in the cluster would (the API server's proxy
 * sends no Content-Type, which Alertmanager's API refuses).
 */
function postToAlertmanager(
  namespace: string,
  path: string,
  body: unknown,
): string {
  return kubectl([
    '-n',
    APP_NAMESPACE,
    'exec',
    ALERT_SINK,
    '--',
    'wget',
    '-q',
    '-O-',
    '--header',
    'Content-Type: application/json',
    '--post-data',
    JSON.stringify(body),
    `http://${AM.name}.${namespace}.svc:${AM.ports.web}/api/v2${path}`,
  ]);
}

const arrived = (
  payloads: WebhookPayload[],
  status: 'firing' | 'resolved',
  match: (labels: Record<string, string>) => boolean,
) =>
  payloads
    .flatMap((p) => p.alerts)
    .find((a) => a.status === status && match(a.labels));

/**
 * Switches the applied overlay's Alertmanager to the webhook receiver, as a user would: the Secret, then the overlay
 * again with the receiver-webhook Component listed.
 */
export async function useWebhookReceiver(
  stack: Stack,
  overlay: string,
): Promise<void> {
  applyObjects(alertSink());
  kubectl([
    '-n',
    stack.namespace,
    'create',
    'secret',
    'generic',
    ALERTMANAGER.receiverSecret,
    `--from-literal=url=${ALERT_SINK_URL}`,
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'plgkit-e2e-receiver-'));
  try {
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        // kustomize takes no absolute root.
        resources: [relative(dir, join(REPO, 'overlays', overlay))],
        components: [
          relative(
            dir,
            join(
              REPO,
              'packages',
              'alertmanager',
              'components',
              'receiver-webhook',
            ),
          ),
        ],
      }),
    );
    kubectl([
      'apply',
      '--server-side',
      '--field-manager=plgkit-e2e',
      '-k',
      dir,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  kubectl([
    '-n',
    stack.namespace,
    'rollout',
    'status',
    `statefulset/${AM.name}`,
    '--timeout=180s',
  ]);
}

/** The faults suite's OOMKilled container (its test (c)). */
const isOom = (l: Record<string, string>) =>
  l.alertname === 'ContainerOOMKilled' && l.pod === 'e2e-oom';

/** After the faults suite's OOM: the firing notice arrives, then (once its pod is gone) the resolved one. */
export function deliverySuite(stack: Stack): void {
  const rule = alertingRules().rules.find(
    (r) => 'alert' in r && r.alert === 'ContainerOOMKilled',
  ) as { annotations: { summary: string } };

  it("delivers ContainerOOMKilled from the faults suite to the webhook, with the rule's labels and summary", async () => {
    const payloads = await eventually(
      received,
      (ps) => !!arrived(ps, 'firing', isOom),
      240,
    );
    const alert = arrived(payloads, 'firing', isOom)!;
    expect(alert.labels).toMatchObject({
      alertname: 'ContainerOOMKilled',
      severity: 'warning',
      namespace: APP_NAMESPACE,
      pod: 'e2e-oom',
      container: 'main',
    });
    expect(alert.annotations.summary).toBe(
      rule.annotations.summary
        .replace('{{ $labels.namespace }}', APP_NAMESPACE)
        .replace('{{ $labels.pod }}', 'e2e-oom')
        .replace('{{ $labels.container }}', 'main'),
    );
    // Undo the fault: with its pod gone, the alert resolves.
    kubectl(['-n', APP_NAMESPACE, 'delete', 'pod', 'e2e-oom', '--wait=false']);
  });

  it('does not deliver TargetDown for a kubelet target while KubeletScrapeFailing names it (an inhibition)', async () => {
    const now = Date.now();
    const kubelet = {
      job: 'kubernetes-nodes',
      instance: 'e2e-inhibition-check',
      node: 'e2e-inhibition-check',
    };
    const endsAt = new Date(now + 600_000).toISOString();
    postToAlertmanager(stack.namespace, '/alerts', [
      {
        labels: {
          alertname: 'KubeletScrapeFailing',
          severity: 'warning',
          ...kubelet,
        },
        annotations: { summary: 'e2e inhibition check' },
        endsAt,
      },
      {
        labels: { alertname: 'TargetDown', severity: 'warning', ...kubelet },
        annotations: { summary: 'e2e inhibition check' },
        endsAt,
      },
    ]);
    const isSource = (l: Record<string, string>) =>
      l.alertname === 'KubeletScrapeFailing' && l.instance === kubelet.instance;
    const payloads = await eventually(
      received,
      (ps) => !!arrived(ps, 'firing', isSource),
      120,
    );
    expect(arrived(payloads, 'firing', isSource)).toBeDefined();
    // Each alertname is its own group, flushed after the same group_wait: uninhibited, TargetDown would be here
    // within moments of the other.
    await sleep(10_000);
    expect(
      received()
        .flatMap((p) => p.alerts)
        .filter(
          (a) =>
            a.labels.alertname === 'TargetDown' &&
            a.labels.instance === kubelet.instance,
        ),
    ).toEqual([]);
  });
}

/**
 * Later in the run, so Alertmanager's group interval (5 minutes) has mostly passed: the resolved notice; then a
 * restart, which must come after it (Alertmanager keeps its alerts in memory: a restart before the group's next flush
 * would lose the notice).
 */
export function resolvedSuite(stack: Stack): void {
  it('delivers the resolved notice once the OOMKilled pod is gone', async () => {
    const payloads = await eventually(
      received,
      (ps) => !!arrived(ps, 'resolved', isOom),
      420,
    );
    expect(arrived(payloads, 'resolved', isOom)?.labels.namespace).toBe(
      APP_NAMESPACE,
    );
  });

  it('keeps a silence across a restart of Alertmanager', async () => {
    const now = Date.now();
    const { silenceID } = JSON.parse(
      postToAlertmanager(stack.namespace, '/silences', {
        matchers: [
          { name: 'alertname', value: 'e2e-silenced', isRegex: false },
        ],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'plgkit e2e',
        comment: 'kept across a restart',
      }),
    ) as { silenceID: string };
    await restartComponent(stack.namespace, AM.name);
    const silence = JSON.parse(
      kubectl([
        'get',
        '--raw',
        alertmanagerApi(stack.namespace, `/silence/${silenceID}`),
      ]),
    ) as { status: { state: string }; comment: string };
    expect(silence.status.state).toBe('active');
    expect(silence.comment).toBe('kept across a restart');
  });
}
