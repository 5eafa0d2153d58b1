// The components of the plgkit stack, each with the npm package that ships its base and the generator that makes it.
import { type AlloyOptions, alloyOutput } from '@plgkit/alloy';
import {
  LOG_COLLECTORS,
  type LogCollectorKey,
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
import { type PromtailOptions, promtailOutput } from '@plgkit/promtail';

/** Options of every component, by component. */
export interface StackOptions {
  prometheus: PrometheusOptions;
  grafana: GrafanaOptions;
  loki: LokiOptions;
  promtail: PromtailOptions;
  alloy: AlloyOptions;
  nodeExporter: NodeExporterOptions;
  kubeStateMetrics: KubeStateMetricsOptions;
}

export type ComponentName = keyof StackOptions;

export interface StackComponent<N extends ComponentName = ComponentName> {
  readonly name: N;
  /** The npm package whose `base/` (and `components/`) an overlay points at. */
  readonly packageName: string;
  readonly output: (options?: StackOptions[N]) => PackageOutput;
}

// One entry per component, in the order overlays list their bases.
export const STACK: readonly StackComponent[] = [
  {
    name: 'prometheus',
    packageName: '@plgkit/prometheus',
    output: prometheusOutput,
  },
  { name: 'grafana', packageName: '@plgkit/grafana', output: grafanaOutput },
  { name: 'loki', packageName: '@plgkit/loki', output: lokiOutput },
  { name: 'promtail', packageName: '@plgkit/promtail', output: promtailOutput },
  { name: 'alloy', packageName: '@plgkit/alloy', output: alloyOutput },
  {
    name: 'nodeExporter',
    packageName: '@plgkit/node-exporter',
    output: nodeExporterOutput,
  },
  {
    name: 'kubeStateMetrics',
    packageName: '@plgkit/kube-state-metrics',
    output: kubeStateMetricsOutput,
  },
] as StackComponent[];

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
