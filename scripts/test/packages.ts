import type { PackageOutput } from '@plgkit/core';
import { grafanaOutput } from '@plgkit/grafana';
import { lokiOutput } from '@plgkit/loki';
import { prometheusOutput } from '@plgkit/prometheus';
import { promtailOutput } from '@plgkit/promtail';

/** Every component package by directory name, with the function its emit step writes. */
export const PACKAGES: Record<string, (options?: never) => PackageOutput> = {
  grafana: grafanaOutput,
  loki: lokiOutput,
  prometheus: prometheusOutput,
  promtail: promtailOutput,
};
