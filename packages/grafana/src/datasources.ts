import type { ResolvedGrafanaOptions } from './options.js';

// Grafana provisioning file for datasources, typed with upstream spelling.
// https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources

export interface Datasource {
  name: string;
  type: 'prometheus' | 'loki' | 'alertmanager';
  /** Fixed, so dashboards and alert rules can refer to it. */
  uid: string;
  access: 'proxy';
  url: string;
  isDefault: boolean;
  editable: boolean;
  jsonData?: Record<string, unknown>;
}

export interface DatasourcesFile {
  apiVersion: 1;
  datasources: Datasource[];
}

/** The uids dashboards use to name their datasource. */
export const PROMETHEUS_UID = 'prometheus';
export const LOKI_UID = 'loki';
export const ALERTMANAGER_UID = 'alertmanager';

export function datasources(o: ResolvedGrafanaOptions): DatasourcesFile {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: PROMETHEUS_UID,
        access: 'proxy',
        url: o.prometheusUrl,
        isDefault: true,
        editable: false,
        // manageAlerts: Prometheus's own rules show in Grafana's alert list, with no Alertmanager needed.
        jsonData: {
          httpMethod: 'POST',
          timeInterval: '30s',
          manageAlerts: true,
        },
      },
      {
        name: 'Loki',
        type: 'loki',
        uid: LOKI_UID,
        access: 'proxy',
        url: o.lokiUrl,
        isDefault: false,
        editable: false,
        jsonData: { maxLines: 1000 },
      },
      {
        // Grafana's Alerting pages show the alerts Alertmanager holds, and make and lift its silences.
        name: 'Alertmanager',
        type: 'alertmanager',
        uid: ALERTMANAGER_UID,
        access: 'proxy',
        url: o.alertmanagerUrl,
        isDefault: false,
        editable: false,
        jsonData: {
          implementation: 'prometheus',
          handleGrafanaManagedAlerts: false,
        },
      },
    ],
  };
}

/** The dashboard provider: Grafana loads every JSON file in `path` at start and keeps them read-only. */
export interface DashboardProvidersFile {
  apiVersion: 1;
  providers: {
    name: string;
    orgId: number;
    folder: string;
    type: 'file';
    disableDeletion: boolean;
    allowUiUpdates: boolean;
    options: { path: string };
  }[];
}

export const DASHBOARDS_DIR = '/etc/grafana/dashboards/plgkit';

export function dashboardProviders(): DashboardProvidersFile {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'plgkit',
        orgId: 1,
        folder: 'plgkit',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        options: { path: DASHBOARDS_DIR },
      },
    ],
  };
}
