import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateStrict } from '@plgkit/cli';
import type { KubeObject } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import {
  OVERLAYS_DIR,
  overlayNames,
  REPO,
  render,
} from '../../support/render.js';
import * as checks from '../lib/checks.js';
import { OVERLAYS, overlaySpec } from '../lib/overlays.js';
import { editConfig, find, rendered } from './helpers.js';

describe.each(overlayNames())('overlays/%s', (overlay) => {
  const spec = OVERLAYS[overlay]!;

  it('is listed with its runtime', () =>
    expect(spec.runtime).toMatch(/^(docker|containerd|auto)$/));

  it('renders every component into one namespace, with one log collector', () => {
    const objects = rendered(overlay);
    const names = objects
      .filter((o) =>
        ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind),
      )
      .map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names.sort()).toEqual(
      [
        `DaemonSet/${overlay.includes('alloy') ? 'alloy' : 'promtail'}`,
        'DaemonSet/node-exporter',
        'Deployment/grafana',
        'Deployment/kube-state-metrics',
        'StatefulSet/alertmanager',
        'StatefulSet/loki',
        'StatefulSet/prometheus',
      ].sort(),
    );
    const namespaces = new Set(
      objects
        .filter((o) => o.metadata.namespace)
        .map((o) => o.metadata.namespace),
    );
    expect([...namespaces]).toEqual(['monitoring']);
    expect(find(objects, 'Namespace', 'monitoring')).toBeDefined();
  });

  it('passes strict schema validation, object by object', () => {
    expect(validateStrict(rendered(overlay))).toEqual([]);
  });

  it.each(checks.checksFor(spec).map((c) => [c.name, c] as const))(
    '%s',
    (_, check) => {
      expect(check.run(rendered(overlay))).toEqual([]);
    },
  );
});

/** One deliberate break per check, each re-creating the outage the check exists for. */
const BREAKS: [checks.Check, (objects: KubeObject[]) => void][] = [
  [
    checks.prometheusCanReadKubeletMetrics,
    (o) => {
      const role = find(o, 'ClusterRole', 'prometheus');
      role.rules[0].resources = role.rules[0].resources.filter(
        (r: string) => r !== 'nodes/metrics',
      );
    },
  ],
  [
    checks.cadvisorScrapedWithToken,
    (o) =>
      editConfig(o, 'prometheus-config', 'prometheus.yml', (c) => {
        const job = c.scrape_configs.find(
          (j: any) => j.metrics_path === '/metrics/cadvisor',
        );
        delete job.authorization;
      }),
  ],
  [
    checks.grafanaFindsPrometheus,
    (o) =>
      editConfig(o, 'grafana-datasources', 'datasources.yaml', (c) => {
        c.datasources[0].url = 'http://prometheus.default.svc:9090';
      }),
  ],
  [
    checks.grafanaFindsLoki,
    (o) =>
      editConfig(o, 'grafana-datasources', 'datasources.yaml', (c) => {
        c.datasources[1].url = 'http://loki.monitoring.svc:3101';
      }),
  ],
  [
    checks.containersAreSized,
    (o) => {
      find(o, 'Deployment', 'grafana').spec.template.spec.containers[0].image =
        'docker.io/grafana/grafana:latest';
    },
  ],
  [
    checks.collectorCanListPods,
    (o) => {
      find(o, 'ClusterRole', 'promtail').rules[0].verbs = ['get'];
    },
  ],
  [
    checks.collectorKnowsItsNode,
    (o) => {
      find(
        o,
        'DaemonSet',
        'promtail',
      ).spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldPath =
        'metadata.name';
    },
  ],
  [
    checks.collectorKeepsOwnNode,
    (o) =>
      editConfig(o, 'promtail-config', 'promtail.yaml', (c) => {
        c.scrape_configs[0].relabel_configs.shift();
      }),
  ],
  [
    checks.collectorPositionsOnNode,
    (o) => {
      const volume = find(
        o,
        'DaemonSet',
        'promtail',
      ).spec.template.spec.volumes.find((v: any) => v.name === 'positions');
      delete volume.hostPath;
      volume.emptyDir = {};
    },
  ],
  [
    checks.collectorShipsToLoki,
    (o) =>
      editConfig(o, 'promtail-config', 'promtail.yaml', (c) => {
        c.clients[0].url = 'http://loki.monitoring.svc:3100/api/prom/push';
      }),
  ],
  [
    checks.podsAreRestricted,
    (o) => {
      find(
        o,
        'Deployment',
        'grafana',
      ).spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation =
        true;
    },
  ],
  [
    checks.podsAreRestricted,
    (o) => {
      // The Promtail exception covers host paths and root, not capabilities.
      find(
        o,
        'DaemonSet',
        'promtail',
      ).spec.template.spec.containers[0].securityContext.capabilities.add = [
        'SYS_ADMIN',
      ];
    },
  ],
  [
    checks.podsAreRestricted,
    (o) => {
      find(
        o,
        'DaemonSet',
        'promtail',
      ).spec.template.spec.containers[0].volumeMounts.find(
        (m: any) => m.name === 'pod-logs',
      ).readOnly = false;
    },
  ],
  [
    checks.rbacIsLeastPrivilege,
    (o) => {
      find(o, 'ClusterRole', 'promtail').rules[0].resources.push('secrets');
    },
  ],
  [
    checks.rbacIsLeastPrivilege,
    (o) => {
      find(o, 'ClusterRole', 'prometheus').rules[0].verbs.push('delete');
    },
  ],
  [
    checks.rbacIsLeastPrivilege,
    (o) => {
      find(o, 'ClusterRoleBinding', 'promtail').subjects[0].name = 'prometheus';
    },
  ],
  [
    checks.tokensOnlyWhereNeeded,
    (o) => {
      find(
        o,
        'StatefulSet',
        'loki',
      ).spec.template.spec.automountServiceAccountToken = true;
    },
  ],
  [
    checks.dataIsDurable,
    (o) => {
      const loki = find(o, 'StatefulSet', 'loki');
      delete loki.spec.volumeClaimTemplates;
      loki.spec.template.spec.volumes.push({ name: 'data', emptyDir: {} });
    },
  ],
  [
    checks.dataIsDurable,
    (o) => {
      find(
        o,
        'StatefulSet',
        'prometheus',
      ).spec.template.spec.terminationGracePeriodSeconds = 5;
    },
  ],
  [
    checks.lokiReplayFitsItsLimit,
    (o) => {
      // An overlay that halves Loki's limit but keeps the ceiling computed for the default.
      find(
        o,
        'StatefulSet',
        'loki',
      ).spec.template.spec.containers[0].resources.limits.memory = '128Mi';
    },
  ],
  [
    checks.lokiReplayFitsItsLimit,
    (o) => {
      delete find(o, 'StatefulSet', 'loki').spec.template.spec.containers[0]
        .env;
    },
  ],
  [
    checks.configRollsPods,
    (o) => {
      find(o, 'StatefulSet', 'prometheus').spec.template.spec.volumes.find(
        (v: any) => v.name === 'config',
      ).configMap.name = 'prometheus-config';
    },
  ],
];

/** Edits Alloy's config.alloy text in its rendered ConfigMap. */
function editAlloyConfig(
  objects: KubeObject[],
  edit: (text: string) => string,
): void {
  const cm = find<{ data: Record<string, string> }>(
    objects,
    'ConfigMap',
    'alloy-config',
  );
  const before = cm.data['config.alloy']!;
  cm.data['config.alloy'] = edit(before);
  expect(cm.data['config.alloy']).not.toBe(before);
}

/** The same outages on overlays/minikube-alloy, where the collector checks read config.alloy and Alloy's DaemonSet. */
const ALLOY_BREAKS: [checks.Check, (objects: KubeObject[]) => void][] = [
  [
    checks.collectorCanListPods,
    (o) => {
      find(o, 'ClusterRole', 'alloy').rules[0].verbs = ['get'];
    },
  ],
  [
    checks.collectorKnowsItsNode,
    (o) => {
      find(
        o,
        'DaemonSet',
        'alloy',
      ).spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldPath =
        'metadata.name';
    },
  ],
  [
    checks.collectorKeepsOwnNode,
    (o) =>
      editAlloyConfig(o, (t) =>
        t.replace('action        = "keep"', 'action        = "drop"'),
      ),
  ],
  [
    checks.collectorPositionsOnNode,
    (o) => {
      const volume = find(
        o,
        'DaemonSet',
        'alloy',
      ).spec.template.spec.volumes.find((v: any) => v.name === 'storage');
      delete volume.hostPath;
      volume.emptyDir = {};
    },
  ],
  [
    checks.collectorShipsToLoki,
    (o) =>
      editAlloyConfig(o, (t) =>
        t.replace(
          'http://loki.monitoring.svc:3100',
          'http://loki-gateway.monitoring.svc:3100',
        ),
      ),
  ],
  [
    checks.collectorMatchesRuntime('auto'),
    (o) => editAlloyConfig(o, (t) => t.replace('\t\tstage.cri { }', '')),
  ],
];

describe('each collector check can fail on the Alloy overlay', () => {
  it.each(ALLOY_BREAKS.map(([c, b]) => [c.name, c, b] as const))(
    '%s',
    (_, check, breakIt) => {
      const objects = rendered('minikube-alloy');
      expect(check.run(objects)).toEqual([]);
      breakIt(objects);
      expect(check.run(objects)).not.toEqual([]);
    },
  );
});

describe('each check can fail', () => {
  it.each(BREAKS.map(([c, b]) => [c.name, c, b] as const))(
    '%s',
    (_, check, breakIt) => {
      const objects = rendered('minikube');
      expect(check.run(objects)).toEqual([]);
      breakIt(objects);
      expect(check.run(objects)).not.toEqual([]);
    },
  );

  it('covers every check', () => {
    const broken = new Set(BREAKS.map(([c]) => c.name));
    const all = checks
      .checksFor(OVERLAYS.minikube!)
      .map((c) => c.name)
      .filter(
        (n) =>
          !n.startsWith('the log collector reads') &&
          !n.includes('Grafana admin Secret'),
      );
    expect(all.filter((n) => !broken.has(n))).toEqual([]);
  });

  it('the development password is refused on an overlay for a real cluster, and checked where it is allowed', () => {
    expect(checks.grafanaCredentials(false).run(rendered('minikube'))).toEqual([
      'a Grafana password is committed in this overlay (1 Secret(s))',
    ]);
    const objects = rendered('minikube');
    find(objects, 'Secret', 'grafana-admin').data['admin-password'] =
      Buffer.from('changed').toString('base64');
    expect(checks.grafanaCredentials(true).run(objects)).toEqual([
      'expected one generated Secret with the development password, found 1',
    ]);
  });

  it('a single-runtime overlay fails the auto check: it would garble the other runtime or not start', () => {
    expect(
      checks.collectorMatchesRuntime('auto').run(rendered('minikube-docker')),
    ).toEqual([
      '/var/lib/docker/containers must be DirectoryOrCreate, or Promtail cannot start on a containerd node',
      'no label names the container runtime (from __meta_kubernetes_pod_container_id)',
      'no docker stage for docker containers',
      'no cri stage for containerd and CRI-O containers',
      "an unconditional docker stage garbles the other runtime's lines",
    ]);
    expect(
      checks.collectorMatchesRuntime('auto').run(rendered('containerd')),
    ).toContain(
      '/var/lib/docker/containers is not mounted read-only at the same path (docker log symlinks lead nowhere)',
    );
  });

  it('a docker overlay fails the containerd runtime check, and the other way round', () => {
    expect(
      checks
        .collectorMatchesRuntime('containerd')
        .run(rendered('minikube-docker')),
    ).toEqual([
      'a /var/lib/docker path is mounted on a containerd node',
      'no cri pipeline stage',
      'a docker pipeline stage on a containerd node',
    ]);
    expect(
      checks.collectorMatchesRuntime('docker').run(rendered('containerd')),
    ).toEqual([
      '/var/lib/docker/containers is not mounted read-only at the same path (docker log symlinks lead nowhere)',
      'no docker pipeline stage',
      'a cri pipeline stage on a docker node',
    ]);
  });

  it('a missing workload is a problem, not a crash', () => {
    const objects = rendered('containerd').filter(
      (o) => o.kind !== 'DaemonSet',
    );
    expect(checks.collectorCanListPods.run(objects)).toEqual([
      'missing: DaemonSet promtail or alloy',
    ]);
  });
});

describe('an overlay of your own, not listed in scripts/lib/overlays.ts', () => {
  it('is checked for its collector runtime Component, and may ship no development password', () => {
    // Two levels below the repository, like overlays/, so its relative paths resolve.
    const scratch = mkdtempSync(join(REPO, '.tmp-verify-'));
    try {
      const dir = join(scratch, 'mine');
      cpSync(join(OVERLAYS_DIR, 'minikube-docker'), dir, { recursive: true });
      const { spec, listed } = overlaySpec('mine', dir);
      expect({ spec, listed }).toEqual({
        spec: { runtime: 'docker', devCredentials: false },
        listed: false,
      });
      // A copy of a minikube overlay carries the development password: verify reports it.
      expect(
        checks.grafanaCredentials(spec.devCredentials).run(render(dir)),
      ).toEqual([
        'a Grafana password is committed in this overlay (1 Secret(s))',
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
