import type { KubeObject } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import * as checks from '../lib/checks.js';
import { OVERLAY_RUNTIMES } from '../lib/overlays.js';
import { overlayNames } from '../lib/render.js';
import { validateStrict } from '../lib/strict.js';
import { editConfig, find, rendered } from './helpers.js';

describe.each(overlayNames())('overlays/%s', (overlay) => {
  const runtime = OVERLAY_RUNTIMES[overlay]!;

  it('is listed with its runtime', () => expect(runtime).toMatch(/^(docker|containerd)$/));

  it('renders all four components into one namespace', () => {
    const objects = rendered(overlay);
    const names = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names.sort()).toEqual(['DaemonSet/promtail', 'Deployment/grafana', 'StatefulSet/loki', 'StatefulSet/prometheus']);
    const namespaces = new Set(objects.filter((o) => o.metadata.namespace).map((o) => o.metadata.namespace));
    expect([...namespaces]).toEqual(['monitoring']);
    expect(find(objects, 'Namespace', 'monitoring')).toBeDefined();
  });

  it('passes strict schema validation, object by object', () => {
    expect(validateStrict(rendered(overlay))).toEqual([]);
  });

  it.each(checks.checksFor(runtime).map((c) => [c.name, c] as const))('%s', (_, check) => {
    expect(check.run(rendered(overlay))).toEqual([]);
  });
});

/** One deliberate break per check, each re-creating the outage the check exists for. */
const BREAKS: [checks.Check, (objects: KubeObject[]) => void][] = [
  [checks.prometheusCanReadKubeletMetrics, (o) => {
    const role = find(o, 'ClusterRole', 'prometheus');
    role.rules[0].resources = role.rules[0].resources.filter((r: string) => r !== 'nodes/metrics');
  }],
  [checks.cadvisorScrapedWithToken, (o) =>
    editConfig(o, 'prometheus-config', 'prometheus.yml', (c) => {
      const job = c.scrape_configs.find((j: any) => j.metrics_path === '/metrics/cadvisor');
      delete job.authorization;
    })],
  [checks.grafanaFindsPrometheus, (o) =>
    editConfig(o, 'grafana-datasources', 'datasources.yaml', (c) => {
      c.datasources[0].url = 'http://prometheus.default.svc:9090';
    })],
  [checks.grafanaFindsLoki, (o) =>
    editConfig(o, 'grafana-datasources', 'datasources.yaml', (c) => {
      c.datasources[1].url = 'http://loki.monitoring.svc:3101';
    })],
  [checks.containersAreSized, (o) => {
    find(o, 'Deployment', 'grafana').spec.template.spec.containers[0].image = 'docker.io/grafana/grafana:latest';
  }],
  [checks.promtailCanListPods, (o) => {
    find(o, 'ClusterRole', 'promtail').rules[0].verbs = ['get'];
  }],
  [checks.promtailKnowsItsNode, (o) => {
    find(o, 'DaemonSet', 'promtail').spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldPath = 'metadata.name';
  }],
  [checks.promtailKeepsOwnNode, (o) =>
    editConfig(o, 'promtail-config', 'promtail.yaml', (c) => {
      c.scrape_configs[0].relabel_configs.shift();
    })],
  [checks.promtailPositionsOnNode, (o) => {
    const volume = find(o, 'DaemonSet', 'promtail').spec.template.spec.volumes.find((v: any) => v.name === 'positions');
    delete volume.hostPath;
    volume.emptyDir = {};
  }],
  [checks.promtailShipsToLoki, (o) =>
    editConfig(o, 'promtail-config', 'promtail.yaml', (c) => {
      c.clients[0].url = 'http://loki.monitoring.svc:3100/api/prom/push';
    })],
];

describe('each check can fail', () => {
  it.each(BREAKS.map(([c, b]) => [c.name, c, b] as const))('%s', (_, check, breakIt) => {
    const objects = rendered('minikube');
    expect(check.run(objects)).toEqual([]);
    breakIt(objects);
    expect(check.run(objects)).not.toEqual([]);
  });

  it('covers every check', () => {
    const broken = new Set(BREAKS.map(([c]) => c.name));
    const all = checks.checksFor('docker').map((c) => c.name).filter((n) => !n.startsWith('Promtail reads'));
    expect(all.filter((n) => !broken.has(n))).toEqual([]);
  });

  it('a docker overlay fails the containerd runtime check, and the other way round', () => {
    expect(checks.promtailMatchesRuntime('containerd').run(rendered('minikube-docker'))).toEqual([
      'a /var/lib/docker path is mounted on a containerd node',
      'no cri pipeline stage',
      'a docker pipeline stage on a containerd node',
    ]);
    expect(checks.promtailMatchesRuntime('docker').run(rendered('containerd'))).toEqual([
      '/var/lib/docker/containers is not mounted read-only at the same path (docker log symlinks lead nowhere)',
      'no docker pipeline stage',
      'a cri pipeline stage on a docker node',
    ]);
  });

  it('a missing workload is a problem, not a crash', () => {
    const objects = rendered('containerd').filter((o) => o.kind !== 'DaemonSet');
    expect(checks.promtailCanListPods.run(objects)).toEqual(['missing: DaemonSet promtail']);
  });
});
