import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@plgkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowed, type Pod, podNamed } from '../lib/network.js';
import { OVERLAYS_DIR, overlayNames, REPO, render } from '../lib/render.js';
import { validateStrict } from '@plgkit/cli';
import { rendered } from './helpers.js';

const scratch = join(REPO, `.tmp-netpol-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The overlay with one more line in `components:`: the NetworkPolicies Component. */
function withPolicies(overlay: string): KubeObject[] {
  const dir = join(scratch, overlay);
  mkdirSync(scratch, { recursive: true });
  cpSync(join(OVERLAYS_DIR, overlay), dir, { recursive: true });
  const file = join(dir, 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  const withLine = text.includes('components:\n')
    ? text.replace('components:\n', 'components:\n  - ../../components/network-policies\n')
    : `${text}components:\n  - ../../components/network-policies\n`;
  writeFileSync(file, withLine);
  return render(dir);
}

const stranger: Pod = { namespace: 'default', labels: { app: 'curl' } };
const dns: Pod = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

describe('NetworkPolicies are off by default', () => {
  it.each(overlayNames())('overlays/%s renders none', (overlay) => {
    expect(rendered(overlay).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });
});

describe.each(['minikube-docker', 'containerd'])('overlays/%s with the NetworkPolicies Component', (overlay) => {
  let objects: KubeObject[];
  beforeAll(() => {
    objects = withPolicies(overlay);
  });
  const pod = (name: string) => podNamed(objects, name);

  it('adds one policy per component and still validates strictly', () => {
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'monitoring/grafana',
      'monitoring/kube-state-metrics',
      'monitoring/loki',
      'monitoring/node-exporter',
      'monitoring/prometheus',
      'monitoring/promtail',
    ]);
    expect(validateStrict(objects)).toEqual([]);
  });

  it('only Promtail and Grafana reach Loki push and query port; nobody its gRPC port', () => {
    expect(allowed(objects, pod('promtail'), pod('loki'), { port: 3100 })).toBe(true);
    expect(allowed(objects, pod('grafana'), pod('loki'), { port: 3100 })).toBe(true);
    expect(allowed(objects, stranger, pod('loki'), { port: 3100 })).toBe(false);
    for (const from of ['promtail', 'grafana', 'prometheus']) expect(allowed(objects, pod(from), pod('loki'), { port: 9095 })).toBe(false);
    // Prometheus reads Loki's /metrics, on the http port.
    expect(allowed(objects, pod('prometheus'), pod('loki'), { port: 3100 })).toBe(true);
  });

  it('only Grafana reaches Prometheus', () => {
    expect(allowed(objects, pod('grafana'), pod('prometheus'), { port: 9090 })).toBe(true);
    expect(allowed(objects, pod('promtail'), pod('prometheus'), { port: 9090 })).toBe(false);
    expect(allowed(objects, stranger, pod('prometheus'), { port: 9090 })).toBe(false);
  });

  it('allows DNS, and Grafana reaches nothing else', () => {
    for (const from of ['grafana', 'loki']) {
      expect(allowed(objects, pod(from), dns, { port: 53, protocol: 'UDP' })).toBe(true);
      expect(allowed(objects, pod(from), dns, { port: 53, protocol: 'TCP' })).toBe(true);
    }
    expect(allowed(objects, pod('grafana'), stranger, { port: 443 })).toBe(false);
    expect(allowed(objects, pod('loki'), stranger, { port: 443 })).toBe(false);
  });

  it('only Prometheus reads the exporters', () => {
    expect(allowed(objects, pod('prometheus'), pod('node-exporter'), { port: 9100 })).toBe(true);
    expect(allowed(objects, pod('prometheus'), pod('kube-state-metrics'), { port: 8080 })).toBe(true);
    expect(allowed(objects, pod('grafana'), pod('node-exporter'), { port: 9100 })).toBe(false);
    expect(allowed(objects, stranger, pod('kube-state-metrics'), { port: 8080 })).toBe(false);
  });

  it('keeps Grafana open to users and Prometheus able to scrape Promtail', () => {
    expect(allowed(objects, stranger, pod('grafana'), { port: 3000 })).toBe(true);
    expect(allowed(objects, pod('prometheus'), pod('promtail'), { port: 3101 })).toBe(true);
    expect(allowed(objects, stranger, pod('promtail'), { port: 3101 })).toBe(false);
  });
});

describe('the evaluator can say no', () => {
  it('with no policies everything is open; a policy that selects a pod closes it', () => {
    const base = rendered('minikube');
    const loki = podNamed(base, 'loki');
    expect(allowed(base, stranger, loki, { port: 3100 })).toBe(true);
    const closed = [...base, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'monitoring' }, spec: { podSelector: {} } }];
    expect(allowed(closed, stranger, loki, { port: 3100 })).toBe(false);
  });
});
