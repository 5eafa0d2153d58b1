import { OptionsError } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import { kubeStateMetricsBase, REPORTED } from '../src/index.js';

const find = (kind: string, options = {}) =>
  kubeStateMetricsBase(options).resources.find((o) => o.kind === kind) as any;

describe('kubeStateMetricsBase', () => {
  it('reports exactly the resources its ClusterRole may list, and never Secrets or ConfigMaps', () => {
    const args: string[] =
      find('Deployment').spec.template.spec.containers[0].args;
    const resources = args
      .find((a) => a.startsWith('--resources='))!
      .slice('--resources='.length)
      .split(',');
    expect(resources).toEqual([
      'daemonsets',
      'deployments',
      'nodes',
      'pods',
      'statefulsets',
    ]);
    expect(resources).not.toContain('secrets');
    expect(resources).not.toContain('configmaps');
    const rules = find('ClusterRole').rules as {
      apiGroups: string[];
      resources: string[];
      verbs: string[];
    }[];
    expect(rules.flatMap((r) => r.resources).sort()).toEqual(
      REPORTED.map((r) => r.resource).sort(),
    );
    for (const r of rules) expect(r.verbs).toEqual(['list', 'watch']);
  });

  it('binds its ClusterRole to its own ServiceAccount only', () => {
    expect(find('ClusterRoleBinding').subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'kube-state-metrics',
        namespace: 'monitoring',
      },
    ]);
    expect(
      find('ClusterRoleBinding', { namespace: 'obs' }).subjects[0].namespace,
    ).toBe('obs');
  });

  it('is a restricted pod with the upstream probes and a pinned image', () => {
    const pod = find('Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.readinessProbe.httpGet).toEqual({
      path: '/readyz',
      port: 'telemetry',
    });
    expect(c.livenessProbe.httpGet).toEqual({
      path: '/livez',
      port: 'http-metrics',
    });
    expect(c.image).toMatch(
      /^registry\.k8s\.io\/kube-state-metrics\/kube-state-metrics:v2\.\d+\.\d+$/,
    );
    expect(pod.volumes ?? []).toEqual([]);
  });

  it('rejects bad options by field', () => {
    expect(() => kubeStateMetricsBase({ namespace: 'Monitoring' })).toThrow(
      OptionsError,
    );
    expect(() => kubeStateMetricsBase({ namespace: 'Monitoring' })).toThrow(
      /\/namespace/,
    );
  });
});
