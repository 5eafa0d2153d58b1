import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  bundledDashboards,
  grafanaBase,
  LOKI_UID,
  PROMETHEUS_UID,
} from '../src/index.js';

/** The dashboards as the JSON Grafana reads: the SDK's types make every field optional. */
const dashboards = (): Record<string, any> => bundledDashboards();

const find = (kind: string, base = grafanaBase()) =>
  base.resources.find((o) => o.kind === kind) as any;
const generated = (name: string, base = grafanaBase()) =>
  base.configMapGenerators!.find((g) => g.name === name)!.files;

describe('grafanaBase', () => {
  it('provisions Prometheus (default) and Loki datasources with fixed uids at the Services of its namespace', () => {
    const file = parse(generated('grafana-datasources')['datasources.yaml']!);
    expect(file.datasources).toEqual([
      expect.objectContaining({
        type: 'prometheus',
        uid: PROMETHEUS_UID,
        url: 'http://prometheus.monitoring.svc:9090',
        isDefault: true,
      }),
      expect.objectContaining({
        type: 'loki',
        uid: LOKI_UID,
        url: 'http://loki.monitoring.svc:3100',
        isDefault: false,
      }),
    ]);
    // Prometheus's alert rules appear in Grafana's alert list through the datasource.
    expect(file.datasources[0].jsonData.manageAlerts).toBe(true);
    const elsewhere = parse(
      generated('grafana-datasources', grafanaBase({ namespace: 'obs' }))[
        'datasources.yaml'
      ]!,
    );
    expect(elsewhere.datasources.map((d: any) => d.url)).toEqual([
      'http://prometheus.obs.svc:9090',
      'http://loki.obs.svc:3100',
    ]);
  });

  it('provisions the bundled dashboards from a ConfigMap, never from the internet', () => {
    expect(Object.keys(generated('grafana-dashboards'))).toEqual([
      'cluster-overview.json',
      'logs.json',
      'loki.json',
      'pod-resources.json',
      'prometheus.json',
    ]);
    const providers = parse(
      generated('grafana-dashboard-providers')['dashboards.yaml']!,
    );
    expect(providers.providers[0].options.path).toBe(
      '/etc/grafana/dashboards/plgkit',
    );
    const mounts =
      find('Deployment').spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toContainEqual({
      name: 'dashboards',
      mountPath: '/etc/grafana/dashboards/plgkit',
      readOnly: true,
    });
    const env = Object.fromEntries(
      find('Deployment').spec.template.spec.containers[0].env.map((e: any) => [
        e.name,
        e.value,
      ]),
    );
    expect(env).toMatchObject({
      GF_PLUGINS_PREINSTALL_DISABLED: 'true',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
    });
  });

  it('every dashboard query names a provisioned datasource by uid', () => {
    for (const [file, d] of Object.entries(dashboards())) {
      for (const p of d.panels) {
        expect([PROMETHEUS_UID, LOKI_UID], `${file} ${p.title}`).toContain(
          p.datasource.uid,
        );
        for (const t of p.targets) expect(t.datasource).toEqual(p.datasource);
      }
      expect(d.uid).toMatch(/^plgkit-/);
    }
  });

  it('the pod dashboard sets memory working set against the limit, per container', () => {
    const panel = dashboards()['pod-resources.json']!.panels.find(
      (p: any) => p.title === 'Memory working set vs limit',
    )!;
    expect(panel.targets.map((t: any) => t.expr)).toEqual([
      'sum by (pod, container) (container_memory_working_set_bytes{namespace=~"$namespace", pod=~"$pod", container!=""})',
      'sum by (pod, container) (kube_pod_container_resource_limits{resource="memory", namespace=~"$namespace", pod=~"$pod"})',
    ]);
  });

  it('the dashboards that filter by namespace and pod offer those variables', () => {
    const d = dashboards();
    expect(
      d['pod-resources.json']!.templating.list.map((v: any) => v.name),
    ).toEqual(['namespace', 'pod']);
    expect(
      d['cluster-overview.json']!.templating.list.map((v: any) => v.name),
    ).toEqual(['node', 'namespace']);
  });

  it('lays panels out without overlap', () => {
    for (const d of Object.values(dashboards())) {
      const cells = new Set<string>();
      for (const p of d.panels) {
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`), `${d.uid} ${p.title}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      }
    }
  });

  it('the logs dashboard filters by namespace, pod and container and shows volume and lines', () => {
    const d = dashboards()['logs.json']!;
    expect(d.templating.list.map((v: any) => v.name)).toEqual([
      'namespace',
      'pod',
      'container',
    ]);
    expect(d.panels.map((p: any) => p.type)).toEqual(['timeseries', 'logs']);
    expect(d.panels[1]!.targets[0]!.expr).toBe(
      '{namespace=~"$namespace", pod=~"$pod", container=~"$container"}',
    );
  });

  it('takes admin credentials from a Secret, never a literal', () => {
    const env = find('Deployment').spec.template.spec.containers[0].env;
    expect(
      env.filter((e: any) => e.name.startsWith('GF_SECURITY_ADMIN')),
    ).toEqual([
      {
        name: 'GF_SECURITY_ADMIN_USER',
        valueFrom: {
          secretKeyRef: { name: 'grafana-admin', key: 'admin-user' },
        },
      },
      {
        name: 'GF_SECURITY_ADMIN_PASSWORD',
        valueFrom: {
          secretKeyRef: { name: 'grafana-admin', key: 'admin-password' },
        },
      },
    ]);
  });

  it('serves grafana:3000 with readiness on /api/health', () => {
    expect(find('Service').spec.ports).toEqual([
      { name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(
      find('Deployment').spec.template.spec.containers[0].readinessProbe
        .httpGet,
    ).toEqual({ path: '/api/health', port: 'http' });
  });

  it('rejects a datasource URL that is not one', () => {
    expect(() => grafanaBase({ lokiUrl: 'loki:3100' })).toThrow(
      /\/lokiUrl: got "loki:3100", expected an http or https URL/,
    );
  });
});
