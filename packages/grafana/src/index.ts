import {
  type Base,
  type PackageOutput,
  selectorLabels,
  toJson,
  toYaml,
} from '@plgkit/core';
import { bundledDashboards } from './dashboards/index.js';
import { dashboardProviders, datasources } from './datasources.js';
import {
  APP,
  DASHBOARDS_CONFIG_MAP,
  DATASOURCES_CONFIG_MAP,
  deployment,
  networkPolicy,
  PROVIDERS_CONFIG_MAP,
  service,
  serviceAccount,
} from './objects.js';
import {
  type GrafanaOptions,
  grafanaOptionsSchema,
  resolveGrafanaOptions,
} from './options.js';

/** The Grafana kustomize base. The admin Secret is the overlay's to make (see `adminSecretName`). */
export function grafanaBase(options?: GrafanaOptions): Base {
  const o = resolveGrafanaOptions(options);
  const dashboards = Object.fromEntries(
    Object.entries(bundledDashboards()).map(([file, d]) => [file, toJson(d)]),
  );
  const configLabels = selectorLabels(APP);
  return {
    namespace: o.namespace,
    resources: [serviceAccount(o), service(o), deployment(o)],
    configMapGenerators: [
      {
        name: DATASOURCES_CONFIG_MAP,
        files: { 'datasources.yaml': toYaml(datasources(o)) },
        labels: configLabels,
      },
      {
        name: PROVIDERS_CONFIG_MAP,
        files: { 'dashboards.yaml': toYaml(dashboardProviders()) },
        labels: configLabels,
      },
      { name: DASHBOARDS_CONFIG_MAP, files: dashboards, labels: configLabels },
    ],
  };
}

/** What `emit.ts` writes into this package: the default base, the optional NetworkPolicy Component, the options schema. */
export function grafanaOutput(options?: GrafanaOptions): PackageOutput {
  return {
    base: grafanaBase(options),
    components: {
      'network-policy': {
        resources: [networkPolicy(resolveGrafanaOptions(options))],
      },
    },
    optionsSchema: grafanaOptionsSchema,
  };
}

export {
  bundledDashboards,
  type Dashboard,
  type DatasourceRef,
  panelsOf,
  type Target,
  variablesOf,
} from './dashboards/index.js';
export {
  ALERTMANAGER_UID,
  type Datasource,
  datasources,
  LOKI_UID,
  PROMETHEUS_UID,
} from './datasources.js';
export { APP, NAME, PORT } from './objects.js';
export {
  DEFAULTS,
  type GrafanaOptions,
  grafanaOptionsSchema,
  type ResolvedGrafanaOptions,
  resolveGrafanaOptions,
} from './options.js';
export { GRAFANA_IMAGE, GRAFANA_VERSION } from './versions.js';
