// The bundled rules meet the bundled Alertmanager config, with the real amtool and Alertmanager of the pinned release
// (built from the Go module proxy, as the e2e builds them): every config variant loads, every rule routes where it
// should, the inhibitions hold on a running Alertmanager, and a silence outlives a restart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALERTMANAGER_VERSION,
  type AlertmanagerOptions,
  alertmanagerConfig,
  DEFAULT_RECEIVER,
  NULL_RECEIVER,
  resolveAlertmanagerOptions,
} from '@plgkit/alertmanager';
import { toYaml } from '@plgkit/core';
import { type AlertingRule, alertingRules } from '@plgkit/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, start, stop, waitFor } from '../../support/processes.js';
import {
  ALERTMANAGER_BUILD_TIMEOUT_MS,
  alertmanagerBinaries,
} from '../../support/upstream-binaries.js';

let bin: { alertmanager: string; amtool: string };
const dir = mkdtempSync(join(tmpdir(), 'plgkit-alertmanager-'));

beforeAll(async () => {
  bin = await alertmanagerBinaries();
}, ALERTMANAGER_BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the config for `options` (and the receiver's secret files it reads) and returns its path. */
function configFile(name: string, options?: AlertmanagerOptions): string {
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    toYaml(alertmanagerConfig(resolveAlertmanagerOptions(options))),
  );
  return path;
}

const amtool = (args: string[]) =>
  execFileSync(bin.amtool, args, { encoding: 'utf8' });

const VARIANTS: Record<string, AlertmanagerOptions> = {
  none: {},
  webhook: { receiver: 'webhook' },
  slack: { receiver: 'slack', slackChannel: '#alerts' },
  email: {
    receiver: 'email',
    email: {
      to: 'oncall@example.com',
      from: 'alertmanager@example.com',
      smarthost: 'smtp.example.com:587',
      authUsername: 'alertmanager',
    },
  },
};

describe('the Alertmanager config', () => {
  it('runs the amtool of the Alertmanager release the stack runs', () => {
    expect(amtool(['--version'])).toContain(
      `amtool, version ${ALERTMANAGER_VERSION.replace(/^v/, '')} `,
    );
  });

  it.each(Object.keys(VARIANTS))(
    'passes amtool check-config with receiver %s',
    (variant) => {
      const out = amtool([
        'check-config',
        configFile(variant, VARIANTS[variant]),
      ]);
      expect(out).toContain('SUCCESS');
      expect(out).toMatch(/- 2 receivers/);
      expect(out).toMatch(/- 4 inhibit rules/);
    },
  );

  it('is refused by amtool when broken (the check can fail)', () => {
    const path = join(dir, 'broken.yml');
    writeFileSync(path, 'route:\n  receiver: nobody\nreceivers: []\n');
    let out = '';
    try {
      amtool(['check-config', path]);
    } catch (e) {
      out = String((e as { stdout?: string }).stdout);
    }
    expect(out).toMatch(/FAILED: undefined receiver "nobody" used in route/);
  });

  const alerts = alertingRules().rules as AlertingRule[];

  it.each(alerts.map((a) => [a.alert, a.labels.severity] as const))(
    'routes %s (%s) with amtool config routes test',
    (alert, severity) => {
      const expected = severity === 'info' ? NULL_RECEIVER : DEFAULT_RECEIVER;
      const out = amtool([
        'config',
        'routes',
        'test',
        `--config.file=${configFile('none')}`,
        `--verify.receivers=${expected}`,
        `alertname=${alert}`,
        `severity=${severity}`,
        'namespace=monitoring',
      ]);
      expect(out.trim()).toBe(expected);
    },
  );
});

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

describe('a running Alertmanager with the bundled config', () => {
  let port: number;
  let running: ReturnType<typeof start>;
  const storage = join(dir, 'data');
  const url = (path: string) => `http://127.0.0.1:${port}/api/v2${path}`;

  async function startAlertmanager(): Promise<void> {
    running = start(bin.alertmanager, [
      `--config.file=${configFile('running')}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ]);
    await waitFor(`http://127.0.0.1:${port}/-/ready`, 30, running.output);
  }

  beforeAll(async () => {
    port = await freePort();
    await startAlertmanager();
  }, 60_000);
  afterAll(async () => {
    if (running) await stop(running.child);
  });

  async function post(labels: Record<string, string>[]): Promise<void> {
    const res = await fetch(url('/alerts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        labels.map((l) => ({ labels: l, annotations: { summary: 'test' } })),
      ),
    });
    expect(res.status).toBe(200);
  }

  async function state(alertname: string): Promise<ApiAlert['status']> {
    for (let i = 0; i < 50; i++) {
      const all = (await (await fetch(url('/alerts'))).json()) as ApiAlert[];
      const a = all.find((x) => x.labels.alertname === alertname);
      if (a && a.status.state !== 'unprocessed') return a.status;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${alertname} never reached Alertmanager`);
  }

  const kubelet = {
    job: 'kubernetes-nodes',
    instance: 'minikube',
    node: 'minikube',
  };

  it('holds back TargetDown for a kubelet target while KubeletScrapeFailing names it, and not for another target', async () => {
    await post([
      { alertname: 'KubeletScrapeFailing', severity: 'warning', ...kubelet },
      { alertname: 'TargetDown', severity: 'warning', ...kubelet },
      {
        alertname: 'TargetDown',
        severity: 'warning',
        job: 'node-exporter',
        instance: 'node-exporter-x:9100',
        namespace: 'monitoring',
      },
    ]);
    const all = (await (await fetch(url('/alerts'))).json()) as ApiAlert[];
    const downs = all.filter((a) => a.labels.alertname === 'TargetDown');
    expect(downs.map((a) => [a.labels.job, a.status.state]).sort()).toEqual([
      ['kubernetes-nodes', 'suppressed'],
      ['node-exporter', 'active'],
    ]);
    expect((await state('KubeletScrapeFailing')).state).toBe('active');
  });

  it('holds back the collector push errors while Loki is down', async () => {
    await post([
      {
        alertname: 'LokiDown',
        severity: 'critical',
        job: 'kubernetes-pods',
        app: 'loki',
        namespace: 'monitoring',
        instance: 'loki-0:3100',
      },
      {
        alertname: 'LogCollectorRequestErrors',
        severity: 'warning',
        namespace: 'monitoring',
        pod: 'promtail-abcde',
      },
    ]);
    const s = await state('LogCollectorRequestErrors');
    expect(s.state).toBe('suppressed');
    expect(s.inhibitedBy.length).toBe(1);
  });

  it('keeps a silence across a restart (its data directory)', async () => {
    const now = Date.now();
    const res = await fetch(url('/silences'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'PodNotReady', isRegex: false }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'plgkit tests',
        comment: 'kept across a restart',
      }),
    });
    expect(res.status).toBe(200);
    const { silenceID } = (await res.json()) as { silenceID: string };
    await stop(running.child);
    await startAlertmanager();
    const silence = (await (
      await fetch(url(`/silence/${silenceID}`))
    ).json()) as { status: { state: string }; comment: string };
    expect(silence.status.state).toBe('active');
    expect(silence.comment).toBe('kept across a restart');
  }, 60_000);
});
