// Issues 9-10: every overlay applied to the containerd node (minikube v1.39's default runtime), with the whole data
// path: targets, rules, logs, the seed's outages, durability, dashboards, alerts and measurements.
import { describe } from 'vitest';
import { overlaySuite } from '../suites/overlay.js';

/** The default overlay (what the quick start applies) and the containerd variant. */
const OVERLAYS = ['minikube', 'containerd'] as const;

describe.each(OVERLAYS)('overlays/%s on the e2e cluster', (overlay) => overlaySuite(overlay, 'containerd', true));
