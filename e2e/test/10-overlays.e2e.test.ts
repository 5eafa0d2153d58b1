// Every overlay applied to the containerd node (minikube v1.39's default runtime). The default overlay runs the whole
// data path: targets, rules, logs, the known outages, durability, dashboards, alerts and measurements. The others
// run the same components with other sizes, pipelines or collector, so they run what those change: pods, resources,
// RBAC, logs, targets, rules, dashboards and check (and, for Alloy, a collector restart).
// On a cluster the harness did not make (`pnpm e2e:suites`), the node's own runtime decides: the runtime-specific
// overlay is the one for it.
import { describe } from 'vitest';
import { targetRuntime } from '../harness/target-node.js';
import type { NodeRuntime } from '../harness/topology.js';
import { overlaySuite } from '../suites/overlay.js';

/** containerd on the harness's node (minikube v1.39's default), the node's own elsewhere. */
const runtime: NodeRuntime = targetRuntime();
/** The overlay whose log pipeline is the runtime's own. */
const runtimeOverlay = runtime === 'docker' ? 'minikube-docker' : 'containerd';

describe('overlays/minikube on the e2e cluster', () =>
  overlaySuite('minikube', runtime, true));

describe(`overlays/${runtimeOverlay} on the e2e cluster`, () =>
  overlaySuite(runtimeOverlay, runtime, false));

// Grafana Alloy in Promtail's place (overlays/minikube-alloy), through the same checks but the faults,
// durability's forced deletes, alerts and measurements: logs exactly once with their labels, long lines joined, a
// collector restart without loss or repeats, the own-node filter, every dashboard panel, plgkit check.
describe('overlays/minikube-alloy on the e2e cluster', () =>
  overlaySuite('minikube-alloy', runtime, false));
