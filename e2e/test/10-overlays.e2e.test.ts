// Every overlay applied to the containerd node (minikube v1.39's default runtime), with the whole data
// path: targets, rules, logs, the known outages, durability, dashboards, alerts and measurements; then Alloy.
import { describe } from 'vitest';
import { overlaySuite } from '../suites/overlay.js';

/** The default overlay (what the quick start applies) and the containerd variant. */
const OVERLAYS = ['minikube', 'containerd'] as const;

describe.each(OVERLAYS)('overlays/%s on the e2e cluster', (overlay) =>
  overlaySuite(overlay, 'containerd', true),
);

// Grafana Alloy in Promtail's place (overlays/minikube-alloy), through the same checks but the faults,
// durability's forced deletes, alerts and measurements: logs exactly once with their labels, long lines joined, a
// collector restart without loss or repeats, the own-node filter, every dashboard panel, plgkit check.
describe('overlays/minikube-alloy on the e2e cluster', () =>
  overlaySuite('minikube-alloy', 'containerd', false));
