import type { PackageOutput } from '@plgkit/core';
import { grafanaOutput } from '@plgkit/grafana';
import { kubeStateMetricsOutput } from '@plgkit/kube-state-metrics';
import { lokiOutput } from '@plgkit/loki';
import { nodeExporterOutput } from '@plgkit/node-exporter';
import { prometheusOutput } from '@plgkit/prometheus';
import { promtailOutput } from '@plgkit/promtail';

/** Every component package by directory name, with the function its emit step writes. */
export const PACKAGES: Record<string, (options?: never) => PackageOutput> = {
  grafana: grafanaOutput,
  'kube-state-metrics': kubeStateMetricsOutput,
  loki: lokiOutput,
  'node-exporter': nodeExporterOutput,
  prometheus: prometheusOutput,
  promtail: promtailOutput,
};
