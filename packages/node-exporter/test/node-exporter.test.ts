import { OptionsError } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import { nodeExporterBase } from '../src/index.js';

const daemonSet = (options = {}) =>
  nodeExporterBase(options).resources.find(
    (o) => o.kind === 'DaemonSet',
  ) as any;

describe('nodeExporterBase', () => {
  it('reads the host /proc, /sys and / read-only, through the upstream path flags', () => {
    const pod = daemonSet().spec.template.spec;
    const c = pod.containers[0];
    expect(pod.volumes).toEqual([
      { name: 'proc', hostPath: { path: '/proc' } },
      { name: 'sys', hostPath: { path: '/sys' } },
      { name: 'root', hostPath: { path: '/' } },
    ]);
    expect(c.volumeMounts.every((m: { readOnly: boolean }) => m.readOnly)).toBe(
      true,
    );
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--path.procfs=/host/proc',
        '--path.sysfs=/host/sys',
        '--path.rootfs=/host/root',
      ]),
    );
  });

  it('runs as non-root with no privileges beyond the host paths', () => {
    const pod = daemonSet().spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('runs on every node, control plane included, and exposes the metrics port Prometheus looks for', () => {
    const pod = daemonSet().spec.template.spec;
    expect(pod.tolerations).toContainEqual({ operator: 'Exists' });
    expect(pod.containers[0].ports).toContainEqual(
      expect.objectContaining({ name: 'metrics', containerPort: 9100 }),
    );
    expect(pod.containers[0].image).toMatch(
      /^quay\.io\/prometheus\/node-exporter:v1\.\d+\.\d+$/,
    );
  });

  it('takes resources and namespace as options and rejects bad ones by field', () => {
    const ds = daemonSet({
      namespace: 'obs',
      resources: { limits: { memory: '96Mi' } },
    });
    expect(ds.metadata.namespace).toBe('obs');
    expect(ds.spec.template.spec.containers[0].resources.limits.memory).toBe(
      '96Mi',
    );
    expect(() =>
      nodeExporterBase({ resources: { limits: { memory: '96MB' } } }),
    ).toThrow(OptionsError);
    expect(() =>
      nodeExporterBase({ resources: { limits: { memory: '96MB' } } }),
    ).toThrow(/\/resources\/limits\/memory.*96Mi/s);
  });
});
