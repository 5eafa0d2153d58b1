import { LOG_DELIVERY } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtail, promtailConfig } from '../src/index.js';

/** docker's stage, then the newline docker's `log` field keeps cut off (it is not part of the line). */
const DOCKER_STAGES = [
  { docker: {} },
  { replace: { expression: '(\\n)$', replace: '' } },
];

const find = (kind: string, base = promtail.base()) =>
  base.resources.find((o) => o.kind === kind) as any;
const config = (options = {}) => promtailConfig(promtail.resolve(options));
const container = () => find('DaemonSet').spec.template.spec.containers[0];

describe('promtail.base', () => {
  it('may list and watch pods (else "pods is forbidden")', () => {
    expect(find('ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(find('ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'promtail', namespace: 'monitoring' },
    ]);
  });

  it('reads only its own node: HOSTNAME from spec.nodeName, expanded in the config, kept by the first relabel rule', () => {
    expect(container().env).toContainEqual({
      name: 'HOSTNAME',
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
    expect(container().args).toContain('-config.expand-env=true');
    const job = config().scrape_configs[0]!;
    expect(job.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_node_name'],
      regex: '${HOSTNAME}',
      action: 'keep',
    });
    expect(job.kubernetes_sd_configs).toEqual([
      {
        role: 'pod',
        selectors: [{ role: 'pod', field: 'spec.nodeName=${HOSTNAME}' }],
      },
    ]);
  });

  it("labels namespace, pod, container, app, node and builds __path__ from the pod's uid, or a static pod's own", () => {
    const rules = config().scrape_configs[0]!.relabel_configs;
    expect(rules.map((r) => r.target_label).filter(Boolean)).toEqual([
      'namespace',
      'pod',
      'container',
      'node',
      'app',
      '__path__',
    ]);
    const path = rules.at(-1)!;
    expect(path.source_labels).toEqual([
      '__meta_kubernetes_pod_annotation_kubernetes_io_config_mirror',
      '__meta_kubernetes_pod_uid',
      '__meta_kubernetes_pod_container_name',
    ]);
    // Relabeling joins the sources with the separator and anchors the regex; unmatched groups expand to nothing.
    const re = new RegExp(`^(?:${path.regex})$`);
    const pathOf = (mirror: string, uid: string, container: string) => {
      const m = re.exec([mirror, uid, container].join(path.separator));
      return m
        ? path.replacement!.replace(/\$(\d)/g, (_, i) => m[Number(i)] ?? '')
        : undefined;
    };
    expect(pathOf('', '5f0c-uid', 'loki')).toBe(
      '/var/log/pods/*5f0c-uid/loki/*.log',
    );
    // A static pod: its mirror pod's uid is not the one the kubelet names the directory by.
    expect(pathOf('9c1d0e-hash', 'mirror-uid', 'kube-apiserver')).toBe(
      '/var/log/pods/*9c1d0e-hash/kube-apiserver/*.log',
    );
  });

  it('keeps positions on the node and mounts /var/log/pods read-only', () => {
    expect(config().positions.filename).toBe('/run/promtail/positions.yaml');
    const volumes = find('DaemonSet').spec.template.spec.volumes;
    expect(volumes).toContainEqual({
      name: 'positions',
      hostPath: { path: '/var/lib/promtail', type: 'DirectoryOrCreate' },
    });
    expect(container().volumeMounts).toContainEqual({
      name: 'pod-logs',
      mountPath: '/var/log/pods',
      readOnly: true,
    });
  });

  it('ships to the Loki Service of its namespace, or to the URL given', () => {
    expect(config().clients.map((c) => c.url)).toEqual([
      'http://loki.monitoring.svc:3100/loki/api/v1/push',
    ]);
    expect(config({ namespace: 'obs' }).clients.map((c) => c.url)).toEqual([
      'http://loki.obs.svc:3100/loki/api/v1/push',
    ]);
    expect(
      config({ lokiUrl: 'https://logs.example.com/loki/api/v1/push' })
        .clients[0]!.url,
    ).toBe('https://logs.example.com/loki/api/v1/push');
  });

  it("retries with core's delivery settings, and is given the grace period to push what it read before it exits", () => {
    expect(config().clients[0]).toMatchObject({
      timeout: '10s',
      backoff_config: {
        min_period: '500ms',
        max_period: '5s',
        max_retries: 154,
      },
    });
    expect(
      find('DaemonSet').spec.template.spec.terminationGracePeriodSeconds,
    ).toBe(LOG_DELIVERY.terminationGracePeriodSeconds);
  });

  it('runs on every node, control plane included', () => {
    expect(find('DaemonSet').spec.template.spec.tolerations).toEqual([
      { operator: 'Exists' },
    ]);
  });

  it('uses the CRI stage by default, docker when asked', () => {
    expect(config().scrape_configs[0]!.pipeline_stages).toEqual([{ cri: {} }]);
    expect(
      config({ runtime: 'docker' }).scrape_configs[0]!.pipeline_stages,
    ).toEqual(DOCKER_STAGES);
    expect(() => promtail.base({ runtime: 'crio' } as never)).toThrow(
      /\/runtime: got "crio", expected one of "docker", "containerd", "auto"/,
    );
  });
});

describe('runtime components', () => {
  it('docker: merges the docker pipeline and mounts /var/lib/docker/containers read-only at the same path', () => {
    const docker = promtail.runtimeComponent('docker');
    expect(
      parse(docker.configMapGenerators![0]!.files['promtail.yaml']!)
        .scrape_configs[0].pipeline_stages,
    ).toEqual(DOCKER_STAGES);
    expect(docker.configMapGenerators![0]!.behavior).toBe('merge');
    expect(docker.patches).toEqual([
      expect.objectContaining({
        kind: 'DaemonSet',
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'promtail',
                  volumeMounts: [
                    {
                      name: 'docker-containers',
                      mountPath: '/var/lib/docker/containers',
                      readOnly: true,
                    },
                  ],
                },
              ],
              volumes: [
                {
                  name: 'docker-containers',
                  hostPath: {
                    path: '/var/lib/docker/containers',
                    type: 'Directory',
                  },
                },
              ],
            },
          },
        },
      }),
    ]);
  });

  it('containerd: merges the CRI pipeline and mounts nothing', () => {
    const containerd = promtail.runtimeComponent('containerd');
    expect(
      parse(containerd.configMapGenerators![0]!.files['promtail.yaml']!)
        .scrape_configs[0].pipeline_stages,
    ).toEqual([{ cri: {} }]);
    expect(containerd.patches).toEqual([]);
  });

  it('auto: picks the stage per container from the container ID, and mounts the docker directory even where it is missing', () => {
    const auto = parse(
      promtail.runtimeComponent('auto').configMapGenerators![0]!.files[
        'promtail.yaml'
      ]!,
    ).scrape_configs[0];
    expect(auto.relabel_configs).toContainEqual({
      source_labels: ['__meta_kubernetes_pod_container_id'],
      regex: '([a-z-]+)://.+',
      target_label: 'container_runtime',
    });
    expect(auto.pipeline_stages).toEqual([
      {
        match: {
          selector: '{container_runtime="docker"}',
          stages: DOCKER_STAGES,
        },
      },
      {
        match: {
          selector: '{container_runtime=~"containerd|cri-o"}',
          stages: [{ cri: {} }],
        },
      },
      { labeldrop: ['container_runtime'] },
    ]);
    expect(promtail.runtimeComponent('auto').patches).toEqual([
      expect.objectContaining({
        spec: {
          template: {
            spec: expect.objectContaining({
              volumes: [
                {
                  name: 'docker-containers',
                  hostPath: {
                    path: '/var/lib/docker/containers',
                    type: 'DirectoryOrCreate',
                  },
                },
              ],
            }),
          },
        },
      }),
    ]);
  });

  it('are emitted beside the base, built from the same options', () => {
    const out = promtail.output({ namespace: 'obs' });
    expect(Object.keys(out.components!)).toEqual([
      'docker',
      'containerd',
      'auto',
      'network-policy',
    ]);
    for (const c of [
      out.components!.docker!,
      out.components!.containerd!,
      out.components!.auto!,
    ]) {
      expect(
        parse(c.configMapGenerators![0]!.files['promtail.yaml']!).clients[0]
          .url,
      ).toBe('http://loki.obs.svc:3100/loki/api/v1/push');
    }
  });
});
