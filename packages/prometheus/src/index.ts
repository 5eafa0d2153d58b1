import {
  type Base,
  type PackageOutput,
  selectorLabels,
  toYaml,
} from '@plgkit/core';
import { CONFIG_FILE, prometheusConfig } from './config.js';
import {
  APP,
  CONFIG_MAP,
  clusterRole,
  clusterRoleBinding,
  networkPolicy,
  RULES_CONFIG_MAP,
  service,
  serviceAccount,
  statefulSet,
} from './objects.js';
import {
  type PrometheusOptions,
  prometheusOptionsSchema,
  resolvePrometheusOptions,
} from './options.js';
import { ruleFiles } from './rules.js';

/** The Prometheus kustomize base for the given options. Throws `OptionsError` for bad options. */
export function prometheusBase(options?: PrometheusOptions): Base {
  const o = resolvePrometheusOptions(options);
  return {
    namespace: o.namespace,
    resources: [
      serviceAccount(o),
      clusterRole(o),
      clusterRoleBinding(o),
      service(o),
      statefulSet(o),
    ],
    configMapGenerators: [
      {
        name: CONFIG_MAP,
        files: { [CONFIG_FILE]: toYaml(prometheusConfig(o)) },
        labels: selectorLabels(APP),
      },
      {
        name: RULES_CONFIG_MAP,
        files: Object.fromEntries(
          Object.entries(ruleFiles()).map(([f, r]) => [f, toYaml(r)]),
        ),
        labels: selectorLabels(APP),
      },
    ],
  };
}

/** What `emit.ts` writes into this package: the default base, the optional NetworkPolicy Component, the options schema. */
export function prometheusOutput(options?: PrometheusOptions): PackageOutput {
  return {
    base: prometheusBase(options),
    components: {
      'network-policy': {
        resources: [networkPolicy(resolvePrometheusOptions(options))],
      },
    },
    optionsSchema: prometheusOptionsSchema,
  };
}

export {
  ALERTMANAGER_KEPT_FAMILIES,
  APISERVER_KEPT_FAMILIES,
  apiServerMetricRelabels,
  CADVISOR_KEPT_FAMILIES,
  cadvisorMetricRelabels,
  KUBELET_KEPT_FAMILIES,
  kubeletMetricRelabels,
  type PrometheusConfig,
  prometheusConfig,
  RESOURCE_KEPT_FAMILIES,
  type RelabelConfig,
  resourceMetricRelabels,
  type ScrapeConfig,
  STACK_KEPT_FAMILIES,
  stackMetricRelabels,
} from './config.js';
export { APP, NAME, PORT } from './objects.js';
export {
  DEFAULTS,
  MIN_RETENTION,
  type PrometheusOptions,
  prometheusOptionsSchema,
  type ResolvedPrometheusOptions,
  resolvePrometheusOptions,
} from './options.js';
export {
  type AlertingRule,
  alertingRules,
  type RecordingRule,
  type RuleFile,
  type RuleGroup,
  recordingRules,
  ruleFiles,
  type Severity,
} from './rules.js';
export { PROMETHEUS_IMAGE, PROMETHEUS_VERSION } from './versions.js';
