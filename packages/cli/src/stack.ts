// The components of the plgkit stack, each with the npm package that ships its base and the generator that makes it.
import {
  type AlertmanagerOptions,
  alertmanagerOutput,
} from '@plgkit/alertmanager';
import { type AlloyOptions, alloy } from '@plgkit/alloy';
import {
  type ComponentKey,
  LOG_COLLECTORS,
  type LogCollectorKey,
  STACK as MODEL,
  type PackageOutput,
} from '@plgkit/core';
import { type GrafanaOptions, grafanaOutput } from '@plgkit/grafana';
import {
  type KubeStateMetricsOptions,
  kubeStateMetricsOutput,
} from '@plgkit/kube-state-metrics';
import { type LokiOptions, lokiOutput } from '@plgkit/loki';
import {
  type NodeExporterOptions,
  nodeExporterOutput,
} from '@plgkit/node-exporter';
import { type PrometheusOptions, prometheusOutput } from '@plgkit/prometheus';
import { type PromtailOptions, promtail } from '@plgkit/promtail';

/** Options of every component, by its key in the stack model. */
export interface StackOptions {
  prometheus: PrometheusOptions;
  grafana: GrafanaOptions;
  alertmanager: AlertmanagerOptions;
  loki: LokiOptions;
  promtail: PromtailOptions;
  alloy: AlloyOptions;
  nodeExporter: NodeExporterOptions;
  kubeStateMetrics: KubeStateMetricsOptions;
}

export type ComponentName = ComponentKey;

export interface StackComponent<N extends ComponentName = ComponentName> {
  readonly name: N;
  /** The npm package whose `base/` (and `components/`) an overlay points at. */
  readonly packageName: string;
  readonly output: (options?: StackOptions[N]) => PackageOutput;
}

/** Each component's generator; the compiler asks for one per stack-model entry. */
const OUTPUTS: {
  readonly [N in ComponentName]: (options?: StackOptions[N]) => PackageOutput;
} = {
  prometheus: prometheusOutput,
  grafana: grafanaOutput,
  alertmanager: alertmanagerOutput,
  loki: lokiOutput,
  promtail: promtail.output,
  alloy: alloy.output,
  nodeExporter: nodeExporterOutput,
  kubeStateMetrics: kubeStateMetricsOutput,
};

/** One entry per component of the stack model, in its order (the order overlays list their bases). */
export const STACK: readonly StackComponent[] = (
  Object.keys(MODEL) as ComponentName[]
).map(
  (name) =>
    ({
      name,
      packageName: MODEL[name].packageName,
      output: OUTPUTS[name],
    }) as StackComponent,
);

/** The log collectors (the stack model's `log-collector` role): an overlay runs one of them. Promtail is the default; it
 *  is end of life, Alloy succeeds it. */
export type Collector = LogCollectorKey;
export const COLLECTORS: readonly Collector[] = LOG_COLLECTORS;

/** The components an overlay with `collector` runs: the stack without the other collector. */
export function stackWith(collector: Collector): readonly StackComponent[] {
  return STACK.filter(
    (c) =>
      !(COLLECTORS as readonly string[]).includes(c.name) ||
      c.name === collector,
  );
}
