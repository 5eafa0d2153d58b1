import { DEFAULTS as ALERTMANAGER } from '@plgkit/alertmanager';
import { alloy } from '@plgkit/alloy';
import type { ResolvedResources } from '@plgkit/core';
import { DEFAULTS as GRAFANA } from '@plgkit/grafana';
import { DEFAULTS as KUBE_STATE_METRICS } from '@plgkit/kube-state-metrics';
import { DEFAULTS as LOKI } from '@plgkit/loki';
import { DEFAULTS as NODE_EXPORTER } from '@plgkit/node-exporter';
import { DEFAULTS as PROMETHEUS } from '@plgkit/prometheus';
import { promtail } from '@plgkit/promtail';
import type { ComponentName } from './stack.js';

export type Profile = 'small' | 'medium';
export const PROFILES: readonly Profile[] = ['small', 'medium'];

/** Each component's own defaults are sized to fit a default minikube: they are the small profile. */
const SMALL: Record<ComponentName, ResolvedResources> = {
  prometheus: PROMETHEUS.resources,
  grafana: GRAFANA.resources,
  alertmanager: ALERTMANAGER.resources,
  loki: LOKI.resources,
  promtail: promtail.defaults.resources,
  alloy: alloy.defaults.resources,
  nodeExporter: NODE_EXPORTER.resources,
  kubeStateMetrics: KUBE_STATE_METRICS.resources,
};

const BINARY = ['Ki', 'Mi', 'Gi', 'Ti'];

/** `factor` times a CPU or memory quantity, in the largest unit that keeps it whole ("512Mi" × 2 = "1Gi"). */
export function scaleQuantity(quantity: string, factor: number): string {
  const m = /^(\d+)(m|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!m) throw new Error(`cannot scale quantity ${JSON.stringify(quantity)}`);
  let value = Number(m[1]) * factor;
  let unit = m[2] ?? '';
  if (unit === 'm' && value % 1000 === 0) [value, unit] = [value / 1000, ''];
  while (BINARY.includes(unit) && unit !== 'Ti' && value % 1024 === 0)
    [value, unit] = [value / 1024, BINARY[BINARY.indexOf(unit) + 1]!];
  if (!Number.isInteger(value))
    throw new Error(
      `cannot scale quantity ${JSON.stringify(quantity)} by ${factor}`,
    );
  return `${value}${unit}`;
}

function scale(r: ResolvedResources, factor: number): ResolvedResources {
  const amounts = (a: { cpu: string; memory: string }) => ({
    cpu: scaleQuantity(a.cpu, factor),
    memory: scaleQuantity(a.memory, factor),
  });
  return { requests: amounts(r.requests), limits: amounts(r.limits) };
}

/** Container resources per component: small fits a default minikube (2 CPUs, 4 GiB), medium is twice that. */
export function profileResources(
  profile: Profile,
): Record<ComponentName, ResolvedResources> {
  const factor = profile === 'medium' ? 2 : 1;
  return Object.fromEntries(
    Object.entries(SMALL).map(([name, r]) => [name, scale(r, factor)]),
  ) as Record<ComponentName, ResolvedResources>;
}
