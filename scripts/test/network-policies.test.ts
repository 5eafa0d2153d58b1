import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateStrict } from '@plgkit/cli';
import { type KubeObject, STACK } from '@plgkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  overlayNames,
  REPO,
  renderWithNetworkPolicies,
} from '../../support/render.js';
import {
  allowed,
  configuredConnections,
  type Pod,
  podNamed,
  serviceBackend,
} from '../lib/network.js';
import { rendered } from './helpers.js';

const stranger: Pod = { namespace: 'default', labels: { app: 'curl' } };
const dns: Pod = {
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
};

describe('NetworkPolicies are off by default', () => {
  it.each(overlayNames())('overlays/%s renders none', (overlay) => {
    expect(rendered(overlay).filter((o) => o.kind === 'NetworkPolicy')).toEqual(
      [],
    );
  });
});

describe('the network-policies Component', () => {
  it("lists every component's own network-policy Component, from the stack model", () => {
    const k = parse(
      readFileSync(
        join(REPO, 'components/network-policies/kustomization.yaml'),
        'utf8',
      ),
    ) as { components: string[] };
    const expected = Object.values(STACK).map(
      (c) =>
        `../../packages/${c.packageName.replace('@plgkit/', '')}/components/network-policy`,
    );
    expect([...k.components].sort()).toEqual(expected.sort());
  });
});

describe.each(overlayNames())(
  'overlays/%s with the NetworkPolicies Component',
  (overlay) => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = renderWithNetworkPolicies(overlay);
    });
    const pod = (name: string) => podNamed(objects, name);

    it('still validates strictly', () => {
      expect(objects.filter((o) => o.kind === 'NetworkPolicy').length).toBe(
        Object.keys(STACK).length,
      );
      expect(validateStrict(objects)).toEqual([]);
    });

    it('allows every connection the stack config makes, at both ends', () => {
      const connections = configuredConnections(objects);
      // The collector's push, the three datasources, Prometheus's alerts, and a scrape of every other workload:
      // nothing was missed.
      expect(
        connections.filter((c) => c.what.includes('pushes to')),
      ).toHaveLength(1);
      expect(
        connections.filter((c) => c.what.includes('datasource')),
      ).toHaveLength(3);
      expect(
        connections.filter((c) => c.what.includes('sends alerts to')),
      ).toHaveLength(1);
      const scraped = new Set(
        connections
          .filter((c) => c.what.startsWith('prometheus scrapes'))
          .map((c) => c.to.labels['app.kubernetes.io/name']),
      );
      expect([...scraped].sort()).toEqual(
        expect.arrayContaining(['kube-state-metrics', 'loki', 'node-exporter']),
      );
      const blocked = connections
        .filter((c) => !allowed(objects, c.from, c.to, c.connection))
        .map((c) => c.what);
      expect(blocked).toEqual([]);
    });

    it('refuses a pod outside the stack on Loki, Prometheus and the exporters', () => {
      const push = serviceBackend(
        objects,
        'http://loki.monitoring.svc:3100/loki/api/v1/push',
        'default',
      );
      expect(allowed(objects, stranger, push.pod, { port: push.port })).toBe(
        false,
      );
      expect(
        allowed(objects, { ...stranger, namespace: 'monitoring' }, push.pod, {
          port: push.port,
        }),
      ).toBe(false);
      expect(
        allowed(objects, stranger, pod('prometheus'), { port: 9090 }),
      ).toBe(false);
      expect(
        allowed(objects, stranger, pod('kube-state-metrics'), { port: 8080 }),
      ).toBe(false);
    });

    it("keeps Loki's gRPC port closed, and Grafana open to people", () => {
      for (const from of ['grafana', 'prometheus'])
        expect(allowed(objects, pod(from), pod('loki'), { port: 9095 })).toBe(
          false,
        );
      expect(allowed(objects, stranger, pod('grafana'), { port: 3000 })).toBe(
        true,
      );
    });

    it('allows DNS, and Grafana and Loki reach nothing else', () => {
      for (const from of ['grafana', 'loki']) {
        expect(
          allowed(objects, pod(from), dns, { port: 53, protocol: 'UDP' }),
        ).toBe(true);
        expect(
          allowed(objects, pod(from), dns, { port: 53, protocol: 'TCP' }),
        ).toBe(true);
        expect(allowed(objects, pod(from), stranger, { port: 443 })).toBe(
          false,
        );
      }
    });
  },
);

describe('the evaluator can say no', () => {
  it('with no policies everything is open; a policy that selects a pod closes it', () => {
    const base = rendered('minikube');
    const loki = podNamed(base, 'loki');
    expect(allowed(base, stranger, loki, { port: 3100 })).toBe(true);
    const closed = [
      ...base,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'monitoring' },
        spec: { podSelector: {} },
      },
    ];
    expect(allowed(closed, stranger, loki, { port: 3100 })).toBe(false);
  });
});
