import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitPackage, OptionsError, readEmitted } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type PrometheusConfig,
  prometheusBase,
  prometheusConfig,
  prometheusOutput,
  resolvePrometheusOptions,
} from '../src/index.js';

const find = (kind: string) =>
  prometheusBase().resources.find((o) => o.kind === kind) as any;
const config = (options = {}) =>
  prometheusConfig(resolvePrometheusOptions(options));
const job = (name: string, c: PrometheusConfig = config()) =>
  c.scrape_configs.find((j) => j.job_name === name)!;

describe('prometheusBase', () => {
  it('grants get on nodes/metrics (else kubelet and cAdvisor scrapes are 403)', () => {
    expect(find('ClusterRole').rules).toContainEqual(
      expect.objectContaining({
        apiGroups: [''],
        resources: expect.arrayContaining([
          'nodes',
          'nodes/metrics',
          'services',
          'endpoints',
          'pods',
        ]),
        verbs: ['get', 'list', 'watch'],
      }),
    );
    expect(find('ClusterRole').rules).toContainEqual({
      apiGroups: ['discovery.k8s.io'],
      resources: ['endpointslices'],
      verbs: ['get', 'list', 'watch'],
    });
    expect(find('ClusterRole').rules).toContainEqual({
      nonResourceURLs: ['/metrics'],
      verbs: ['get'],
    });
  });

  it('binds the ClusterRole to exactly its own ServiceAccount', () => {
    expect(find('ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' },
    ]);
  });

  it('scrapes the kubelet, cAdvisor and the resource metrics over https with the service-account token', () => {
    for (const name of [
      'kubernetes-nodes',
      'kubernetes-cadvisor',
      'kubernetes-resource',
    ]) {
      expect(job(name)).toMatchObject({
        scheme: 'https',
        kubernetes_sd_configs: [{ role: 'node' }],
        authorization: {
          credentials_file:
            '/var/run/secrets/kubernetes.io/serviceaccount/token',
        },
        tls_config: {
          ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
          insecure_skip_verify: true,
        },
      });
    }
    expect(job('kubernetes-cadvisor').metrics_path).toBe('/metrics/cadvisor');
    expect(job('kubernetes-resource').metrics_path).toBe('/metrics/resource');
    expect(
      job('kubernetes-nodes', config({ kubeletInsecureSkipVerify: false }))
        .tls_config,
    ).toEqual({
      ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
  });

  it('discovers annotated pods and services through the API', () => {
    expect(config().scrape_configs.map((j) => j.job_name)).toEqual([
      'prometheus',
      'kubernetes-apiservers',
      'kubernetes-nodes',
      'kubernetes-cadvisor',
      'kubernetes-resource',
      'node-exporter',
      'kube-state-metrics',
      'alertmanager',
      'kubernetes-service-endpoints',
      'kubernetes-pods',
    ]);
    expect(job('kubernetes-pods').relabel_configs).toContainEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      regex: 'true',
      action: 'keep',
    });
    expect(job('kubernetes-service-endpoints').kubernetes_sd_configs).toEqual([
      { role: 'endpointslice' },
    ]);
  });

  it('scrapes a pod annotated itself only through the pods job, even behind an annotated Service', () => {
    const rules = job('kubernetes-service-endpoints').relabel_configs!;
    const keepsAnnotatedServices = rules.findIndex(
      (r) =>
        r.action === 'keep' &&
        r.source_labels?.[0] ===
          '__meta_kubernetes_service_annotation_prometheus_io_scrape',
    );
    const dropsAnnotatedPods = rules.findIndex(
      (r) =>
        r.action === 'drop' &&
        r.source_labels?.[0] ===
          '__meta_kubernetes_pod_annotation_prometheus_io_scrape',
    );
    expect(keepsAnnotatedServices).toBeGreaterThanOrEqual(0);
    expect(dropsAnnotatedPods).toBeGreaterThan(keepsAnnotatedServices);
    expect(rules[dropsAnnotatedPods]!.regex).toBe('true');
  });

  it("lets kube-state-metrics' own labels win and gives its series no pod or node of its own", () => {
    const ksm = job('kube-state-metrics');
    expect(ksm.honor_labels).toBe(true);
    expect(
      ksm.relabel_configs!.map((r) => r.target_label).filter(Boolean),
    ).toEqual(['instance']);
    expect(
      job('node-exporter')
        .relabel_configs!.map((r) => r.target_label)
        .filter(Boolean),
    ).toEqual(['instance', 'namespace', 'pod', 'node']);
  });

  it('names a pod target by its pod and port, which a node restart keeps, and leaves other targets their address', () => {
    for (const name of [
      'kube-state-metrics',
      'node-exporter',
      'kubernetes-pods',
      'kubernetes-service-endpoints',
    ]) {
      const rule = job(name).relabel_configs!.find(
        (r) => r.target_label === 'instance',
      )!;
      expect(rule.source_labels).toEqual([
        '__meta_kubernetes_pod_name',
        '__address__',
      ]);
      // Prometheus anchors relabel regexes at both ends.
      const re = new RegExp(`^(?:${rule.regex})$`);
      const instance = (pod: string, address: string): string | undefined => {
        const m = re.exec(`${pod};${address}`);
        return m
          ? rule.replacement!.replace(/\$(\d)/g, (_, i) => m[Number(i)]!)
          : undefined;
      };
      expect(instance('loki-0', '10.244.0.7:3100')).toBe('loki-0:3100');
      expect(instance('loki-0', '[fd00::7]:3100')).toBe('loki-0:3100');
      expect(instance('', '192.0.2.2:6443')).toBeUndefined();
    }
  });

  it('keeps data on a PersistentVolumeClaim with the retention options as flags', () => {
    const sts = prometheusBase({
      retention: '15d',
      retentionSize: '8GB',
      storageSize: '10Gi',
    }).resources.find((o) => o.kind === 'StatefulSet') as any;
    expect(sts.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining([
        '--storage.tsdb.retention.time=15d',
        '--storage.tsdb.retention.size=8GB',
        '--storage.tsdb.path=/prometheus',
      ]),
    );
    expect(
      sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage,
    ).toBe('10Gi');
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/prometheus',
    });
  });

  it('checks readiness and liveness on the upstream endpoints, as a non-root user', () => {
    const c = find('StatefulSet').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'web' });
    expect(c.livenessProbe.httpGet).toEqual({
      path: '/-/healthy',
      port: 'web',
    });
    expect(
      find('StatefulSet').spec.template.spec.securityContext,
    ).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(c.image).toMatch(/^quay\.io\/prometheus\/prometheus:v3\.\d+\.\d+$/);
  });

  it('ships prometheus.yml through a configMapGenerator, so a config change rolls the pod', () => {
    const base = prometheusBase({ scrapeInterval: '15s' });
    expect(base.configMapGenerators!.map((g) => g.name)).toEqual([
      'prometheus-config',
      'prometheus-rules',
    ]);
    expect(
      parse(base.configMapGenerators![0]!.files['prometheus.yml']!).global
        .scrape_interval,
    ).toBe('15s');
    expect(find('StatefulSet').spec.template.spec.volumes).toContainEqual({
      name: 'config',
      configMap: { name: 'prometheus-config' },
    });
  });

  it('puts every namespaced object in the chosen namespace', () => {
    const base = prometheusBase({ namespace: 'observability' });
    expect(base.namespace).toBe('observability');
    for (const o of base.resources)
      if (!o.kind.startsWith('Cluster'))
        expect(o.metadata.namespace).toBe('observability');
  });
});

describe('bad options', () => {
  it.each([
    [
      { retention: '-1d' },
      /\/retention: got "-1d", expected a duration.*did you mean "1d"\?/,
    ],
    [
      { resources: { limits: { memory: '7GB' } } },
      /\/resources\/limits\/memory: got "7GB", expected a Kubernetes quantity.*did you mean "7Gi"\?/,
    ],
    [
      { namespace: 'Monitoring_1' },
      /\/namespace: got "Monitoring_1", expected .*lower-case.*did you mean "monitoring-1"\?/,
    ],
    [
      { retentionSize: '6GB', storageSize: '5Gi' },
      /\/retentionSize: got "6GB", expected less than storageSize "5Gi".*e\.g\. "4294MB"/,
    ],
    [
      { retention: '0d' },
      /\/retention: got 0d, expected at least 2h: one TSDB block, and 0 would keep samples until the volume is full, e\.g\. "7d"/,
    ],
    [{ retention: '90m' }, /\/retention: got 90m, expected at least 2h/],
    [
      { retentionSize: '4Gi' },
      /\/retentionSize: got "4Gi", expected a size such as "512MB".*did you mean "4GB"\?/,
    ],
  ])(
    '%j gives one clear error and leaves the committed base untouched',
    (options, message) => {
      expect(() => prometheusBase(options as never)).toThrow(OptionsError);
      expect(() => prometheusBase(options as never)).toThrow(message);
      const dir = mkdtempSync(join(tmpdir(), 'plgkit-prometheus-'));
      for (const d of ['base', 'schema'])
        cpSync(join(import.meta.dirname, '..', d), join(dir, d), {
          recursive: true,
        });
      const before = readEmitted(dir);
      expect(() =>
        emitPackage(dir, () => prometheusOutput(options as never)),
      ).toThrow(OptionsError);
      expect(readEmitted(dir)).toEqual(before);
    },
  );
});
