import { alertmanagerOutput } from '@plgkit/alertmanager';
import { alloy } from '@plgkit/alloy';
import { type ComponentKey, type PackageOutput, STACK } from '@plgkit/core';
import { grafanaOutput } from '@plgkit/grafana';
import { kubeStateMetricsOutput } from '@plgkit/kube-state-metrics';
import { lokiOutput } from '@plgkit/loki';
import { nodeExporterOutput } from '@plgkit/node-exporter';
import { prometheusOutput } from '@plgkit/prometheus';
import { promtail } from '@plgkit/promtail';

type Output = (options?: never) => PackageOutput;

/** Each component of the stack model and the function its package's emit step writes; the compiler asks for one
 *  per model entry. */
const OUTPUTS: Record<ComponentKey, Output> = {
  prometheus: prometheusOutput as Output,
  grafana: grafanaOutput as Output,
  alertmanager: alertmanagerOutput as Output,
  loki: lokiOutput as Output,
  promtail: promtail.output as Output,
  alloy: alloy.output as Output,
  nodeExporter: nodeExporterOutput as Output,
  kubeStateMetrics: kubeStateMetricsOutput as Output,
};

/** Every component package by directory name, with the function its emit step writes. */
export const PACKAGES: Record<string, Output> = Object.fromEntries(
  (Object.keys(STACK) as ComponentKey[]).map((k) => [
    STACK[k].packageName.replace('@plgkit/', ''),
    OUTPUTS[k],
  ]),
);
