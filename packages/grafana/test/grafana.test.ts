import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ALERTMANAGER_UID,
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
  it('provisions Prometheus (default), Loki and Alertmanager datasources with fixed uids at the Services of its namespace', () => {
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
      expect.objectContaining({
        type: 'alertmanager',
        uid: ALERTMANAGER_UID,
        url: 'http://alertmanager.monitoring.svc:9093',
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
      'http://alertmanager.obs.svc:9093',
    ]);
  });

  it('provisions the bundled dashboards from a ConfigMap, never from the internet', () => {
    expect(Object.keys(generated('grafana-dashboards'))).toEqual([
      'cluster-overview.json',
      'control-plane.json',
      'logs.json',
      'loki.json',
      'namespaces.json',
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

  it('describes every panel: what it answers, then what to do when it looks bad', () => {
    const bare = Object.values(dashboards()).flatMap((d) =>
      d.panels
        .filter(
          (p: any) =>
            typeof p.description !== 'string' ||
            // At least two sentences, each ending in a full stop.
            !p.description.endsWith('.') ||
            p.description.split(/(?<=\.) (?=[A-Z])/).length < 2,
        )
        .map((p: any) => `${d.title} / ${p.title}`),
    );
    expect(bare).toEqual([]);
  });

  it('links each top pod to its resources and its logs, and each control plane pod to its logs, by variables those dashboards have, in the same time range', () => {
    const byUid = new Map<string, any>(
      Object.values(dashboards()).map((d) => [d.uid, d]),
    );
    const links = Object.values(dashboards()).flatMap((d) =>
      d.panels.flatMap((p: any) =>
        (p.fieldConfig?.defaults?.links ?? []).map((l: any) => ({
          from: `${d.title} / ${p.title}`,
          url: l.url as string,
        })),
      ),
    );
    expect(links.map((l) => l.from)).toEqual([
      'Control plane / Control plane log lines by level',
      ...['CPU', 'memory', 'restarts'].flatMap((by) => [
        `Namespaces and top pods / Top pods by ${by}`,
        `Namespaces and top pods / Top pods by ${by}`,
      ]),
    ]);
    for (const { from, url } of links) {
      const m = /^\/d\/([^?]+)\?(.*)$/.exec(url);
      expect(m, `${from}: ${url}`).not.toBeNull();
      const target = byUid.get(m![1]!);
      expect(target, `${from}: ${url}`).toBeDefined();
      const params = m![2]!.split('&');
      expect(params.at(-1)).toBe('${__url_time_range}');
      for (const p of params.slice(0, -1)) {
        const [, name, label] = /^var-(\w+)=\$\{__field\.labels\.(\w+)\}$/.exec(
          p,
        )!;
        // A variable of the target dashboard, set from the clicked series' label of the same name.
        expect(target.templating.list.map((v: any) => v.name)).toContain(name);
        expect(label).toBe(name);
      }
    }
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

  it('the logs dashboard filters by namespace, pod, container and text, and shows volume, levels and lines', () => {
    const d = dashboards()['logs.json']!;
    expect(d.templating.list.map((v: any) => `${v.name} (${v.type})`)).toEqual([
      'namespace (query)',
      'pod (query)',
      'container (query)',
      'filter (textbox)',
    ]);
    expect(d.panels.map((p: any) => p.type)).toEqual([
      'timeseries',
      'timeseries',
      'logs',
    ]);
    expect(d.panels[2]!.targets[0]!.expr).toBe(
      '{namespace=~"$namespace", pod=~"$pod", container=~"$container"} |= `$filter`',
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
