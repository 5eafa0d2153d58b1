import { describe, expect, it } from 'vitest';
import { workloads } from '../../support/inspect.js';
import { overlayNames } from '../../support/render.js';
import { rendered } from './helpers.js';

// Workload selectors are immutable: changing one makes `kubectl apply` fail until the workload is deleted. This
// pins them; if a change here is deliberate, say in the changeset that users must delete and re-apply.
const SELECTORS = {
  'DaemonSet/node-exporter': {
    'app.kubernetes.io/component': 'node-metrics',
    'app.kubernetes.io/name': 'node-exporter',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'Deployment/kube-state-metrics': {
    'app.kubernetes.io/component': 'object-metrics',
    'app.kubernetes.io/name': 'kube-state-metrics',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'DaemonSet/promtail': {
    'app.kubernetes.io/component': 'log-collector',
    'app.kubernetes.io/name': 'promtail',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'DaemonSet/alloy': {
    'app.kubernetes.io/component': 'log-collector',
    'app.kubernetes.io/name': 'alloy',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'Deployment/grafana': {
    'app.kubernetes.io/component': 'dashboards',
    'app.kubernetes.io/name': 'grafana',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'StatefulSet/loki': {
    'app.kubernetes.io/component': 'log-store',
    'app.kubernetes.io/name': 'loki',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'StatefulSet/prometheus': {
    'app.kubernetes.io/component': 'metrics-server',
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/part-of': 'plgkit',
  },
  'StatefulSet/alertmanager': {
    'app.kubernetes.io/component': 'alert-router',
    'app.kubernetes.io/name': 'alertmanager',
    'app.kubernetes.io/part-of': 'plgkit',
  },
};

describe.each(overlayNames())('overlays/%s selectors', (overlay) => {
  it('are pinned, carry no version, and match their pod templates', () => {
    const objects = rendered(overlay);
    const found = Object.fromEntries(
      workloads(objects).map((w) => [
        `${w.kind}/${w.metadata.name}`,
        (w.spec as any).selector.matchLabels,
      ]),
    );
    // Each overlay runs one log collector, Promtail or Alloy, with its own pinned selector.
    const collector =
      'DaemonSet/alloy' in found ? 'DaemonSet/alloy' : 'DaemonSet/promtail';
    expect(found).toEqual(
      Object.fromEntries(
        Object.entries(SELECTORS).filter(
          ([k]) =>
            !k.startsWith('DaemonSet/') ||
            k === 'DaemonSet/node-exporter' ||
            k === collector,
        ),
      ),
    );
    for (const w of workloads(objects))
      expect(w.spec!.template).toMatchObject({
        metadata: { labels: (w.spec as any).selector.matchLabels },
      });
  });
});
