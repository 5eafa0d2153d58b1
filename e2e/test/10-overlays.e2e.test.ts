// Every overlay applied to the containerd node (minikube v1.39's default runtime). The default overlay runs the whole
// data path: targets, rules, logs, the known outages, durability, dashboards, alerts and measurements. The others
// run the same components with other sizes, pipelines or collector, so they run what those change: pods, resources,
// RBAC, logs, targets, rules, dashboards and check (and, for Alloy, a collector restart).
import { describe } from 'vitest';
import { overlaySuite } from '../suites/overlay.js';

describe('overlays/minikube on the e2e cluster', () =>
  overlaySuite('minikube', 'containerd', true));

describe('overlays/containerd on the e2e cluster', () =>
  overlaySuite('containerd', 'containerd', false));

// Grafana Alloy in Promtail's place (overlays/minikube-alloy), through the same checks but the faults,
// durability's forced deletes, alerts and measurements: logs exactly once with their labels, long lines joined, a
// collector restart without loss or repeats, the own-node filter, every dashboard panel, plgkit check.
describe('overlays/minikube-alloy on the e2e cluster', () =>
  overlaySuite('minikube-alloy', 'containerd', false));
